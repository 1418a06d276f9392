// The one way the kernel stops on an unrecoverable error. It never allocates, turns interrupts
// off, writes by polling, prints where it was called from, and reports the failure to QEMU's
// isa-debug-exit device before halting. A panic inside a panic prints one line and halts.
using Kernel.Arch.X64;

namespace Kernel.Diagnostics;

public static unsafe class Panic
{
    static int s_depth;

    public static bool InProgress => s_depth > 0;

    /// <summary>Panics with a message and the caller's backtrace; never returns.</summary>
    public static void Halt(string message)
    {
        Enter(message);
        KernelConsole.WriteEmergency("\nKERNEL PANIC: ");
        KernelConsole.WriteEmergency(message);
        KernelConsole.WriteEmergency("\n");
        Backtrace.Print(Cpu.ReadFramePointer(), 0);
        KernelConsole.WriteEmergency("---[ end Kernel panic ]---\n");
        Stop();
    }

    /// <summary>
    /// Marks the start of a panic report. A second entry (a fault or panic while reporting)
    /// prints one line and stops at once; a third halts without printing.
    /// </summary>
    public static void Enter(string what)
    {
        Cpu.DisableInterrupts();
        s_depth++;
        if (s_depth == 1) return;
        if (s_depth == 2)
        {
            KernelConsole.WriteEmergency("\nKERNEL PANIC (nested, while reporting): ");
            KernelConsole.WriteEmergency(what);
            KernelConsole.WriteEmergency("\n");
            Stop();
        }
        Cpu.HaltForever();
    }

    /// <summary>Ends a failed run: status 3 on isa-debug-exit (QEMU exits 7), else halt.</summary>
    public static void Stop()
    {
        Power.ExitQemu(Power.ExitPanic);
        Cpu.HaltForever();
    }
}
