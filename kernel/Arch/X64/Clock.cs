// Time since boot from the TSC, calibrated once against the PIT (channel 2, which is wired to
// nothing but the speaker gate and can be polled without interrupts). Under QEMU with
// -icount the TSC counts instructions; the calibration then yields a consistent rate too.
namespace Kernel.Arch.X64;

public static class Clock
{
    const uint PitHz = 1193182;
    const uint CalibrationMs = 10;

    static ulong s_bootTsc;
    static ulong s_tscPerMicrosecond = 1000; // until calibrated: assume 1 GHz

    public static ulong TscPerMicrosecond => s_tscPerMicrosecond;

    public static ulong MicrosecondsSinceBoot =>
        s_bootTsc == 0 ? 0 : (Cpu.ReadTsc() - s_bootTsc) / s_tscPerMicrosecond;

    /// <summary>Nanoseconds since boot (split so the multiplication cannot overflow).</summary>
    public static ulong NanosecondsSinceBoot
    {
        get
        {
            if (s_bootTsc == 0) return 0;
            ulong ticks = Cpu.ReadTsc() - s_bootTsc, rate = s_tscPerMicrosecond;
            return ticks / rate * 1000 + ticks % rate * 1000 / rate;
        }
    }

    public static void Initialize()
    {
        s_bootTsc = Cpu.ReadTsc();
        ulong ticks = CalibrateTsc();
        if (ticks != 0) s_tscPerMicrosecond = ticks / (CalibrationMs * 1000) == 0 ? 1 : ticks / (CalibrationMs * 1000);
    }

    /// <summary>TSC ticks during CalibrationMs of PIT time; 0 if the PIT never answered.</summary>
    static ulong CalibrateTsc()
    {
        const ushort Gate = 0x61, Command = 0x43, Channel2 = 0x42;
        uint count = PitHz * CalibrationMs / 1000;
        Cpu.OutByte(Gate, (byte)((Cpu.InByte(Gate) & ~0x02) | 0x01)); // gate on, speaker off
        Cpu.OutByte(Command, 0xb0);                                    // channel 2, lo/hi, mode 0
        Cpu.OutByte(Channel2, (byte)count);
        Cpu.OutByte(Channel2, (byte)(count >> 8));
        ulong start = Cpu.ReadTsc();
        for (ulong spin = 0; spin < 100_000_000; spin++)
            if ((Cpu.InByte(Gate) & 0x20) != 0) return Cpu.ReadTsc() - start;
        return 0;
    }
}
