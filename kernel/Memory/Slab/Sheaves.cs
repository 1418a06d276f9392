// Platform-neutral shared source (kernel and host tests).
// The fast path: kmem_cache_alloc / kmem_cache_free through this CPU's two sheaves (after
// Linux 7.0's per-CPU sheaves). An allocation pops the alloc sheaf; a free pushes on the free
// sheaf. When the alloc sheaf runs empty, the free sheaf is swapped in if it holds at least half
// a sheaf (the objects freed last are handed out next, still cache-hot), else the alloc sheaf is
// refilled with half a sheaf from the cache's slabs; the threshold keeps an alloc+free churn
// from swapping on every call when only one or two objects circulate. When the free sheaf runs
// full, it is swapped in as the alloc sheaf if that one is empty, else flushed to the slabs. So
// slab lists are touched once per half sheaf at most.
//
// Why two roles instead of Linux's one main sheaf for both: with one array, an alloc pops the
// object the last free pushed, and the free's push address depends on kfree's cache lookup from
// the pointer; every alloc+free pair then waits for the previous pair's lookup (a chain of
// dependent loads, ~2.3x slower in a churn on the host). Split, an alloc depends on the
// previous alloc only, a free on the previous free only (mimalloc's free-list sharding does the
// same). Reuse stays hot: a freed object comes back within one sheaf of frees.
//
// Fast-path rules: one interrupt-save section per call, no call out of this file unless a
// sheaf is empty or full, no division. Debug caches have Capacity 0: every call falls through
// to the checked path in SlabDebug.cs, so non-debug caches pay nothing for debugging.
using System.Runtime.CompilerServices;
using Kernel.Platform;

namespace Kernel.Memory.Slab;

public static unsafe partial class KmemCache
{
    /// <summary>kmem_cache_alloc: an object of <paramref name="c"/>, or null when out of memory.
    /// Contents are whatever the last user (or the constructor) left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void* Alloc(SlabCache* c) => Alloc(c, NotKmalloc);

    /// <summary>Passed as the requested size by kmem_cache_alloc: no size to remember.</summary>
    internal const ulong NotKmalloc = ulong.MaxValue;

    /// <summary>The fast path shared by kmem_cache_alloc and kmalloc. <paramref name="requested"/>
    /// (kmalloc's size) only travels to the slow path, where a debug cache with Z keeps it, so a
    /// cache without debug flags pays nothing for it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void* Alloc(SlabCache* c, ulong requested)
    {
        ulong token = Interrupts.SaveAndDisable();
        CpuSheaves* s = SlabCache.SheavesAt(c, CpuLocal.CurrentCpu);
        int n = s->AllocCount - 1;
        void* obj;
        if (n >= 0)
        {
            obj = s->AllocSheaf[n];
            s->AllocCount = n;
        }
        else
        {
            obj = AllocSlow(c, s, requested);
        }
        Interrupts.Restore(token);
        return obj;
    }

    /// <summary>kmem_cache_free: <paramref name="obj"/> must come from <paramref name="c"/>
    /// (checked only by debug caches, as in Linux; kfree finds the cache itself).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Free(SlabCache* c, void* obj)
    {
        ulong token = Interrupts.SaveAndDisable();
        CpuSheaves* s = SlabCache.SheavesAt(c, CpuLocal.CurrentCpu);
        int n = s->FreeCount;
        if (n < s->Capacity)
        {
            s->FreeSheaf[n] = obj;
            s->FreeCount = n + 1;
        }
        else
        {
            FreeSlow(c, s, obj);
        }
        Interrupts.Restore(token);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void* AllocSlow(SlabCache* c, CpuSheaves* s, ulong requested)
    {
        if (s->Capacity == 0)
            return SlabDebug.Alloc(c, requested);
        if (s->FreeCount >= (s->Capacity + 1) / 2)
        {
            Swap(s);
        }
        else
        {
            s->AllocCount = SlabPages.Refill(c, s->AllocSheaf, (s->Capacity + 1) / 2);
            if (s->AllocCount == 0)
                return null;
        }
        int n = s->AllocCount - 1;
        s->AllocCount = n;
        return s->AllocSheaf[n];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void FreeSlow(SlabCache* c, CpuSheaves* s, void* obj)
    {
        if (s->Capacity == 0)
        {
            SlabDebug.Free(c, obj);
            return;
        }
        if (s->AllocCount == 0)
        {
            Swap(s);
        }
        else
        {
            SlabPages.Flush(c, s->FreeSheaf, s->FreeCount);
            s->FreeCount = 0;
        }
        s->FreeSheaf[s->FreeCount] = obj;
        s->FreeCount++;
    }

    static void Swap(CpuSheaves* s)
    {
        void** a = s->AllocSheaf;
        s->AllocSheaf = s->FreeSheaf;
        s->FreeSheaf = a;
        int n = s->AllocCount;
        s->AllocCount = s->FreeCount;
        s->FreeCount = n;
    }

    /// <summary>Empties every CPU's sheaves into the slabs and gives back every empty slab beyond
    /// <paramref name="keepEmpty"/>. Only safe while other CPUs leave the cache alone (today: one CPU).</summary>
    public static void Shrink(SlabCache* c, uint keepEmpty = 0)
    {
        ulong token = Interrupts.SaveAndDisable();
        for (int i = 0; i < CpuLocal.MaxCpus; i++)
        {
            CpuSheaves* s = c->Cpus + i;
            SlabPages.Flush(c, s->AllocSheaf, s->AllocCount);
            s->AllocCount = 0;
            SlabPages.Flush(c, s->FreeSheaf, s->FreeCount);
            s->FreeCount = 0;
        }
        SlabPages.ShrinkEmpty(c, keepEmpty);
        Interrupts.Restore(token);
    }

    internal static void InitSheaves(CpuSheaves* s, int capacity)
    {
        s->AllocSheaf = (void**)s->StorageA;
        s->FreeSheaf = (void**)s->StorageB;
        s->AllocCount = s->FreeCount = 0;
        s->Capacity = capacity;
        s->Padding = 0;
    }

    /// <summary>Sheaf size: 32 objects up to 256 bytes, 16 up to 1 KiB, 8 above (a full sheaf
    /// pins at most a few slabs' worth of large objects).</summary>
    internal static int SheafCapacity(uint objectSize) =>
        objectSize <= 256 ? 32 : objectSize <= 1024 ? 16 : 8;
}
