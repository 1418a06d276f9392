// Host stand-ins for kernel/Arch/X64/PlatformHooks.cs: the same names, no hardware. Tests run
// single-threaded per allocator instance, so an interrupt-save section has nothing to do; TLB
// invalidations are counted so page-table tests can check that they happen.
namespace Kernel.Platform;

public static class Interrupts
{
    public static ulong SaveAndDisable() => 0;
    public static void Restore(ulong token) { }
}

public static class CpuLocal
{
    public const int MaxCpus = 1;
    public static int CurrentCpu => 0;
}

public static class Tlb
{
    [System.ThreadStatic] static long s_invalidations;
    [System.ThreadStatic] static long s_flushes;

    public static long Invalidations => s_invalidations;
    public static long Flushes => s_flushes;

    public static void Invalidate(ulong virtualAddress) => s_invalidations++;
    public static void FlushAll() => s_flushes++;
}
