// The kernel's tick and its sense of time. The PIT interrupts Hz times a second (on whichever
// controller InterruptControllers picked); each tick counts, then calls the hook a scheduler
// installs with SetTickHandler (in interrupt context: interrupts off, EOI already sent, no
// allocation; it may switch tasks). Uptime comes from the TSC (Clock), so it is fine-grained
// and monotonic; the tick count is what advances in the background. Sleep halts until the
// deadline, woken by ticks (or spins when interrupts are off).
using Kernel.Diagnostics;

namespace Kernel.Arch.X64;

public static unsafe class Timer
{
    public const uint Hz = 1000;
    public const int Irq = 0;

    static ulong s_ticks;
    static ulong s_divisor;
    static delegate*<InterruptFrame*, void> s_onTick;

    public static bool Running => s_divisor != 0;

    /// <summary>Timer interrupts since Start (read through a call so loops see it change).</summary>
    public static ulong Ticks
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        get => s_ticks;
    }

    /// <summary>The tick period the PIT actually produces, in nanoseconds.</summary>
    public static ulong TickNanoseconds => s_divisor * 1_000_000_000UL / Pit.InputHz;

    public static ulong UptimeNanoseconds => Clock.NanosecondsSinceBoot;

    /// <summary>Installs (or, with null, removes) the per-tick hook; returns the previous one.</summary>
    public static delegate*<InterruptFrame*, void> SetTickHandler(delegate*<InterruptFrame*, void> handler)
    {
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        var previous = s_onTick;
        s_onTick = handler;
        Kernel.Platform.Interrupts.Restore(token);
        return previous;
    }

    public static void Start()
    {
        s_divisor = Pit.StartPeriodic(Hz);
        if (s_divisor == 0) s_divisor = 65536;
        InterruptDispatch.RegisterIrq(Irq, &OnInterrupt);
        Log.Info($"timer: PIT at {Pit.InputHz / s_divisor} Hz on IRQ {Irq} (GSI {InterruptControllers.GsiOf(Irq)}) via {InterruptControllers.ModeName}");
    }

    static void OnInterrupt(InterruptFrame* frame)
    {
        s_ticks++;
        var hook = s_onTick;
        if (hook != null) hook(frame);
    }

    /// <summary>Waits at least <paramref name="nanoseconds"/>. With interrupts on the CPU halts
    /// between ticks; with them off (or no timer) it spins on the TSC.</summary>
    public static void Sleep(ulong nanoseconds)
    {
        ulong deadline = UptimeNanoseconds + nanoseconds;
        bool canHalt = Running && Cpu.InterruptsEnabled;
        while (UptimeNanoseconds < deadline)
        {
            if (canHalt) Cpu.Halt();
            else Cpu.Pause();
        }
    }

    public static void SleepMilliseconds(ulong ms) => Sleep(ms * 1_000_000);
}
