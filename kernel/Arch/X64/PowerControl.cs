// Turning the machine off and restarting it, each by the first method that works:
//   power off: QEMU's isa-debug-exit device when present (the harness reads its status), then
//              ACPI S5 (SLP_TYPa from the DSDT's _S5 package | SLP_EN into PM1a_CNT, and PM1b),
//              then a halt loop with a message;
//   reboot:    the FADT's reset register, then the i8042's reset line (command 0xfe), then a
//              triple fault (an empty IDT and a fault).
// The PIIX4 port-0x604 trick is not used: it is only right on SeaBIOS's PIIX4 machine.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Acpi;
using Kernel.Diagnostics;

namespace Kernel.Arch.X64;

public static unsafe class PowerControl
{
    const ushort DebugExitPort = 0xf4;
    const ushort SleepEnable = 1 << 13;

    /// <summary>isa-debug-exit reads back 0 (QEMU's handler); an empty ISA port floats at 0xff.</summary>
    public static bool DebugExitPresent => Cpu.InByte(DebugExitPort) != 0xff;

    public static void PowerOff()
    {
        Cpu.DisableInterrupts();
        if (DebugExitPresent)
        {
            KernelConsole.Write("poweroff: QEMU isa-debug-exit\n");
            Power.ExitQemu(Power.ExitSuccess);
        }
        if (AcpiTables.HasFadt && AcpiTables.HasS5)
        {
            FadtInfo* f = AcpiTables.Fadt;
            KernelConsole.Write("poweroff: ACPI S5\n");
            EnterS5(f->Pm1aControlPort, AcpiTables.S5TypeA);
            EnterS5(f->Pm1bControlPort, AcpiTables.S5TypeB);
            for (int spin = 0; spin < 10_000_000; spin++) Cpu.Pause();
        }
        KernelConsole.Write("poweroff: no method turned the machine off; halted. It is safe to switch it off.\n");
        Cpu.HaltForever();
    }

    static void EnterS5(ulong port, byte slpTyp)
    {
        if (port == 0 || port > 0xffff) return;
        ushort current = Cpu.InWord((ushort)port);
        Cpu.OutWord((ushort)port, SleepState.Pm1ControlValue(current, slpTyp));
    }

    public static void Reboot()
    {
        Cpu.DisableInterrupts();
        if (AcpiTables.HasFadt && AcpiTables.Fadt->ResetSupported)
        {
            FadtInfo* f = AcpiTables.Fadt;
            KernelConsole.Write("reboot: ACPI reset register\n");
            if (f->ResetRegister.IsIo && f->ResetRegister.Address <= 0xffff)
                Cpu.OutByte((ushort)f->ResetRegister.Address, f->ResetValue);
            else if (f->ResetRegister.AddressSpace == AcpiGenericAddress.SpaceMemory)
            {
                byte* register = (byte*)DeviceMemory.Map(f->ResetRegister.Address, 1, DeviceCaching.Uncached);
                if (register != null) *register = f->ResetValue;
            }
            Settle();
        }
        KernelConsole.Write("reboot: keyboard controller reset line\n");
        Drivers.Keyboard.Ps2Keyboard.PulseResetLine();
        Settle();
        KernelConsole.Write("reboot: triple fault\n");
        TripleFault();
    }

    static void Settle()
    {
        ulong start = Clock.MicrosecondsSinceBoot;
        while (Clock.MicrosecondsSinceBoot - start < 50_000) Cpu.Pause();
    }

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "crash_ud2")]
    static extern void InvalidOpcode();

    /// <summary>With an empty IDT any exception becomes #GP, then #DF, then a shutdown: reset.</summary>
    static void TripleFault()
    {
        ulong* empty = stackalloc ulong[2];
        empty[0] = 0;
        empty[1] = 0;
        Cpu.LoadIdt(empty);
        InvalidOpcode();
        Cpu.HaltForever();
    }
}
