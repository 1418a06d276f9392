// Platform-neutral shared source (kernel and host tests).
// kmalloc and friends over size-class caches: 8, 16, 32, 64, 96, 128, 192, 256, 512, 1 KiB,
// 2 KiB, 4 KiB, 8 KiB (Linux's classes). A request picks its class with one table load
// (indexed by (size + 7) / 8). Above 8 KiB the request goes to the page source as one block of
// 2^order pages; its head descriptor says so (KmallocLarge) and keeps the requested size, so
// kfree and ksize need nothing but the address.
//
// kfree finds the cache from the address: physical address -> frame descriptor (inline frame-map
// lookup) -> SlabPage bit -> Owner = cache; the offset in the slab must be an object start. A
// pointer that passes neither that nor the KmallocLarge test is reported and ignored.
using System.Runtime.CompilerServices;
using Kernel.Memory.Physical;

namespace Kernel.Memory.Slab;

public unsafe partial struct SlabAllocator
{
    public const int KmallocClassCount = 13;
    public const ulong KmallocMaxCacheSize = 8192;
    internal const int SizeIndexEntries = (int)(KmallocMaxCacheSize / 8) + 1;


    static uint ClassSize(int i)
    {
        switch (i)
        {
            case 0: return 8;
            case 1: return 16;
            case 2: return 32;
            case 3: return 64;
            case 4: return 96;
            case 5: return 128;
            case 6: return 192;
            default: return 256u << (i - 7);
        }
    }

    static string ClassName(int i)
    {
        switch (i)
        {
            case 0: return "kmalloc-8";
            case 1: return "kmalloc-16";
            case 2: return "kmalloc-32";
            case 3: return "kmalloc-64";
            case 4: return "kmalloc-96";
            case 5: return "kmalloc-128";
            case 6: return "kmalloc-192";
            case 7: return "kmalloc-256";
            case 8: return "kmalloc-512";
            case 9: return "kmalloc-1k";
            case 10: return "kmalloc-2k";
            case 11: return "kmalloc-4k";
            default: return "kmalloc-8k";
        }
    }

    SlabStatus CreateKmallocCaches()
    {
        // Classes are created largest first so the registry (newest first) lists them smallest first.
        for (int i = KmallocClassCount - 1; i >= 0; i--)
        {
            uint size = ClassSize(i);
            // 8-byte objects stay 8-aligned; the rest at least 16 (SSE-friendly `new`), and
            // power-of-two classes are naturally aligned to their size by the slab layout.
            SlabCache* c = CreateCache(ClassName(i), size, size == 8 ? 8u : 16u, SlabFlags.Kmalloc, null, out SlabStatus s);
            if (c == null)
                return s;
            _kmalloc[i] = (ulong)c;
        }
        int cls = 0;
        for (int e = 0; e < SizeIndexEntries; e++)
        {
            ulong size = (ulong)e * 8;
            while (ClassSize(cls) < size)
                cls++;
            _sizeIndex[e] = (byte)cls;
        }
        return SlabStatus.Ok;
    }

    /// <summary>The kmalloc cache serving <paramref name="size"/> bytes (size &lt;= 8 KiB).</summary>
    public SlabCache* KmallocCache(ulong size) => (SlabCache*)_kmalloc[_sizeIndex[(size + 7) >> 3]];

    public SlabCache* KmallocClass(int i) => (uint)i < KmallocClassCount ? (SlabCache*)_kmalloc[i] : null;

    /// <summary>kmalloc: at least <paramref name="size"/> bytes, or null. Size 0 gets the
    /// smallest class (a unique pointer kfree accepts). Contents are not cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Kmalloc(ulong size)
    {
        if (size <= KmallocMaxCacheSize)
        {
            SlabCache* c = (SlabCache*)_kmalloc[_sizeIndex[(size + 7) >> 3]];
            return KmemCache.Alloc(c, size);        // a Z cache keeps size on its checked path
        }
        return KmallocLarge(size);
    }

    /// <summary>kzalloc: kmalloc with the first <paramref name="size"/> bytes zeroed.</summary>
    public void* Kzalloc(ulong size)
    {
        void* p = Kmalloc(size);
        if (p != null)
            Zero((byte*)p, size);
        return p;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void* KmallocLarge(ulong size)
    {
        ulong pages = (size + PageGeometry.PageSize - 1) >> PageGeometry.PageShift;
        int order = 0;
        while ((1UL << order) < pages)
            order++;
        if (order > PageGeometry.MaxOrder)
            return null;
        ulong phys = Source.AllocatePages(order);
        if (phys == 0)
            return null;
        PageDescriptor* d = Source.Frames.At((uint)(phys >> PageGeometry.PageShift));
        d->Flags |= FrameFlags.KmallocLarge;
        d->Owner = size;
        LargeBlocks++;
        LargePages += 1UL << order;
        return PhysicalMap.ToVirtual(phys);
    }

    /// <summary>kfree: null is ignored; a pointer kmalloc (or any cache) did not hand out is
    /// reported and ignored, never freed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Kfree(void* p)
    {
        if (p == null)
            return;
        ulong phys = PhysicalMap.ToPhysical(p);
        PageDescriptor* d = Source.Frames.LookupAny(phys >> PageGeometry.PageShift);
        if (d != null && (d->Flags & FrameFlags.SlabPage) != 0)
        {
            SlabCache* c = (SlabCache*)d->Owner;
            if (c->IsObjectStart(phys & (c->SlabBytes - 1)))
            {
                KmemCache.Free(c, p);
                return;
            }
        }
        KfreeOther(p, d);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void KfreeOther(void* p, PageDescriptor* d)
    {
        ulong phys = PhysicalMap.ToPhysical(p);
        if (d != null && (d->Flags & FrameFlags.Hole) != 0)
            d = null;                               // LookupAny does not tell holes apart
        if (d != null && (d->Flags & FrameFlags.KmallocLarge) != 0 && (phys & (PageGeometry.PageSize - 1)) == 0 && d->IsAllocated)
        {
            int order = d->Order;
            d->Flags &= ~FrameFlags.KmallocLarge;
            d->Owner = 0;
            LargeBlocks--;
            LargePages -= 1UL << order;
            Source.FreePages(phys, order);
            return;
        }
        if (d != null && (d->Flags & FrameFlags.SlabPage) != 0)
        {
            SlabCache* c = (SlabCache*)d->Owner;
            c->Errors++;
            ReportForeign(p, SlabError.NotObjectStart, c);
            return;
        }
        ReportForeign(p, SlabError.ForeignPointer, null);
    }

    /// <summary>ksize: the usable size of a kmalloc block (the class size; with Z the requested
    /// size, since the rest is red zone); 0 for null or a pointer kmalloc did not return.</summary>
    public ulong Ksize(void* p) => UsableSize(p, out _);

    ulong UsableSize(void* p, out bool ours)
    {
        ours = false;
        if (p == null)
            return 0;
        ulong phys = PhysicalMap.ToPhysical(p);
        PageDescriptor* d = Source.Frames.Lookup(phys >> PageGeometry.PageShift);
        if (d == null)
            return 0;
        if ((d->Flags & FrameFlags.SlabPage) != 0)
        {
            SlabCache* c = (SlabCache*)d->Owner;
            if (!c->IsObjectStart(phys & (c->SlabBytes - 1)))
                return 0;
            ours = true;
            return c->OrigSizeOffset != 0 ? SlabDebug.RequestedSize(c, (byte*)p) : c->ObjectSize;
        }
        if ((d->Flags & FrameFlags.KmallocLarge) != 0 && (phys & (PageGeometry.PageSize - 1)) == 0)
        {
            ours = true;
            return PageGeometry.PageSize << d->Order;
        }
        return 0;
    }

    /// <summary>krealloc: resizes keeping the first min(old, new) bytes. Stays in place when the
    /// block is big enough; null p acts as kmalloc; size 0 frees and returns null. On failure
    /// returns null and leaves p untouched. A pointer kmalloc did not return is reported (null).</summary>
    public void* Krealloc(void* p, ulong size)
    {
        if (p == null)
            return Kmalloc(size);
        if (size == 0)
        {
            Kfree(p);
            return null;
        }
        ulong old = UsableSize(p, out bool ours);
        if (!ours)
        {
            ReportForeign(p, SlabError.ForeignPointer, null);
            return null;
        }
        if (size <= old)
        {
            ShrinkInPlace(p, size);
            return p;
        }
        if (size <= KmallocMaxCacheSize)
        {
            // Same class, more of it (with Z the requested size grows inside the class).
            ulong phys = PhysicalMap.ToPhysical(p);
            PageDescriptor* d = Source.Frames.Lookup(phys >> PageGeometry.PageShift);
            if ((d->Flags & FrameFlags.SlabPage) != 0)
            {
                SlabCache* c = (SlabCache*)d->Owner;
                if (c->OrigSizeOffset != 0 && size <= c->ObjectSize)
                {
                    SlabDebug.SetRequestedSize(c, (byte*)p, size);
                    return p;
                }
            }
        }
        void* q = Kmalloc(size);
        if (q == null)
            return null;
        Copy((byte*)q, (byte*)p, old);
        Kfree(p);
        return q;
    }

    void ShrinkInPlace(void* p, ulong size)
    {
        ulong phys = PhysicalMap.ToPhysical(p);
        PageDescriptor* d = Source.Frames.Lookup(phys >> PageGeometry.PageShift);
        if ((d->Flags & FrameFlags.SlabPage) != 0)
        {
            SlabCache* c = (SlabCache*)d->Owner;
            if (c->OrigSizeOffset != 0)
                SlabDebug.SetRequestedSize(c, (byte*)p, size);
        }
        else
        {
            d->Owner = size;
        }
    }

    internal static void Zero(byte* p, ulong n)
    {
        ulong i = 0;
        for (; i + 8 <= n; i += 8)
            *(ulong*)(p + i) = 0;
        for (; i < n; i++)
            p[i] = 0;
    }

    static void Copy(byte* dst, byte* src, ulong n)
    {
        ulong i = 0;
        for (; i + 8 <= n; i += 8)
            *(ulong*)(dst + i) = *(ulong*)(src + i);
        for (; i < n; i++)
            dst[i] = src[i];
    }
}
