// kmain: the first C# code, called by boot/entry64.asm on the boot stack with interrupts off.
// The order matters: serial first (so anything after can report), the runtime's statics,
// then the boot data (copied out before its memory can be reused), CPU tables, and the work.
using System.Runtime.InteropServices;
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;
using Kernel.Drivers.Serial;

namespace Kernel.Boot;

public static unsafe class KernelMain
{
    [UnmanagedCallersOnly(EntryPoint = "kmain")]
    static void Main(uint multibootMagic, uint multibootInfoPhysical)
    {
        Uart16550.Initialize();
        Runtime.Startup.InitializeModules();
        Clock.Initialize();
        BootSequence.ReadBootData(multibootMagic, multibootInfoPhysical);
        BootConsole.Select(BootData.Info);
        BootSequence.PrintBanner();
        BootSequence.LoadSymbols();

        Gdt.Initialize();
        Idt.Initialize();
        Pic.Initialize();
        CpuFeatures.Detect();
        Log.Info($"cpu: GDT, TSS (IST stacks for #DF, NMI, #MC) and IDT loaded; PIC remapped to 0x{Pic.VectorBase:x} and masked");
        Memory.MemorySetup.Initialize(BootData.Info);
        Memory.KernelVmalloc.Initialize();
        Memory.SlabSetup.Initialize(BootData.CommandLine);
        Memory.SlabSetup.LogSlabInfo();
        Devices.Initialize();
        MoveToVmallocStacks();
    }

    /// <summary>
    /// Leaves the boot stack for a vmalloc'd one (guard page below it) and gives #DF, NMI and
    /// #MC vmalloc'd IST stacks too; the boot continues in Continue() on the new stack.
    /// </summary>
    static void MoveToVmallocStacks()
    {
        const ulong IstSize = Gdt.IstStackSize;
        for (int ist = 1; ist <= 3; ist++)
            Gdt.SetIstStack(ist, Memory.KernelVmalloc.AllocateStack(IstSize) - IstSize, IstSize);
        ulong top = Memory.KernelVmalloc.AllocateStack(Memory.KernelVmalloc.KernelStackSize);
        Log.Info($"vmalloc: kernel stack {top - Memory.KernelVmalloc.KernelStackSize:x}-{top:x} and IST stacks with guard pages; leaving the boot stack");
        Memory.KernelVmalloc.SwitchStackAndCall(top, &Continue);
    }

    static void Continue()
    {
        CommandLine* cmdline = BootData.CommandLine;
        Tasks.TaskSetup.Initialize();
        if (cmdline->Has("crash")) CrashTriggers.Run(cmdline);
        if (cmdline->Has("test")) RunTestsAndExit(cmdline);
        if (cmdline->Has("bench")) RunBenchmarksAndExit(cmdline);
        if (cmdline->Has("init")) Tasks.InitProcess.RunAndPowerOff(cmdline);

        Kernel.Shell.Shell.Run();
    }

    static void RunTestsAndExit(CommandLine* cmdline)
    {
        SuiteRegistry.Initialize();
        TestRunner.Totals totals = TestRunner.Run(cmdline);
        Log.Info($"test: {totals.Passed} passed, {totals.Failed} failed, {totals.Skipped} skipped");
        Power.ExitQemu(totals.Failed == 0 ? Power.ExitSuccess : Power.ExitTestFailed);
        Cpu.HaltForever();
    }

    static void RunBenchmarksAndExit(CommandLine* cmdline)
    {
        cmdline->TryGetValue("bench", out byte* selection, out int length);
        Diagnostics.Benchmarks.BenchRunner.Run(selection, length);
        Power.ExitQemu(Power.ExitSuccess);
        Cpu.HaltForever();
    }
}
