// The tick and uptime: ticks advance, uptime never goes back, sleep waits at least as long as
// asked, and the scheduler's tick hook is called in interrupt context.
using Kernel.Arch.X64;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class TimerSuite
{
    public const string Name = "timer";

    public static void Register(TestSuite suite)
    {
        suite.Add("running", &IsRunning);
        suite.Add("ticks_advance", &TicksAdvance);
        suite.Add("uptime_monotonic", &UptimeMonotonic);
        suite.Add("sleep_waits_at_least", &SleepWaitsAtLeast);
        suite.Add("sleep_with_interrupts_off", &SleepWithInterruptsOff);
        suite.Add("tick_hook_called_in_irq_context", &TickHookCalled);
        suite.Add("tick_hook_removed", &TickHookRemoved);
    }

    static void IsRunning()
    {
        KTest.Assert(Timer.Running, "timer started at boot");
        KTest.ExpectEqual(Pit.InputHz / Timer.Hz * 1_000_000_000UL / Pit.InputHz, Timer.TickNanoseconds, "tick period from the PIT divisor");
    }

    static void TicksAdvance()
    {
        ulong start = Timer.Ticks;
        Timer.SleepMilliseconds(10);
        KTest.Assert(Timer.Ticks > start, "ticks advanced across a 10 ms sleep");
    }

    static void UptimeMonotonic()
    {
        ulong previous = Timer.UptimeNanoseconds;
        for (int i = 0; i < 100_000; i++)
        {
            ulong now = Timer.UptimeNanoseconds;
            if (now < previous) { KTest.Fail("uptime went backwards"); return; }
            previous = now;
        }
        KTest.Assert(previous > 0, "uptime is past zero");
    }

    static void SleepWaitsAtLeast()
    {
        ulong start = Timer.UptimeNanoseconds;
        Timer.Sleep(3_000_000);
        KTest.Assert(Timer.UptimeNanoseconds - start >= 3_000_000, "3 ms sleep lasted at least 3 ms");
    }

    static void SleepWithInterruptsOff()
    {
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        ulong start = Timer.UptimeNanoseconds;
        Timer.Sleep(1_000_000);
        bool stillOff = !Cpu.InterruptsEnabled;
        Kernel.Platform.Interrupts.Restore(token);
        KTest.Assert(stillOff, "sleep does not enable interrupts");
        KTest.Assert(Timer.UptimeNanoseconds - start >= 1_000_000, "spinning sleep lasted at least 1 ms");
    }

    static ulong s_hookCalls, s_hookWithInterruptsOn, s_hookBadVector;

    static void Hook(InterruptFrame* frame)
    {
        s_hookCalls++;
        if (Cpu.InterruptsEnabled) s_hookWithInterruptsOn++;
        if (frame->Vector != (ulong)InterruptControllers.IrqVectorBase + Timer.Irq) s_hookBadVector++;
    }

    static ulong HookCalls
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        get => s_hookCalls;
    }

    static void TickHookCalled()
    {
        s_hookCalls = s_hookWithInterruptsOn = s_hookBadVector = 0;
        var previous = Timer.SetTickHandler(&Hook);
        ulong spins = 0;
        while (HookCalls < 3 && spins++ < 100_000_000) Cpu.Halt();
        Timer.SetTickHandler(previous);
        KTest.Assert(s_hookCalls >= 3, "hook called on three ticks");
        KTest.ExpectEqual(0UL, s_hookWithInterruptsOn, "hook calls with IF set");
        KTest.ExpectEqual(0UL, s_hookBadVector, "hook frames not from the timer vector");
    }

    static void TickHookRemoved()
    {
        s_hookCalls = 0;
        var previous = Timer.SetTickHandler(&Hook);
        Timer.SetTickHandler(previous);
        ulong calls = HookCalls;
        Timer.SleepMilliseconds(5);
        KTest.ExpectEqual(calls, HookCalls, "no calls after the hook was removed");
    }
}
