// Serial input by interrupt: COM1's "received data available" interrupt (ISA IRQ 4) drains the
// UART's FIFO into the console input queue. When the UART is absent nothing is registered.
using Kernel.Arch.X64;
using Kernel.Drivers.Console;

namespace Kernel.Drivers.Serial;

public static unsafe class SerialInput
{
    public const int Irq = 4;
    const int MaxBytesPerInterrupt = 64;   // a 16550 FIFO holds 16; this bounds a stuck line

    public static bool Enabled { get; private set; }

    public static void Initialize()
    {
        if (!Uart16550.Present) return;
        InterruptDispatch.RegisterIrq(Irq, &OnInterrupt);
        Uart16550.EnableReceiveInterrupt();
        Drain();   // bytes typed before the interrupt was on would not raise one
        Enabled = true;
    }

    static void OnInterrupt(InterruptFrame* frame) => Drain();

    /// <summary>Also callable with interrupts off (polling the port as a fallback).</summary>
    public static void Drain()
    {
        for (int i = 0; i < MaxBytesPerInterrupt && Uart16550.TryReadByte(out byte b); i++)
            ConsoleInput.Push(b);
    }
}
