// A polled 16550 UART on COM1 (I/O port 0x3f8): 115200 baud, 8 data bits, no parity, 1 stop
// bit. Polling keeps it usable from the panic path with interrupts off. Output only waits
// a bounded time for the transmitter, so a missing UART can never hang the kernel.
using Kernel.Arch.X64;

namespace Kernel.Drivers.Serial;

public static class Uart16550
{
    const ushort Com1 = 0x3f8;
    const ushort Data = 0, InterruptEnable = 1, FifoControl = 2, LineControl = 3, ModemControl = 4, LineStatus = 5, Scratch = 7;
    const byte LineStatusDataReady = 0x01, LineStatusTransmitEmpty = 0x20;

    static bool s_present;

    public static bool Present => s_present;

    public static void Initialize()
    {
        // A UART keeps what we write into its scratch register; an empty port floats at 0xff.
        Cpu.OutByte(Com1 + Scratch, 0x5a);
        s_present = Cpu.InByte(Com1 + Scratch) == 0x5a;
        if (!s_present) return;

        Cpu.OutByte(Com1 + InterruptEnable, 0x00);
        Cpu.OutByte(Com1 + LineControl, 0x80);      // DLAB: divisor follows
        Cpu.OutByte(Com1 + Data, 1);                // 115200 / 1
        Cpu.OutByte(Com1 + InterruptEnable, 0);
        Cpu.OutByte(Com1 + LineControl, 0x03);      // 8N1
        Cpu.OutByte(Com1 + FifoControl, 0xc7);      // FIFO on, cleared, 14-byte threshold
        Cpu.OutByte(Com1 + ModemControl, 0x0b);     // DTR, RTS, OUT2
    }

    public static void WriteByte(byte value)
    {
        if (!s_present) return;
        for (int spin = 0; spin < 100000; spin++)
            if ((Cpu.InByte(Com1 + LineStatus) & LineStatusTransmitEmpty) != 0) break;
        Cpu.OutByte(Com1 + Data, value);
    }

    /// <summary>Writes text, turning "\n" into "\r\n" for terminals.</summary>
    public static unsafe void Write(byte* text, int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (text[i] == (byte)'\n') WriteByte((byte)'\r');
            WriteByte(text[i]);
        }
    }

    public static bool TryReadByte(out byte value)
    {
        value = 0;
        if (!s_present || (Cpu.InByte(Com1 + LineStatus) & LineStatusDataReady) == 0) return false;
        value = Cpu.InByte(Com1 + Data);
        return true;
    }

    /// <summary>Enables the "received data available" interrupt (IRQ 4).</summary>
    public static void EnableReceiveInterrupt()
    {
        if (s_present) Cpu.OutByte(Com1 + InterruptEnable, 0x01);
    }
}
