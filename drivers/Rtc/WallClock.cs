// Unix time for CLOCK_REALTIME. The CMOS clock counts whole seconds and costs a slow port
// dance per reading, so it is read once, at the first request, and the TSC's microseconds since
// then are added: the wall clock then advances exactly as CLOCK_MONOTONIC does and never jumps.
// A clock that holds no valid date leaves the wall clock at the Unix epoch plus the uptime.
using Kernel.Arch.X64;

namespace Kernel.Drivers.Rtc;

public static class WallClock
{
    static bool s_anchored;
    static long s_anchorUnixMicroseconds;  // Unix time at the anchor reading
    static ulong s_anchorUptimeMicroseconds;

    /// <summary>Microseconds since 1970-01-01 00:00:00 UTC.</summary>
    public static long UnixMicroseconds
    {
        get
        {
            if (!s_anchored) Anchor();
            return s_anchorUnixMicroseconds + (long)(Clock.MicrosecondsSinceBoot - s_anchorUptimeMicroseconds);
        }
    }

    static void Anchor()
    {
        ulong now = Clock.MicrosecondsSinceBoot;
        s_anchorUnixMicroseconds = CmosRtc.TryRead(out RtcDateTime time) ? Calendar.ToUnixSeconds(time) * 1_000_000 : (long)now;
        s_anchorUptimeMicroseconds = now;
        s_anchored = true;
    }
}
