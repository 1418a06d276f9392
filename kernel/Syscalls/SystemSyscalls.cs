// uname, clocks and sleeping, getrandom, reboot.
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Tasks;

namespace Kernel.Syscalls;

public static unsafe class SystemSyscalls
{
    const int FieldLength = 65; // struct utsname: six fields of 65 bytes

    public static long Uname(ulong buffer)
    {
        byte* u = stackalloc byte[6 * FieldLength];
        for (int i = 0; i < 6 * FieldLength; i++) u[i] = 0;
        Put(u, 0, "Linux");
        Put(u, 1, "csharp");
        Put(u, 2, "6.1.0-csharp");
        Put(u, 3, "#1 C# kernel (NativeAOT)");
        Put(u, 4, "x86_64");
        Put(u, 5, "(none)");
        return UserMemory.CopyTo(buffer, u, 6 * FieldLength);
    }

    static void Put(byte* u, int field, string text)
    {
        for (int i = 0; i < text.Length && i < FieldLength - 1; i++) u[field * FieldLength + i] = (byte)text[i];
    }

    /// <summary>Every clock counts from boot (there is no wall clock yet); ids Linux does not
    /// know, and CPU-time clocks of other processes, are -EINVAL.</summary>
    public static long ClockGetTime(int clock, ulong timespec)
    {
        if (clock < 0 || clock > 11 || clock == 8 || clock == 9 || clock == 10) return -Errno.EINVAL;
        // CLOCK_REALTIME (0), CLOCK_REALTIME_COARSE (5) and CLOCK_TAI (11, no leap seconds kept)
        // count from the Unix epoch; the monotonic, boot-time and CPU-time clocks from boot.
        bool wall = clock == 0 || clock == 5 || clock == 11;
        long microseconds = wall ? Drivers.Rtc.WallClock.UnixMicroseconds : (long)Clock.MicrosecondsSinceBoot;
        long* ts = stackalloc long[2];
        ts[0] = microseconds / 1000000;
        ts[1] = microseconds % 1000000 * 1000;
        return UserMemory.CopyTo(timespec, ts, 16);
    }

    public static long NanoSleep(ulong request, ulong remaining)
    {
        long* ts = stackalloc long[2];
        if (UserMemory.CopyFrom(ts, request, 16) < 0) return -Errno.EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000) return -Errno.EINVAL;
        ulong wait = (ulong)ts[0] * 1000000 + (ulong)ts[1] / 1000;
        ulong deadline = Clock.MicrosecondsSinceBoot + wait;
        while (Clock.MicrosecondsSinceBoot < deadline)
        {
            if (SignalSend.Interrupting(Scheduler.Current))
            {
                ulong left = deadline - Clock.MicrosecondsSinceBoot;
                ts[0] = (long)(left / 1000000);
                ts[1] = (long)(left % 1000000 * 1000);
                if (remaining != 0 && UserMemory.CopyTo(remaining, ts, 16) < 0) return -Errno.EFAULT;
                return -Errno.EINTR;
            }
            if (!Scheduler.Yield()) Cpu.Pause();
        }
        return 0;
    }

    const uint GrndNonblock = 1, GrndRandom = 2, GrndInsecure = 4;

    public static long GetRandom(ulong buffer, ulong length, uint flags)
    {
        if ((flags & ~(GrndNonblock | GrndRandom | GrndInsecure)) != 0) return -Errno.EINVAL;
        if ((flags & (GrndRandom | GrndInsecure)) == (GrndRandom | GrndInsecure)) return -Errno.EINVAL;
        if (length > 0x1ffffff) length = 0x1ffffff;
        if (!UserMemory.RangeOk(buffer, length)) return -Errno.EFAULT;
        byte* chunk = stackalloc byte[256];
        ulong done = 0;
        while (done < length)
        {
            ulong n = length - done < 256 ? length - done : 256;
            RandomSource.Fill(chunk, n);
            if (UserMemory.CopyTo(buffer + done, chunk, n) < 0) return done > 0 ? (long)done : -Errno.EFAULT;
            done += n;
        }
        return (long)done;
    }

    const uint RebootMagic1 = 0xfee1dead;
    const uint RebootCadOn = 0x89abcdef, RebootCadOff = 0, RebootHalt = 0xcdef0123, RebootPowerOff = 0x4321fedc, RebootRestart = 0x01234567;

    public static long Reboot(uint magic1, uint magic2, uint command)
    {
        if (magic1 != RebootMagic1 || (magic2 != 672274793 && magic2 != 85072278 && magic2 != 369367448 && magic2 != 537993216))
            return -Errno.EINVAL;
        switch (command)
        {
            case RebootCadOn:
            case RebootCadOff:
                return 0;
            case RebootHalt:
            case RebootPowerOff:
            case RebootRestart:
                Log.Info($"reboot: {(command == RebootRestart ? "restart" : command == RebootHalt ? "system halted" : "power down")} asked by pid {Scheduler.Current->Pid}");
                Power.ExitQemu(Power.ExitSuccess);
                Cpu.HaltForever();
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }
}
