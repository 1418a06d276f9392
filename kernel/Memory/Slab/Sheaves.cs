// Platform-neutral shared source (kernel and host tests).
// The fast path: kmem_cache_alloc / kmem_cache_free through this CPU's sheaves (Linux 7.0).
// An allocation pops the top of the main array; a free pushes on it. When main is empty the
// spare is swapped in if it has objects, else main is refilled with half a sheaf from the
// cache's slabs; when main is full an empty spare is swapped in, a full one flushed to the
// slabs first. So slab lists are touched once per half sheaf at most.
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
    public static void* Alloc(SlabCache* c)
    {
        ulong token = Interrupts.SaveAndDisable();
        CpuSheaves* s = SlabCache.SheavesAt(c, CpuLocal.CurrentCpu);
        int n = s->MainCount - 1;
        void* obj;
        if (n >= 0)
        {
            obj = s->Main[n];
            s->MainCount = n;
        }
        else
        {
            obj = AllocSlow(c, s);
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
        int n = s->MainCount;
        if (n < s->Capacity)
        {
            s->Main[n] = obj;
            s->MainCount = n + 1;
        }
        else
        {
            FreeSlow(c, s, obj);
        }
        Interrupts.Restore(token);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void* AllocSlow(SlabCache* c, CpuSheaves* s)
    {
        if (s->Capacity == 0)
            return SlabDebug.Alloc(c);
        if (s->SpareCount == 0)
        {
            s->MainCount = SlabPages.Refill(c, s->Main, (s->Capacity + 1) / 2);
            if (s->MainCount == 0)
                return null;
        }
        else
        {
            Swap(s);
        }
        int n = s->MainCount - 1;
        s->MainCount = n;
        return s->Main[n];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void FreeSlow(SlabCache* c, CpuSheaves* s, void* obj)
    {
        if (s->Capacity == 0)
        {
            SlabDebug.Free(c, obj);
            return;
        }
        if (s->SpareCount != 0)
        {
            SlabPages.Flush(c, s->Spare, s->SpareCount);
            s->SpareCount = 0;
        }
        Swap(s);
        s->Main[0] = obj;
        s->MainCount = 1;
    }

    static void Swap(CpuSheaves* s)
    {
        void** m = s->Main;
        s->Main = s->Spare;
        s->Spare = m;
        int n = s->MainCount;
        s->MainCount = s->SpareCount;
        s->SpareCount = n;
    }

    /// <summary>Empties every CPU's sheaves into the slabs and gives back every empty slab beyond
    /// <paramref name="keepEmpty"/>. Only safe while other CPUs leave the cache alone (today: one CPU).</summary>
    public static void Shrink(SlabCache* c, uint keepEmpty = 0)
    {
        ulong token = Interrupts.SaveAndDisable();
        for (int i = 0; i < CpuLocal.MaxCpus; i++)
        {
            CpuSheaves* s = c->Cpus + i;
            SlabPages.Flush(c, s->Main, s->MainCount);
            s->MainCount = 0;
            SlabPages.Flush(c, s->Spare, s->SpareCount);
            s->SpareCount = 0;
        }
        SlabPages.ShrinkEmpty(c, keepEmpty);
        Interrupts.Restore(token);
    }

    internal static void InitSheaves(CpuSheaves* s, int capacity)
    {
        s->Main = (void**)s->StorageA;
        s->Spare = (void**)s->StorageB;
        s->MainCount = s->SpareCount = 0;
        s->Capacity = capacity;
        s->Padding = 0;
    }

    /// <summary>Sheaf size: 32 objects up to 256 bytes, 16 up to 1 KiB, 8 above (a full sheaf
    /// pins at most a few slabs' worth of large objects).</summary>
    internal static int SheafCapacity(uint objectSize) =>
        objectSize <= 256 ? 32 : objectSize <= 1024 ? 16 : 8;
}
