// The hooks the platform-neutral core (kernel/Memory, ...) calls instead of touching the CPU:
// interrupt-save sections, the current CPU's index, TLB invalidation and the direct map.
// tests/Kernel.Tests/Support/HostPlatform.cs defines the same names for host tests. The rules
// they serve are in docs/concurrency.md.
using Kernel.Arch.X64;

namespace Kernel.Platform;

public static class Interrupts
{
    /// <summary>Disables interrupts and returns a token for Restore (sections nest).</summary>
    public static ulong SaveAndDisable() => Cpu.SaveFlagsAndDisableInterrupts();

    public static void Restore(ulong token)
    {
        if (token != 0) Cpu.EnableInterrupts();
    }
}

public static class CpuLocal
{
    /// <summary>Upper bound on CPUs; per-CPU arrays are sized by it. One CPU runs today.</summary>
    public const int MaxCpus = 1;

    /// <summary>The index of the CPU running the caller (valid inside an interrupt-save section).</summary>
    public static int CurrentCpu => 0;
}

public static class Tlb
{
    public static void Invalidate(ulong virtualAddress) => Cpu.InvalidatePage(virtualAddress);
    public static void FlushAll() => Cpu.WriteCr3(Cpu.ReadCr3());
}
