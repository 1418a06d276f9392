// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Decoding the MC146818-compatible CMOS RTC registers (read by the RTC driver through ports
// 0x70/0x71). Registers: 0x00 seconds, 0x02 minutes, 0x04 hours, 0x07 day of month,
// 0x08 month, 0x09 year (two digits), 0x0a status A (bit 7: update in progress), 0x0b
// status B (bit 1: 24-hour mode, bit 2: binary instead of BCD); the century register's index
// comes from the FADT (0 = none; commonly 0x32). In 12-hour mode bit 7 of the hour is PM and
// the hour runs 12, 1, ..., 11. The weekday register (0x06) is unreliable and ignored.
// Read the registers until two readings agree and no update is in progress (SameReading).
namespace Kernel.Drivers.Rtc;

/// <summary>Raw register values as read from the CMOS.</summary>
public struct CmosTimeRegisters
{
    public byte Second;
    public byte Minute;
    public byte Hour;
    public byte Day;
    public byte Month;
    public byte Year;
    public byte Century;
    public bool HasCentury;
    public byte StatusB;
}

public static class CmosTime
{
    public const byte RegSecond = 0x00;
    public const byte RegMinute = 0x02;
    public const byte RegHour = 0x04;
    public const byte RegWeekday = 0x06;
    public const byte RegDay = 0x07;
    public const byte RegMonth = 0x08;
    public const byte RegYear = 0x09;
    public const byte RegStatusA = 0x0a;
    public const byte RegStatusB = 0x0b;
    /// <summary>The usual century index when the FADT gives none but a person asks for it.</summary>
    public const byte CommonCenturyIndex = 0x32;

    public const byte StatusAUpdateInProgress = 0x80;
    public const byte StatusB24Hour = 0x02;
    public const byte StatusBBinary = 0x04;
    public const byte HourPm = 0x80;

    /// <summary>One register value in BCD (both nibbles 0..9) or binary.</summary>
    public static bool DecodeField(byte raw, bool binary, out int value)
    {
        if (binary)
        {
            value = raw;
            return true;
        }
        int hi = raw >> 4, lo = raw & 0x0f;
        if (hi > 9 || lo > 9)
        {
            value = 0;
            return false;
        }
        value = hi * 10 + lo;
        return true;
    }

    public static byte EncodeField(int value, bool binary)
    {
        return binary ? (byte)value : (byte)((value / 10) << 4 | value % 10);
    }

    /// <summary>
    /// Registers -> date and time. Honours status B (BCD/binary, 12/24-hour); the year is
    /// century * 100 + year when a century register is present and reads non-zero, else 2000 +
    /// year. False for malformed BCD, an impossible hour, or a date that does not exist.
    /// </summary>
    public static bool Decode(in CmosTimeRegisters r, out RtcDateTime t)
    {
        t = default(RtcDateTime);
        bool binary = (r.StatusB & StatusBBinary) != 0;
        bool hour24 = (r.StatusB & StatusB24Hour) != 0;
        if (!DecodeField(r.Second, binary, out int second)
            || !DecodeField(r.Minute, binary, out int minute)
            || !DecodeField(r.Day, binary, out int day)
            || !DecodeField(r.Month, binary, out int month)
            || !DecodeField(r.Year, binary, out int year))
            return false;
        if (year > 99)
            return false;

        int hour;
        if (hour24)
        {
            if (!DecodeField(r.Hour, binary, out hour))
                return false;
        }
        else
        {
            bool pm = (r.Hour & HourPm) != 0;
            if (!DecodeField((byte)(r.Hour & ~HourPm), binary, out int h12) || h12 < 1 || h12 > 12)
                return false;
            hour = h12 % 12 + (pm ? 12 : 0); // 12 AM is 0, 12 PM is 12
        }

        int century = 20;
        if (r.HasCentury)
        {
            if (!DecodeField(r.Century, binary, out int c) || c > 99)
                return false;
            if (c != 0) // a register the firmware never set: keep 20xx
                century = c;
        }
        RtcDateTime result = new RtcDateTime(century * 100 + year, month, day, hour, minute, second);
        if (!Calendar.IsValid(result))
            return false;
        t = result;
        return true;
    }

    /// <summary>Date and time -> register values in the format <paramref name="statusB"/> selects
    /// (for setting the clock, and for tests). False when <paramref name="t"/> is invalid.</summary>
    public static bool Encode(in RtcDateTime t, byte statusB, bool withCentury, out CmosTimeRegisters r)
    {
        r = default(CmosTimeRegisters);
        if (!Calendar.IsValid(t))
            return false;
        bool binary = (statusB & StatusBBinary) != 0;
        r.StatusB = statusB;
        r.Second = EncodeField(t.Second, binary);
        r.Minute = EncodeField(t.Minute, binary);
        r.Day = EncodeField(t.Day, binary);
        r.Month = EncodeField(t.Month, binary);
        r.Year = EncodeField(t.Year % 100, binary);
        if ((statusB & StatusB24Hour) != 0)
        {
            r.Hour = EncodeField(t.Hour, binary);
        }
        else
        {
            int h12 = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
            r.Hour = (byte)(EncodeField(h12, binary) | (t.Hour >= 12 ? HourPm : 0));
        }
        r.HasCentury = withCentury;
        if (withCentury)
            r.Century = EncodeField(t.Year / 100, binary);
        return true;
    }

    /// <summary>True when two readings are identical (the clock did not tick in between).</summary>
    public static bool SameReading(in CmosTimeRegisters a, in CmosTimeRegisters b)
    {
        return a.Second == b.Second && a.Minute == b.Minute && a.Hour == b.Hour && a.Day == b.Day
            && a.Month == b.Month && a.Year == b.Year && a.Century == b.Century
            && a.HasCentury == b.HasCentury && a.StatusB == b.StatusB;
    }
}
