// The C# side of every interrupt and exception: boot/interrupts.asm calls Dispatch with the
// saved registers. Exceptions go to Exceptions.Handle; IRQs to the handler a driver registered
// (handlers run with interrupts off and must not allocate), followed by the EOI.
using System.Runtime;
using Kernel.Diagnostics;

namespace Kernel.Arch.X64;

public static unsafe class InterruptDispatch
{
    const int IrqCount = 16;
    struct Handlers { public fixed ulong Entries[IrqCount]; }
    static Handlers s_handlers;
    static ulong s_unexpected;

    public static ulong UnexpectedCount => s_unexpected;

    public static void RegisterIrq(int irq, delegate*<InterruptFrame*, void> handler)
    {
        fixed (ulong* h = s_handlers.Entries) h[irq] = (ulong)handler;
        Pic.Unmask(irq);
    }

    [RuntimeExport("interrupt_dispatch")]
    static void Dispatch(InterruptFrame* frame)
    {
        int vector = (int)frame->Vector;
        if (vector < 32)
        {
            Exceptions.Handle(frame);
            return;
        }
        int irq = vector - Pic.VectorBase;
        if (irq >= 0 && irq < IrqCount)
        {
            if (Pic.IsSpurious(irq)) return;
            ulong handler;
            fixed (ulong* h = s_handlers.Entries) handler = h[irq];
            if (handler != 0) ((delegate*<InterruptFrame*, void>)handler)(frame);
            else s_unexpected++;
            Pic.SendEndOfInterrupt(irq);
            return;
        }
        s_unexpected++;
        Log.Warning($"interrupt: unexpected vector {vector}");
    }
}
