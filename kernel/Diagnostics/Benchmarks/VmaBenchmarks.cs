// The VMA tree and address-space operations in the kernel (issue 7: "VMA lookup with 10,000
// VMAs against 10"; mmap+munmap and mprotect split+merge with 10,000 VMAs at most 2x the cost
// with 10). Two address spaces are built on first use and kept for the boot: 10 and 10,000
// VMAs of 3 pages with a 1-page hole after each, alternating protections (nothing merges),
// ending at mmap_base. Operations pick VMAs in a fixed pseudo-random order. No page tables are
// touched: this is the VMA side of the syscalls only.
using Kernel.Boot.Memory;
using Kernel.Memory;
using Kernel.Memory.Virtual;

namespace Kernel.Diagnostics.Benchmarks;

public static unsafe class VmaBenchmarks
{
    const ulong P = 4096, Stride = 4 * P;
    static VmSpace* s_small, s_large;

    static VmSpace* Build(int count)
    {
        ulong page = PhysicalPages.AllocateZeroed();
        if (page == 0) return null;
        byte* p = (byte*)PhysicalMap.ToVirtual(page);
        var pool = (VmaNodePages*)p;
        var space = (VmSpace*)(p + 512);
        space->Initialize(VmaNodePages.AllocatorFor(pool), default);
        ulong low = space->MmapBase - (ulong)count * Stride;
        for (int i = 0; i < count; i++)
        {
            ulong a = low + (ulong)i * Stride;
            int prot = i % 2 == 0 ? Prot.Read | Prot.Write : Prot.Read;
            if (space->Mmap(a, 3 * P, prot, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, null, 0) != (long)a)
                return null;
        }
        return space;
    }

    static VmSpace* Space(int count)
    {
        if (count == 10) return s_small != null ? s_small : (s_small = Build(10));
        return s_large != null ? s_large : (s_large = Build(10_000));
    }

    /// <summary>Start of the i-th VMA in a fixed scattered order (multiplicative hashing).</summary>
    static ulong Pick(VmSpace* space, int count, ulong i)
    {
        ulong index = (i * 0x9E3779B97F4A7C15UL >> 20) % (ulong)count;
        return space->MmapBase - (ulong)count * Stride + index * Stride;
    }

    static bool Find(int count, ulong operations)
    {
        VmSpace* space = Space(count);
        if (space == null) return false;
        ulong sink = 0;
        for (ulong i = 0; i < operations; i++) sink += space->Tree.Find(Pick(space, count, i) + P)->Start;
        return sink != 0;
    }

    static bool MmapMunmap(int count, ulong operations)
    {
        VmSpace* space = Space(count);
        if (space == null) return false;
        for (ulong i = 0; i < operations; i++)
        {
            long a = space->Mmap(0, P, Prot.Read | Prot.Write | Prot.Exec, MapFlags.Private | MapFlags.Anonymous, null, 0);
            if (a < 0 || space->Munmap((ulong)a, P) != 0) return false;
        }
        return true;
    }

    static bool MprotectSplitMerge(int count, ulong operations)
    {
        VmSpace* space = Space(count);
        if (space == null) return false;
        for (ulong i = 0; i < operations; i++)
        {
            ulong a = Pick(space, count, i);
            int prot = space->Tree.Find(a)->Protection;
            if (space->Mprotect(a + P, P, Prot.None) != 0 || space->Mprotect(a + P, P, prot) != 0) return false;
        }
        return space->MapCount == count;
    }

    public static bool Find10(ulong operations) => Find(10, operations);
    public static bool Find10000(ulong operations) => Find(10_000, operations);
    public static bool MmapMunmap10(ulong operations) => MmapMunmap(10, operations);
    public static bool MmapMunmap10000(ulong operations) => MmapMunmap(10_000, operations);
    public static bool Mprotect10(ulong operations) => MprotectSplitMerge(10, operations);
    public static bool Mprotect10000(ulong operations) => MprotectSplitMerge(10_000, operations);
}
