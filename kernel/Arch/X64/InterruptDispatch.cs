// The C# side of every interrupt and exception: boot/interrupts.asm calls Dispatch with the
// saved registers (general, and the whole SSE state). Exceptions go to Exceptions.Handle; IRQs
// (vectors 0x20-0x2f whichever controller delivers them) to the handler a driver registered.
// The EOI is sent *before* the handler runs: the handler runs with interrupts off, so nothing
// nests, and a handler that never returns to this frame (the scheduler's tick switching tasks)
// must not leave its controller waiting. Handlers never allocate and never block.
using System.Runtime;
using Kernel.Diagnostics;

namespace Kernel.Arch.X64;

public static unsafe class InterruptDispatch
{
    const int IrqCount = InterruptControllers.IrqCount;
    struct Handlers { public fixed ulong Entries[IrqCount]; }
    struct Counters { public fixed ulong Counts[IrqCount]; }
    static Handlers s_handlers;
    static Counters s_counts;
    static ulong s_unexpected, s_spurious;

    public static ulong UnexpectedCount => s_unexpected;
    /// <summary>Local APIC spurious vectors plus spurious 8259 IRQ 7/15.</summary>
    public static ulong SpuriousCount => s_spurious + Pic.SpuriousCount;

    public static ulong CountOf(int irq)
    {
        if (irq < 0 || irq >= IrqCount) return 0;
        fixed (ulong* c = s_counts.Counts) return c[irq];
    }

    public static bool HasHandler(int irq)
    {
        if (irq < 0 || irq >= IrqCount) return false;
        fixed (ulong* h = s_handlers.Entries) return h[irq] != 0;
    }

    /// <summary>Installs the handler for ISA IRQ <paramref name="irq"/> and unmasks the line.</summary>
    public static void RegisterIrq(int irq, delegate*<InterruptFrame*, void> handler)
    {
        if (irq < 0 || irq >= IrqCount) return;
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        fixed (ulong* h = s_handlers.Entries) h[irq] = (ulong)handler;
        InterruptControllers.Enable(irq);
        Kernel.Platform.Interrupts.Restore(token);
    }

    public static void UnregisterIrq(int irq)
    {
        if (irq < 0 || irq >= IrqCount) return;
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        InterruptControllers.Disable(irq);
        fixed (ulong* h = s_handlers.Entries) h[irq] = 0;
        Kernel.Platform.Interrupts.Restore(token);
    }

    /// <summary>Runs after every interrupt or exception that came from ring 3, just before
    /// the return there (the task layer delivers pending signals). Set once at bring-up.</summary>
    public static delegate*<InterruptFrame*, void> UserReturnHook;

    [RuntimeExport("interrupt_dispatch")]
    static void Dispatch(InterruptFrame* frame)
    {
        DispatchVector(frame);
        if (frame->FromUserMode && UserReturnHook != null) UserReturnHook(frame);
    }

    static void DispatchVector(InterruptFrame* frame)
    {
        int vector = (int)frame->Vector;
        if (vector < 32)
        {
            Exceptions.Handle(frame);
            return;
        }
        if (vector == InterruptControllers.SpuriousVector && InterruptControllers.UsingApic)
        {
            s_spurious++;   // no EOI for the local APIC's spurious vector
            return;
        }
        int irq = vector - InterruptControllers.IrqVectorBase;
        if (irq >= 0 && irq < IrqCount)
        {
            if (!InterruptControllers.IsGenuine(irq)) return;
            ulong handler;
            fixed (ulong* h = s_handlers.Entries) handler = h[irq];
            fixed (ulong* c = s_counts.Counts) c[irq]++;
            InterruptControllers.EndOfInterrupt(irq);
            if (handler != 0) ((delegate*<InterruptFrame*, void>)handler)(frame);
            else s_unexpected++;
            return;
        }
        s_unexpected++;
        InterruptControllers.EndOfUnexpected();
        Log.Warning($"interrupt: unexpected vector {vector}");
    }
}
