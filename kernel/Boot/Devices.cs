// Bring-up of interrupts and devices, once memory management runs (device registers and
// firmware tables are mapped on demand): ACPI tables, the interrupt controllers, the timer,
// then interrupts on. Drivers that need IRQs register their handlers here.
using Kernel.Arch.X64;
using Kernel.Diagnostics;

namespace Kernel.Boot;

public static unsafe class Devices
{
    public static void Initialize()
    {
        AcpiTables.Initialize(BootData.Info);
        InterruptControllers.Initialize(allowApic: !BootData.CommandLine->Has("noapic"));
        Timer.Start();
        Cpu.EnableInterrupts();
    }
}
