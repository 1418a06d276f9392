// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// A calendar date and time of day in UTC (the RTC is assumed to keep UTC, as Linux assumes
// on x86 unless told otherwise), without System.DateTime. Proleptic Gregorian calendar.
namespace Kernel.Drivers.Rtc;

public struct RtcDateTime
{
    public int Year;
    public int Month;  // 1..12
    public int Day;    // 1..31
    public int Hour;   // 0..23
    public int Minute; // 0..59
    public int Second; // 0..59 (leap seconds are not represented, as in Unix time)

    public RtcDateTime(int year, int month, int day, int hour, int minute, int second)
    {
        Year = year;
        Month = month;
        Day = day;
        Hour = hour;
        Minute = minute;
        Second = second;
    }
}

public static class Calendar
{
    public const int MinYear = 1;
    public const int MaxYear = 9999;
    public const long SecondsPerDay = 86400;
    /// <summary>Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.</summary>
    const long EpochShift = 719468;
    const long DaysPer400Years = 146097;

    /// <summary>Unix seconds of 0001-01-01 00:00:00 and of 9999-12-31 23:59:59.</summary>
    public const long MinUnixSeconds = -62135596800;
    public const long MaxUnixSeconds = 253402300799;

    public static bool IsLeapYear(int year)
    {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /// <summary>28..31, or 0 for a month outside 1..12.</summary>
    public static int DaysInMonth(int year, int month)
    {
        switch (month)
        {
            case 1: case 3: case 5: case 7: case 8: case 10: case 12: return 31;
            case 4: case 6: case 9: case 11: return 30;
            case 2: return IsLeapYear(year) ? 29 : 28;
            default: return 0;
        }
    }

    /// <summary>Year 1..9999, month 1..12, day within the month, 00:00:00..23:59:59.</summary>
    public static bool IsValid(in RtcDateTime t)
    {
        if (t.Year < MinYear || t.Year > MaxYear)
            return false;
        if (t.Month < 1 || t.Month > 12)
            return false;
        if (t.Day < 1 || t.Day > DaysInMonth(t.Year, t.Month))
            return false;
        return t.Hour >= 0 && t.Hour <= 23 && t.Minute >= 0 && t.Minute <= 59 && t.Second >= 0 && t.Second <= 59;
    }

    /// <summary>Days since 1970-01-01 (negative before). Counts from March so that the leap
    /// day falls at the end of the counted year; 400-year eras make it exact for any year.</summary>
    public static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yearOfEra = y - era * 400;                                   // 0..399
        long monthFromMarch = month > 2 ? month - 3 : month + 9;          // 0..11
        long dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;         // 0..365
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear; // 0..146096
        return era * DaysPer400Years + dayOfEra - EpochShift;
    }

    /// <summary>The inverse of <see cref="DaysFromCivil"/>.</summary>
    public static void CivilFromDays(long days, out int year, out int month, out int day)
    {
        long z = days + EpochShift;
        long era = (z >= 0 ? z : z - (DaysPer400Years - 1)) / DaysPer400Years;
        long dayOfEra = z - era * DaysPer400Years;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        day = (int)(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        month = (int)(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        year = (int)(yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    }

    /// <summary>Seconds since 1970-01-01 00:00:00 UTC. The value must be valid (see
    /// <see cref="IsValid"/>); otherwise the result is meaningless but computed without faults.</summary>
    public static long ToUnixSeconds(in RtcDateTime t)
    {
        return DaysFromCivil(t.Year, t.Month, t.Day) * SecondsPerDay
            + t.Hour * 3600L + t.Minute * 60L + t.Second;
    }

    /// <summary>The date and time of a Unix time; false (and a zeroed result) outside years 1..9999.</summary>
    public static bool FromUnixSeconds(long seconds, out RtcDateTime t)
    {
        t = default(RtcDateTime);
        if (seconds < MinUnixSeconds || seconds > MaxUnixSeconds)
            return false;
        long days = seconds / SecondsPerDay;
        long rest = seconds % SecondsPerDay;
        if (rest < 0)
        {
            rest += SecondsPerDay;
            days--;
        }
        CivilFromDays(days, out t.Year, out t.Month, out t.Day);
        t.Hour = (int)(rest / 3600);
        t.Minute = (int)(rest / 60 % 60);
        t.Second = (int)(rest % 60);
        return true;
    }

    /// <summary>0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday).</summary>
    public static int DayOfWeek(int year, int month, int day)
    {
        long d = (DaysFromCivil(year, month, day) + 4) % 7;
        return (int)(d < 0 ? d + 7 : d);
    }

    public static string DayName(int dayOfWeek)
    {
        switch (dayOfWeek)
        {
            case 0: return "Sun";
            case 1: return "Mon";
            case 2: return "Tue";
            case 3: return "Wed";
            case 4: return "Thu";
            case 5: return "Fri";
            case 6: return "Sat";
            default: return "???";
        }
    }
}
