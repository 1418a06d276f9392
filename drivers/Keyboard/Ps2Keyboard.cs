// The PS/2 keyboard behind the i8042 controller: set up once (translation to scan code set 1
// on, port 1 interrupt on, the mouse port off), then every byte arriving on IRQ 1 goes through
// the Layout decoder and, as the bytes a VT100 terminal would send, into the console input
// queue, so the shell reads keyboard and serial alike. No allocation in the handler.
using Kernel.Arch.X64;
using Kernel.Drivers.Console;

namespace Kernel.Drivers.Keyboard;

public static unsafe class Ps2Keyboard
{
    public const int Irq = 1;
    const ushort Data = 0x60, Status = 0x64, Command = 0x64;
    const byte StatusOutputFull = 0x01, StatusInputFull = 0x02, StatusFromMouse = 0x20;
    const byte ReadConfig = 0x20, WriteConfig = 0x60, DisablePort2 = 0xa7, DisablePort1 = 0xad, EnablePort1 = 0xae;
    const byte ConfigPort1Interrupt = 0x01, ConfigPort2Interrupt = 0x02, ConfigPort1ClockOff = 0x10, ConfigTranslate = 0x40;

    static KeyboardDecoder s_decoder;
    static ulong s_bytes, s_events;

    public static bool Enabled { get; private set; }
    public static ulong BytesReceived => s_bytes;
    public static ulong KeyEvents => s_events;

    /// <summary>False when no controller answers (all ones on the status port, or a timeout).</summary>
    public static bool Initialize()
    {
        if (Cpu.InByte(Status) == 0xff) return false;
        if (!SendCommand(DisablePort1) || !SendCommand(DisablePort2)) return false;
        for (int i = 0; i < 64 && (Cpu.InByte(Status) & StatusOutputFull) != 0; i++) Cpu.InByte(Data);
        if (!SendCommand(ReadConfig) || !ReadByte(out byte config)) return false;
        config = (byte)((config | ConfigPort1Interrupt | ConfigTranslate) & ~(ConfigPort2Interrupt | ConfigPort1ClockOff));
        if (!SendCommand(WriteConfig) || !WriteData(config)) return false;
        s_decoder.Reset();
        InterruptDispatch.RegisterIrq(Irq, &OnInterrupt);
        if (!SendCommand(EnablePort1)) return false;
        Enabled = true;
        return true;
    }

    static bool WaitInputEmpty()
    {
        for (int spin = 0; spin < 100_000; spin++)
            if ((Cpu.InByte(Status) & StatusInputFull) == 0) return true;
        return false;
    }

    static bool SendCommand(byte command)
    {
        if (!WaitInputEmpty()) return false;
        Cpu.OutByte(Command, command);
        return true;
    }

    static bool WriteData(byte value)
    {
        if (!WaitInputEmpty()) return false;
        Cpu.OutByte(Data, value);
        return true;
    }

    static bool ReadByte(out byte value)
    {
        value = 0;
        for (int spin = 0; spin < 100_000; spin++)
        {
            if ((Cpu.InByte(Status) & StatusOutputFull) == 0) continue;
            value = Cpu.InByte(Data);
            return true;
        }
        return false;
    }

    static void OnInterrupt(InterruptFrame* frame)
    {
        byte status = Cpu.InByte(Status);
        if ((status & StatusOutputFull) == 0) return;
        byte code = Cpu.InByte(Data);
        if ((status & StatusFromMouse) != 0) return;
        s_bytes++;
        if (!s_decoder.Feed(code, out KeyEvent ev)) return;
        s_events++;
        byte* bytes = stackalloc byte[16];
        int n = AnsiKeys.Encode(ev, bytes, 16);
        ConsoleInput.Push(bytes, n);
    }

    /// <summary>Pulses the CPU reset line through the controller (command 0xfe).</summary>
    public static void PulseResetLine()
    {
        if (WaitInputEmpty()) Cpu.OutByte(Command, 0xfe);
    }
}
