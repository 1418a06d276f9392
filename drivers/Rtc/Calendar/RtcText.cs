// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Dates as text for `date`, dmesg and /proc: "2026-11-25 06:10:00 UTC".
using Kernel.Diagnostics;

namespace Kernel.Drivers.Rtc;

public static class RtcText
{
    /// <summary>ISO 8601 date and time with a space separator and " UTC".</summary>
    public static void AppendIso8601(ref TextBuilder text, in RtcDateTime t)
    {
        text.AppendDecimal((long)t.Year, 4, '0');
        text.Append('-');
        text.AppendDecimal((long)t.Month, 2, '0');
        text.Append('-');
        text.AppendDecimal((long)t.Day, 2, '0');
        text.Append(' ');
        text.AppendDecimal((long)t.Hour, 2, '0');
        text.Append(':');
        text.AppendDecimal((long)t.Minute, 2, '0');
        text.Append(':');
        text.AppendDecimal((long)t.Second, 2, '0');
        text.Append(" UTC");
    }

    /// <summary>"Wed 2026-11-25 06:10:00 UTC".</summary>
    public static void AppendWithDay(ref TextBuilder text, in RtcDateTime t)
    {
        text.Append(Calendar.DayName(Calendar.DayOfWeek(t.Year, t.Month, t.Day)));
        text.Append(' ');
        AppendIso8601(ref text, t);
    }
}
