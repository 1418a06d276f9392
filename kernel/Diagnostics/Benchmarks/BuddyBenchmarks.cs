// The buddy allocator's paths, as issue 3 asks: an order-0 alloc+free through the per-CPU cache
// (the fast path: a list pop and push with interrupts saved), the same in bursts that force
// refills and drains, and straight on the buddy free lists (split and coalesce every time).
// Linux's figure for an order-0 alloc+free is about 163 cycles (memory-manager.md).
using Kernel.Boot.Memory;
using Kernel.Memory.Physical;

namespace Kernel.Diagnostics.Benchmarks;

public static unsafe class BuddyBenchmarks
{
    const int Burst = 256;

    static BuddyAllocator* B => PhysicalPages.Buddy;

    public static bool PerCpuAllocFree(ulong operations)
    {
        for (ulong i = 0; i < operations; i++)
        {
            ulong page = B->AllocatePage();
            if (page == 0) return false;
            B->FreePage(page);
        }
        return true;
    }

    /// <summary>Counts one alloc+free pair per page; a burst outgrows the per-CPU cache.</summary>
    public static bool PerCpuBurst(ulong operations)
    {
        ulong* pages = stackalloc ulong[Burst];
        for (ulong done = 0; done < operations; done += Burst)
        {
            int taken = 0;
            for (; taken < Burst; taken++)
                if ((pages[taken] = B->AllocatePage()) == 0) break;
            for (int k = 0; k < taken; k++)
                B->FreePage(pages[k]);
            if (taken < Burst) return false;
        }
        return true;
    }

    public static bool DirectAllocFree(ulong operations)
    {
        for (ulong i = 0; i < operations; i++)
        {
            ulong page = B->AllocatePagesDirect(0, ZoneType.Normal);
            if (page == 0) return false;
            B->FreePagesDirect(page, 0);
        }
        return true;
    }

    public static bool Order3AllocFree(ulong operations)
    {
        for (ulong i = 0; i < operations; i++)
        {
            ulong block = B->AllocatePages(3, ZoneType.Normal);
            if (block == 0) return false;
            B->FreePages(block, 3);
        }
        return true;
    }
}
