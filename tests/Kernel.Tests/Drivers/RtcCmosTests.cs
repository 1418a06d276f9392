using System;
using Kernel.Drivers.Rtc;
using Xunit;
using RtcCalendar = Kernel.Drivers.Rtc.Calendar;

namespace Kernel.Tests.Drivers;

public class RtcCmosTests
{
    const byte Bcd24 = CmosTime.StatusB24Hour;
    const byte Bin24 = CmosTime.StatusB24Hour | CmosTime.StatusBBinary;
    const byte Bcd12 = 0;
    const byte Bin12 = CmosTime.StatusBBinary;

    static CmosTimeRegisters R(byte statusB, int year, int month, int day, int hour, int minute, int second,
        int century = -1)
        => new CmosTimeRegisters
        {
            StatusB = statusB, Year = (byte)year, Month = (byte)month, Day = (byte)day,
            Hour = (byte)hour, Minute = (byte)minute, Second = (byte)second,
            HasCentury = century >= 0, Century = (byte)(century < 0 ? 0 : century),
        };

    static RtcDateTime D(CmosTimeRegisters r)
    {
        Assert.True(CmosTime.Decode(r, out RtcDateTime t));
        return t;
    }

    static RtcDateTime T(int y, int mo, int d, int h, int mi, int s) => new RtcDateTime(y, mo, d, h, mi, s);

    [Fact]
    public void Bcd24Hour()
    {
        Assert.Equal(T(2026, 11, 25, 6, 10, 0), D(R(Bcd24, 0x26, 0x11, 0x25, 0x06, 0x10, 0x00)));
        Assert.Equal(T(2099, 12, 31, 23, 59, 59), D(R(Bcd24, 0x99, 0x12, 0x31, 0x23, 0x59, 0x59)));
    }

    [Fact]
    public void Binary24Hour()
    {
        Assert.Equal(T(2026, 11, 25, 6, 10, 0), D(R(Bin24, 26, 11, 25, 6, 10, 0)));
        Assert.Equal(T(2000, 1, 1, 23, 59, 59), D(R(Bin24, 0, 1, 1, 23, 59, 59)));
    }

    [Theory]
    [InlineData(Bcd12, 0x12, 0)]   // 12 AM
    [InlineData(Bcd12, 0x01, 1)]
    [InlineData(Bcd12, 0x11, 11)]
    [InlineData(Bcd12, 0x92, 12)]  // 12 PM
    [InlineData(Bcd12, 0x81, 13)]
    [InlineData(Bcd12, 0x91, 23)]
    [InlineData(Bin12, 12, 0)]
    [InlineData(Bin12, 0x80 | 12, 12)]
    [InlineData(Bin12, 0x80 | 11, 23)]
    [InlineData(Bin12, 7, 7)]
    public void TwelveHourMode(byte statusB, int rawHour, int hour)
    {
        byte day = (statusB & CmosTime.StatusBBinary) != 0 ? (byte)15 : (byte)0x15;
        Assert.Equal(hour, D(R(statusB, 0x24, 0x06, day, rawHour, 0, 0)).Hour);
    }

    [Theory]
    [InlineData(Bcd12, 0x00)]      // no hour 0 on a 12-hour clock
    [InlineData(Bcd12, 0x13)]
    [InlineData(Bcd12, 0x80)]
    [InlineData(Bin12, 13)]
    [InlineData(Bcd24, 0x24)]
    [InlineData(Bcd24, 0x86)]      // PM bit is not valid in 24-hour mode
    [InlineData(Bin24, 24)]
    [InlineData(Bcd24, 0x1a)]      // not BCD
    public void ImpossibleHoursAreRejected(byte statusB, int rawHour)
    {
        Assert.False(CmosTime.Decode(R(statusB, 0x24, 0x06, 0x15, rawHour, 0, 0), out RtcDateTime t));
        Assert.Equal(default(RtcDateTime), t);
    }

    [Fact]
    public void Century()
    {
        Assert.Equal(1999, D(R(Bcd24, 0x99, 0x12, 0x31, 0, 0, 0, century: 0x19)).Year);
        Assert.Equal(2000, D(R(Bcd24, 0x00, 0x01, 0x01, 0, 0, 0, century: 0x20)).Year);
        Assert.Equal(2100, D(R(Bin24, 0, 3, 1, 0, 0, 0, century: 21)).Year);
        Assert.Equal(2026, D(R(Bcd24, 0x26, 0x01, 0x01, 0, 0, 0)).Year);                 // no register: 20xx
        Assert.Equal(2026, D(R(Bcd24, 0x26, 0x01, 0x01, 0, 0, 0, century: 0)).Year);     // register never set
        Assert.False(CmosTime.Decode(R(Bcd24, 0x26, 0x01, 0x01, 0, 0, 0, century: 0x1a), out _)); // bad BCD
        Assert.False(CmosTime.Decode(R(Bin24, 26, 1, 1, 0, 0, 0, century: 100), out _));
        // 2100 is not a leap year: with the century register, Feb 29 of "00" depends on it.
        Assert.False(CmosTime.Decode(R(Bcd24, 0x00, 0x02, 0x29, 0, 0, 0, century: 0x21), out _));
        Assert.Equal(2000, D(R(Bcd24, 0x00, 0x02, 0x29, 0, 0, 0, century: 0x20)).Year);
    }

    [Theory]
    [InlineData(0x24, 0x02, 0x30)]  // Feb 30
    [InlineData(0x23, 0x02, 0x29)]  // not a leap year
    [InlineData(0x24, 0x13, 0x01)]  // month 13
    [InlineData(0x24, 0x00, 0x01)]  // month 0
    [InlineData(0x24, 0x04, 0x31)]
    [InlineData(0x24, 0x01, 0x00)]
    [InlineData(0x2a, 0x01, 0x01)]  // not BCD
    [InlineData(0xa0, 0x01, 0x01)]  // year 100+
    public void ImpossibleDatesAreRejected(int year, int month, int day)
    {
        Assert.False(CmosTime.Decode(R(Bcd24, year, month, day, 0, 0, 0), out _));
    }

    [Fact]
    public void MinutesAndSecondsAreChecked()
    {
        Assert.False(CmosTime.Decode(R(Bcd24, 0x24, 1, 1, 0, 0x60, 0), out _));
        Assert.False(CmosTime.Decode(R(Bcd24, 0x24, 1, 1, 0, 0, 0x5a), out _));
        Assert.False(CmosTime.Decode(R(Bin24, 24, 1, 1, 0, 0, 60), out _));
        Assert.False(CmosTime.Decode(R(Bin24, 100, 1, 1, 0, 0, 0), out _));
    }

    [Fact]
    public void FieldCoding()
    {
        Assert.True(CmosTime.DecodeField(0x59, false, out int v));
        Assert.Equal(59, v);
        Assert.True(CmosTime.DecodeField(0x59, true, out v));
        Assert.Equal(0x59, v);
        Assert.False(CmosTime.DecodeField(0x5a, false, out _));
        Assert.False(CmosTime.DecodeField(0xa5, false, out _));
        Assert.Equal(0x42, CmosTime.EncodeField(42, false));
        Assert.Equal(42, CmosTime.EncodeField(42, true));
    }

    [Fact]
    public void EncodeDecodeRoundTripInEveryMode()
    {
        const int Seed = 42;
        var rng = new Random(Seed);
        foreach (byte mode in new[] { Bcd24, Bin24, Bcd12, Bin12 })
        {
            for (int i = 0; i < 5000; i++)
            {
                bool century = rng.Next(2) == 0;
                long s = century ? rng.NextInt64(-2_208_988_800, 4_102_444_800)   // 1900..2099
                                 : rng.NextInt64(946_684_800, 4_102_444_800);     // 2000..2099
                Assert.True(RtcCalendar.FromUnixSeconds(s, out RtcDateTime t));
                Assert.True(CmosTime.Encode(t, mode, century, out CmosTimeRegisters r));
                Assert.True(CmosTime.Decode(r, out RtcDateTime back), $"seed {Seed} mode {mode} s {s}");
                Assert.Equal(t, back);
            }
        }
        Assert.False(CmosTime.Encode(new RtcDateTime(2024, 2, 30, 0, 0, 0), Bcd24, false, out _));
    }

    [Fact]
    public void SameReading()
    {
        var a = R(Bcd24, 0x26, 0x11, 0x25, 0x06, 0x10, 0x00, century: 0x20);
        var b = a;
        Assert.True(CmosTime.SameReading(a, b));
        b.Second = 0x01;
        Assert.False(CmosTime.SameReading(a, b));
        b = a;
        b.Century = 0x21;
        Assert.False(CmosTime.SameReading(a, b));
        b = a;
        b.StatusB = Bin24;
        Assert.False(CmosTime.SameReading(a, b));
    }
}
