// Reads the date and time from the CMOS real-time clock (index port 0x70, data port 0x71;
// bit 7 of the index is the NMI-disable bit and is kept set while we read). The decoding and
// calendar arithmetic are in Calendar/ (host-tested); this file only does the port dance:
// wait out an update in progress, read every register, read again until two readings agree.
using Kernel.Arch.X64;

namespace Kernel.Drivers.Rtc;

public static class CmosRtc
{
    const ushort Index = 0x70, DataPort = 0x71;
    const byte NmiDisable = 0x80;
    const int MaxAttempts = 16;

    static byte s_centuryIndex;

    /// <summary>The century register's index from the FADT (0: none, the year is 20xx).</summary>
    public static void SetCenturyIndex(byte index) => s_centuryIndex = index;

    static byte ReadRegister(byte register)
    {
        Cpu.OutByte(Index, (byte)(NmiDisable | register));
        return Cpu.InByte(DataPort);
    }

    static bool UpdateInProgress() => (ReadRegister(CmosTime.RegStatusA) & CmosTime.StatusAUpdateInProgress) != 0;

    static void ReadAll(out CmosTimeRegisters r)
    {
        for (int spin = 0; spin < 1_000_000 && UpdateInProgress(); spin++) Cpu.Pause();
        r = default;
        r.Second = ReadRegister(CmosTime.RegSecond);
        r.Minute = ReadRegister(CmosTime.RegMinute);
        r.Hour = ReadRegister(CmosTime.RegHour);
        r.Day = ReadRegister(CmosTime.RegDay);
        r.Month = ReadRegister(CmosTime.RegMonth);
        r.Year = ReadRegister(CmosTime.RegYear);
        r.StatusB = ReadRegister(CmosTime.RegStatusB);
        r.HasCentury = s_centuryIndex != 0;
        if (r.HasCentury) r.Century = ReadRegister(s_centuryIndex);
    }

    /// <summary>The current UTC date and time; false when the registers never settle or hold
    /// something that is not a date (a dead CMOS battery, garbage).</summary>
    public static bool TryRead(out RtcDateTime time)
    {
        time = default;
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        ReadAll(out CmosTimeRegisters previous);
        bool ok = false;
        CmosTimeRegisters current = previous;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            ReadAll(out current);
            if (CmosTime.SameReading(previous, current)) { ok = true; break; }
            previous = current;
        }
        Cpu.OutByte(Index, 0x0d);          // leave the index on status D with NMIs enabled again
        Kernel.Platform.Interrupts.Restore(token);
        return ok && CmosTime.Decode(current, out time);
    }
}
