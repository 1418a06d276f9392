// kmain: the first C# code, called by boot/entry64.asm on the boot stack with interrupts off.
using System.Runtime.InteropServices;
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Drivers.Serial;

namespace Kernel.Boot;

public static unsafe class KernelMain
{
    [UnmanagedCallersOnly(EntryPoint = "kmain")]
    static void Main(uint multibootMagic, uint multibootInfoPhysical)
    {
        Uart16550.Initialize();
        Runtime.Startup.InitializeModules();
        KernelConsole.Write("kernel: hello from C#\n");
        Power.ExitQemu(Power.ExitSuccess);
        Cpu.HaltForever();
    }
}
