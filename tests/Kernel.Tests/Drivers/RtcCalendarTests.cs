using System;
using System.Text;
using Kernel.Diagnostics;
using Kernel.Drivers.Rtc;
using Xunit;
using RtcCalendar = Kernel.Drivers.Rtc.Calendar;

namespace Kernel.Tests.Drivers;

public unsafe class RtcCalendarTests
{
    static RtcDateTime T(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new RtcDateTime(y, mo, d, h, mi, s);

    static string Iso(RtcDateTime t, bool withDay = false)
    {
        byte* buf = stackalloc byte[64];
        var text = new TextBuilder(buf, 64);
        if (withDay)
            RtcText.AppendWithDay(ref text, t);
        else
            RtcText.AppendIso8601(ref text, t);
        return Encoding.ASCII.GetString(buf, text.Length);
    }

    [Theory]
    [InlineData(2000, true)]
    [InlineData(2100, false)]
    [InlineData(2024, true)]
    [InlineData(1900, false)]
    [InlineData(2023, false)]
    [InlineData(1600, true)]
    [InlineData(2400, true)]
    [InlineData(4, true)]
    public void LeapYears(int year, bool leap)
    {
        Assert.Equal(leap, RtcCalendar.IsLeapYear(year));
        Assert.Equal(leap ? 29 : 28, RtcCalendar.DaysInMonth(year, 2));
        Assert.Equal(DateTime.IsLeapYear(year), RtcCalendar.IsLeapYear(year));
    }

    [Fact]
    public void DaysPerMonth()
    {
        int[] days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        for (int m = 1; m <= 12; m++)
            Assert.Equal(days[m - 1], RtcCalendar.DaysInMonth(2023, m));
        Assert.Equal(0, RtcCalendar.DaysInMonth(2023, 0));
        Assert.Equal(0, RtcCalendar.DaysInMonth(2023, 13));
    }

    [Fact]
    public void Validation()
    {
        Assert.True(RtcCalendar.IsValid(T(2024, 2, 29, 23, 59, 59)));
        Assert.False(RtcCalendar.IsValid(T(2023, 2, 29)));
        Assert.False(RtcCalendar.IsValid(T(2100, 2, 29)));
        Assert.True(RtcCalendar.IsValid(T(2000, 2, 29)));
        Assert.False(RtcCalendar.IsValid(T(2024, 4, 31)));
        Assert.False(RtcCalendar.IsValid(T(2024, 13, 1)));
        Assert.False(RtcCalendar.IsValid(T(2024, 0, 1)));
        Assert.False(RtcCalendar.IsValid(T(2024, 1, 0)));
        Assert.False(RtcCalendar.IsValid(T(2024, 1, 1, 24)));
        Assert.False(RtcCalendar.IsValid(T(2024, 1, 1, 0, 60)));
        Assert.False(RtcCalendar.IsValid(T(2024, 1, 1, 0, 0, 60)));
        Assert.False(RtcCalendar.IsValid(T(2024, 1, 1, -1)));
        Assert.False(RtcCalendar.IsValid(T(0, 1, 1)));
        Assert.False(RtcCalendar.IsValid(T(10000, 1, 1)));
        Assert.True(RtcCalendar.IsValid(T(1, 1, 1)));
        Assert.True(RtcCalendar.IsValid(T(9999, 12, 31, 23, 59, 59)));
    }

    [Fact]
    public void KnownUnixTimes()
    {
        Assert.Equal(0, RtcCalendar.ToUnixSeconds(T(1970, 1, 1)));
        Assert.Equal(946684800, RtcCalendar.ToUnixSeconds(T(2000, 1, 1)));
        Assert.Equal(951782400, RtcCalendar.ToUnixSeconds(T(2000, 2, 29)));
        Assert.Equal(2147483647, RtcCalendar.ToUnixSeconds(T(2038, 1, 19, 3, 14, 7)));
        Assert.Equal(-1, RtcCalendar.ToUnixSeconds(T(1969, 12, 31, 23, 59, 59)));
        Assert.Equal(4107542400, RtcCalendar.ToUnixSeconds(T(2100, 3, 1)));
        Assert.Equal(RtcCalendar.MinUnixSeconds, RtcCalendar.ToUnixSeconds(T(1, 1, 1)));
        Assert.Equal(RtcCalendar.MaxUnixSeconds, RtcCalendar.ToUnixSeconds(T(9999, 12, 31, 23, 59, 59)));
        Assert.Equal(RtcCalendar.MinUnixSeconds, DateTimeOffset.MinValue.ToUnixTimeSeconds());
        Assert.Equal(RtcCalendar.MaxUnixSeconds, new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds());

        Assert.True(RtcCalendar.FromUnixSeconds(-1, out RtcDateTime t));
        Assert.Equal(T(1969, 12, 31, 23, 59, 59), t);
        Assert.True(RtcCalendar.FromUnixSeconds(1795587000, out t));
        Assert.Equal("2026-11-25 06:10:00 UTC", Iso(t));
        Assert.False(RtcCalendar.FromUnixSeconds(RtcCalendar.MaxUnixSeconds + 1, out t));
        Assert.Equal(default(RtcDateTime), t);
        Assert.False(RtcCalendar.FromUnixSeconds(RtcCalendar.MinUnixSeconds - 1, out _));
        Assert.False(RtcCalendar.FromUnixSeconds(long.MinValue, out _));
        Assert.False(RtcCalendar.FromUnixSeconds(long.MaxValue, out _));
    }

    [Fact]
    public void UnixRoundTripOverARandomRange()
    {
        const int Seed = 1970;
        var rng = new Random(Seed);
        for (int i = 0; i < 100_000; i++)
        {
            long s = i < 50_000
                ? rng.NextInt64(-2_208_988_800, 7_258_118_400)              // 1900..2200
                : rng.NextInt64(RtcCalendar.MinUnixSeconds, RtcCalendar.MaxUnixSeconds + 1);
            bool ok = RtcCalendar.FromUnixSeconds(s, out RtcDateTime t) && RtcCalendar.IsValid(t);
            var r = DateTimeOffset.FromUnixTimeSeconds(s);
            // Messages are built only on failure: this loop is hot.
            if (!ok || RtcCalendar.ToUnixSeconds(t) != s
                || r.Year != t.Year || r.Month != t.Month || r.Day != t.Day
                || r.Hour != t.Hour || r.Minute != t.Minute || r.Second != t.Second
                || (int)r.DayOfWeek != RtcCalendar.DayOfWeek(t.Year, t.Month, t.Day))
                Assert.Fail($"seed {Seed} i {i} s {s}: expected {r:u} ({r.DayOfWeek}), got {Iso(t)} -> {RtcCalendar.ToUnixSeconds(t)}");
        }
    }

    [Fact]
    public void DaysFromCivilIsContinuous()
    {
        // Every day from 1599-12-01 to 2401-03-01 follows the previous one.
        RtcCalendar.CivilFromDays(RtcCalendar.DaysFromCivil(1599, 12, 1), out int y, out int m, out int d);
        Assert.Equal((1599, 12, 1), (y, m, d));
        long start = RtcCalendar.DaysFromCivil(1599, 12, 1);
        long end = RtcCalendar.DaysFromCivil(2401, 3, 1);
        for (long day = start; day < end; day++)
        {
            RtcCalendar.CivilFromDays(day, out y, out m, out d);
            RtcCalendar.CivilFromDays(day + 1, out int y2, out int m2, out int d2);
            bool nextDay = y2 == y && m2 == m && d2 == d + 1;
            bool nextMonth = d == RtcCalendar.DaysInMonth(y, m) && d2 == 1 && ((m2 == m + 1 && y2 == y) || (m == 12 && m2 == 1 && y2 == y + 1));
            if (!(nextDay || nextMonth) || RtcCalendar.DaysFromCivil(y, m, d) != day)
                Assert.Fail($"day {day}: {y}-{m}-{d} -> {y2}-{m2}-{d2}");
        }
    }

    [Fact]
    public void DayOfWeek()
    {
        Assert.Equal(4, RtcCalendar.DayOfWeek(1970, 1, 1)); // Thursday
        Assert.Equal(6, RtcCalendar.DayOfWeek(2000, 1, 1)); // Saturday
        Assert.Equal(3, RtcCalendar.DayOfWeek(2026, 11, 25)); // Wednesday
        Assert.Equal(3, RtcCalendar.DayOfWeek(1969, 12, 31));
        Assert.Equal(1, RtcCalendar.DayOfWeek(1, 1, 1)); // Monday (proleptic Gregorian)
        Assert.Equal("Wed", RtcCalendar.DayName(3));
        Assert.Equal("???", RtcCalendar.DayName(7));
        Assert.Equal("Wed 2026-11-25 06:10:00 UTC", Iso(T(2026, 11, 25, 6, 10, 0), withDay: true));
    }

    [Fact]
    public void IsoText()
    {
        Assert.Equal("2026-11-25 06:10:00 UTC", Iso(T(2026, 11, 25, 6, 10, 0)));
        Assert.Equal("0001-01-01 00:00:00 UTC", Iso(T(1, 1, 1)));
        Assert.Equal("9999-12-31 23:59:59 UTC", Iso(T(9999, 12, 31, 23, 59, 59)));
    }
}
