// Platform-neutral shared source (kernel and host tests).
// One kmem_cache: objects of one size carved from slabs (2^order contiguous pages), with a
// per-CPU pair of sheaves in front. This file: the fields and the object layout. The fast
// path is in Sheaves.cs, slabs and their lists in SlabPages.cs, debug checks in SlabDebug.cs.
//
// Object slot layout (offsets from the slot start; the slot is Stride bytes, Align-aligned):
//   [left red zone, Z]  [object: ObjectSize, rounded up to 8]  [right red zone, Z: 8 bytes more]
//   [free pointer, when it cannot live in the object: P, Z or a constructor]
//   [requested size, kmalloc caches with Z]  [alloc track, free track: U]  [padding to Stride]
// Without debug options and constructor the free pointer is the object's first word, and the
// slot is just the object rounded up to its alignment.
using System.Runtime.CompilerServices;
using Kernel.Memory.Physical;
using Kernel.Platform;

namespace Kernel.Memory.Slab;

/// <summary>One CPU's sheaves for one cache (after Linux 7.0's slub_percpu_sheaves): allocations
/// pop the alloc sheaf, frees push on the free sheaf; the two swap roles when the alloc sheaf
/// runs empty (Sheaves.cs says why the roles are split).
/// Invariant: 0 &lt;= AllocCount, FreeCount &lt;= Capacity; every pointer below a count is a
/// free object of this cache that is not on any slab free list.</summary>
public unsafe struct CpuSheaves
{
    public const int MaxCapacity = 32;

    public void** AllocSheaf;
    public int AllocCount;
    /// <summary>0 for debug caches: every call then takes the checked slow path.</summary>
    public int Capacity;
    public void** FreeSheaf;
    public int FreeCount;
    public int Padding;
    public fixed ulong StorageA[MaxCapacity];
    public fixed ulong StorageB[MaxCapacity];
}

/// <summary>A doubly linked list of slabs through their head frames' descriptors (Next/Prev pfns).</summary>
public struct SlabList
{
    public uint Head, Tail, Count;
}

public unsafe struct SlabCache
{
    public const int MaxNameLength = 31;
    /// <summary>Slabs are at most 2^3 pages (32 KiB): object offsets fit the descriptor's 16 bits.</summary>
    public const int MaxOrder = 3;
    /// <summary>Empty slabs kept per cache before pages go back to the page allocator: Linux's
    /// min_partial, log2(size) / 2 within [5, 10], or up to 64 KiB of small slabs (at most 16),
    /// so a burst does not grow and release the same slabs over and over.</summary>
    public static uint MinEmptyFor(uint stride, uint slabBytes)
    {
        uint log = 0;
        while ((1u << (int)(log + 1)) <= stride) log++;
        uint n = log / 2;
        n = n < 5 ? 5 : n > 10 ? 10 : n;
        // Small slabs are cheap to keep: up to 64 KiB of empty slabs per cache, at most 16.
        uint small = (64u << 10) / slabBytes;
        if (small > 16) small = 16;
        return small > n ? small : n;
    }

    // ---- hot: read by the fast path ----
    public CpuSheaves* Cpus;            // [CpuLocal.MaxCpus]
    public SlabFlags Flags;
    public uint ObjectSize;             // what the creator asked for (kmalloc: the class size)
    public uint ObjectOffset;           // left red zone: object = slot + ObjectOffset
    public uint Stride;
    public uint SlabBytes;              // PAGE_SIZE << Order
    public uint ObjectsPerSlab;
    public int StrideShift;             // Stride = odd << StrideShift
    public uint ObjectsBytes;           // ObjectsPerSlab * Stride
    public ulong StrideLowMask;         // (1 << StrideShift) - 1
    public ulong OddInverse, OddLimit;  // exact divisibility test by the odd part of Stride
    public SlabAllocator* Allocator;

    // ---- layout ----
    public uint Align;
    public uint InUseBytes;             // ObjectSize rounded up to 8
    public uint FreePointerOffset;      // from the slot start
    public uint OrigSizeOffset;         // 0 = not kept
    public uint TrackOffset;            // 0 = no owner tracking
    public int Order;
    public uint Pages;
    public uint Padding1;
    public ulong Secret;                // free-pointer hardening
    public delegate*<void*, void> Constructor;

    // ---- slabs (under the interrupt-save section) ----
    /// <summary>Slabs with at least one free object (empty ones at the tail).</summary>
    public SlabList Partial;
    /// <summary>Slabs with no free object (so destroy can find leaked objects).</summary>
    public SlabList Full;
    public uint EmptySlabs, TotalSlabs, MinEmpty;
    /// <summary>Last byte of slot metadata + 1 (padding up to Stride follows).</summary>
    public uint MetaEnd;
    /// <summary>Objects out of slabs: handed to users or held in sheaves.</summary>
    public ulong ObjectsOutOfSlabs;
    public ulong Errors;
    public ulong AllocationFailures;
    public ulong SlabsAllocated, SlabsFreed;

    // ---- registry ----
    public SlabCache* NextCache, PrevCache;
    public int NameLength;
    public fixed byte Name[MaxNameLength + 1];

    public byte* NameBytes { get { fixed (byte* n = Name) return n; } }

    /// <summary>The per-CPU sheaves sit right after the cache structure (same block from the cache
    /// of caches): a constant offset, so the fast path needs no load to find them (Cpus == SheavesAt(c, 0)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CpuSheaves* SheavesAt(SlabCache* c, int cpu) =>
        (CpuSheaves*)((byte*)c + (((ulong)sizeof(SlabCache) + 63) & ~63UL)) + cpu;
    public bool IsDebug => (Flags & SlabFlags.DebugMask) != 0;
    public ulong TotalObjects => (ulong)TotalSlabs * ObjectsPerSlab;

    /// <summary>Objects held by sheaves of every CPU (free, but not in slabs).</summary>
    public ulong ObjectsInSheaves
    {
        get
        {
            ulong n = 0;
            for (int i = 0; i < CpuLocal.MaxCpus; i++)
                n += (ulong)(Cpus[i].AllocCount + Cpus[i].FreeCount);
            return n;
        }
    }

    /// <summary>Objects handed to users and not freed.</summary>
    public ulong ActiveObjects => ObjectsOutOfSlabs - ObjectsInSheaves;

    /// <summary>Bytes of pages held by the cache's slabs.</summary>
    public ulong BytesUsed => (ulong)TotalSlabs * SlabBytes;

    /// <summary>Sets the layout fields from ObjectSize, Align, Flags and Constructor. Returns
    /// false when the object cannot fit a slab of MaxOrder.</summary>
    public bool ComputeLayout()
    {
        uint align = Align < 8 ? 8 : Align;
        if ((Flags & SlabFlags.HwCacheAlign) != 0 && align < 64)
            align = 64;
        Align = align;
        InUseBytes = (ObjectSize + 7) & ~7u;
        if (InUseBytes == 0)
            InUseBytes = 8;
        bool red = (Flags & SlabFlags.RedZone) != 0;
        ObjectOffset = red ? AlignUp(16, align) : 0;
        uint cursor = ObjectOffset + InUseBytes;
        if (red)
            cursor += 8;
        if ((Flags & (SlabFlags.Poison | SlabFlags.RedZone)) != 0 || Constructor != null)
        {
            FreePointerOffset = cursor;
            cursor += 8;
        }
        else
        {
            FreePointerOffset = ObjectOffset;
        }
        OrigSizeOffset = 0;
        if (red && (Flags & SlabFlags.Kmalloc) != 0)
        {
            OrigSizeOffset = cursor;
            cursor += 8;
        }
        TrackOffset = 0;
        if ((Flags & SlabFlags.StoreUser) != 0)
        {
            TrackOffset = cursor;
            cursor += 2 * (uint)sizeof(SlabTrack);
        }
        MetaEnd = cursor;
        Stride = AlignUp(cursor, align);
        if (!ChooseOrder())
            return false;
        int shift = 0;
        uint odd = Stride;
        while ((odd & 1) == 0) { odd >>= 1; shift++; }
        StrideShift = shift;
        StrideLowMask = (1UL << shift) - 1;
        ObjectsBytes = ObjectsPerSlab * Stride;
        // Inverse of the odd part modulo 2^64 (Newton: each step doubles the correct bits).
        ulong inv = odd;
        for (int i = 0; i < 5; i++)
            inv *= 2 - odd * inv;
        OddInverse = inv;
        OddLimit = ulong.MaxValue / odd;
        return true;
    }

    /// <summary>The smallest order whose slab holds enough objects (8, or what the largest slab
    /// holds) and wastes at most 1/16 of it; failing that, the order wasting the smallest share.</summary>
    bool ChooseOrder()
    {
        uint maxBytes = (uint)PageGeometry.PageSize << MaxOrder;
        if (Stride > maxBytes)
            return false;
        uint want = maxBytes / Stride < 8 ? maxBytes / Stride : 8;
        int best = -1;
        ulong bestWasteShare = ulong.MaxValue;
        for (int order = 0; order <= MaxOrder; order++)
        {
            uint bytes = (uint)PageGeometry.PageSize << order;
            uint objects = bytes / Stride;
            if (objects == 0)
                continue;
            uint waste = bytes - objects * Stride;
            if (objects >= want && waste * 16 <= bytes)
            {
                best = order;
                break;
            }
            ulong share = ((ulong)waste << 20) / bytes;
            if (objects >= want && share < bestWasteShare)
            {
                bestWasteShare = share;
                best = order;
            }
        }
        if (best < 0)
            best = MaxOrder;
        Order = best;
        Pages = 1u << best;
        SlabBytes = (uint)PageGeometry.PageSize << best;
        ObjectsPerSlab = SlabBytes / Stride;
        return ObjectsPerSlab > 0;
    }

    /// <summary>True when <paramref name="offsetInSlab"/> is the start of an object.
    /// One subtraction, one compare, a mask and a multiply: no division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsObjectStart(ulong offsetInSlab)
    {
        ulong o = offsetInSlab - ObjectOffset;      // wraps to huge when before the first object
        if (o >= ObjectsBytes || (o & StrideLowMask) != 0)
            return false;
        return (o >> StrideShift) * OddInverse <= OddLimit;
    }

    static uint AlignUp(uint v, uint a) => (v + a - 1) & ~(a - 1);
}
