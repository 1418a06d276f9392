// The 8254 programmable interval timer, channel 0: a rate generator on ISA IRQ 0 (GSI 2
// behind QEMU's I/O APIC). Its input clock is 1.193182 MHz; the divisor is 16 bits.
// (Channel 2 is Clock's calibration reference; channel 1 does not exist on modern machines.)
namespace Kernel.Arch.X64;

public static class Pit
{
    public const uint InputHz = 1193182;
    const ushort Channel0 = 0x40, Command = 0x43;
    const byte Channel0RateGenerator = 0x34;   // channel 0, lobyte/hibyte, mode 2, binary

    /// <summary>Starts periodic interrupts near <paramref name="hz"/>; returns the divisor used.</summary>
    public static ushort StartPeriodic(uint hz)
    {
        uint divisor = hz == 0 ? 65536 : InputHz / hz;
        if (divisor < 2) divisor = 2;
        if (divisor > 65535) divisor = 0;          // 0 means 65536
        Cpu.OutByte(Command, Channel0RateGenerator);
        Cpu.OutByte(Channel0, (byte)divisor);
        Cpu.OutByte(Channel0, (byte)(divisor >> 8));
        return (ushort)divisor;
    }
}
