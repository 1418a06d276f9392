// Bring-up of interrupts and devices, once memory management runs (device registers and
// firmware tables are mapped on demand): ACPI tables, the interrupt controllers and the timer,
// then the drivers (framebuffer console, serial input, PS/2 keyboard, RTC), then interrupts on.
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Drivers.Framebuffer;
using Kernel.Drivers.Keyboard;
using Kernel.Drivers.Rtc;
using Kernel.Drivers.Serial;

namespace Kernel.Boot;

public static unsafe class Devices
{
    public static void Initialize()
    {
        AcpiTables.Initialize(BootData.Info);
        InterruptControllers.Initialize(allowApic: !BootData.CommandLine->Has("noapic"));
        Timer.Start();

        string screen = FramebufferScreen.Initialize(BootData.Info, &Memory.KernelVmalloc.Allocate);
        if (screen == null)
            Log.Info($"console: framebuffer {BootData.Info->FramebufferWidth}x{BootData.Info->FramebufferHeight}, {FramebufferScreen.Columns}x{FramebufferScreen.Rows} cells of {FramebufferScreen.FontWidth}x{FramebufferScreen.FontHeight}");
        else if (BootData.Info->HasFramebuffer && BootData.Info->FramebufferType == 1)
            Log.Warning($"console: no framebuffer console: {screen}");

        SerialInput.Initialize();
        bool has8042 = !AcpiTables.HasFadt || AcpiTables.Fadt->Has8042;
        if (has8042 && !Ps2Keyboard.Initialize()) Log.Warning("keyboard: no i8042 controller answered");
        if (AcpiTables.HasFadt) CmosRtc.SetCenturyIndex(AcpiTables.Fadt->CenturyIndex);

        Cpu.EnableInterrupts();
        Log.Info($"input: serial {(SerialInput.Enabled ? "on IRQ 4" : "absent")}, keyboard {(Ps2Keyboard.Enabled ? "on IRQ 1" : "absent")}");
    }
}
