// The slab allocator's paths (issue 4): kmem_cache_alloc+free of one object (the sheaf pop and
// push, interrupts saved), kmalloc+kfree of 64 bytes (plus the size-class table and kfree's
// descriptor lookup), bursts that refill and flush sheaves, and a large kmalloc (buddy pages).
// Bar: the fast-path pair in at most 60 instructions; Linux SLUB's is 42 cycles on hardware.
// The cache is made on first use and kept (boot lifetime).
using Kernel.Memory.Slab;

namespace Kernel.Diagnostics.Benchmarks;

public static unsafe class SlabBenchmarks
{
    const int Burst = 256;
    static SlabCache* s_cache;

    static SlabCache* Cache()
    {
        if (s_cache == null) s_cache = Kmem.CreateCache("bench_64", 64, 0, SlabFlags.None, null);
        return s_cache;
    }

    public static bool CacheAllocFree(ulong operations)
    {
        SlabCache* c = Cache();
        if (c == null) return false;
        for (ulong i = 0; i < operations; i++)
        {
            void* p = KmemCache.Alloc(c);
            if (p == null) return false;
            KmemCache.Free(c, p);
        }
        return true;
    }

    public static bool KmallocFree64(ulong operations)
    {
        if (!Kmem.Ready) return false;
        for (ulong i = 0; i < operations; i++)
        {
            void* p = Kmem.Kmalloc(64);
            if (p == null) return false;
            Kmem.Kfree(p);
        }
        return true;
    }

    /// <summary>Counts one kmalloc+kfree pair per object; 256 objects outgrow two sheaves.</summary>
    public static bool KmallocBurst(ulong operations)
    {
        if (!Kmem.Ready) return false;
        void** objects = stackalloc void*[Burst];
        for (ulong done = 0; done < operations; done += Burst)
        {
            int taken = 0;
            for (; taken < Burst; taken++)
                if ((objects[taken] = Kmem.Kmalloc(256)) == null) break;
            for (int k = 0; k < taken; k++)
                Kmem.Kfree(objects[k]);
            if (taken < Burst) return false;
        }
        return true;
    }

    public static bool KmallocLarge(ulong operations)
    {
        if (!Kmem.Ready) return false;
        for (ulong i = 0; i < operations; i++)
        {
            void* p = Kmem.Kmalloc(16384);
            if (p == null) return false;
            Kmem.Kfree(p);
        }
        return true;
    }
}
