// Platform-neutral shared source (kernel and host tests).
// The slab allocator as a whole: its page source and hooks, the registry of caches, the cache
// of caches (kmem_cache structs come from a slab cache too, as in Linux), the kmalloc classes
// (Kmalloc.cs) and the report counters. One instance per kernel (kernel/Boot/Memory/SlabSetup.cs);
// host tests build their own over a host buddy allocator.
using Kernel.Memory.Physical;
using Kernel.Platform;

namespace Kernel.Memory.Slab;

public enum SlabStatus
{
    Ok = 0,
    /// <summary>-EINVAL: a null name, a size of 0 or above what a slab holds, a bad alignment.</summary>
    InvalidArgument = -22,
    /// <summary>-ENOMEM: no page for the cache structure or the bootstrap.</summary>
    OutOfMemory = -12,
    /// <summary>-EBUSY: destroy found objects still allocated; the cache stays.</summary>
    Busy = -16,
}

public unsafe partial struct SlabAllocator
{
    public const int ErrorKinds = 11;
    /// <summary>Largest object size a cache accepts (a slab of MaxOrder must hold one).</summary>
    public const uint MaxObjectSize = 16384;

    public SlabPageSource Source;
    public SlabHooks Hooks;
    /// <summary>Debug options (slab_debug=) applied to every cache created after Initialize.</summary>
    public SlabFlags DebugFlags;
    SlabCache* _root;
    SlabCache* _first;
    ulong _rootPage;
    ulong _seed;
    ulong _cachesCreated;

    /// <summary>Every report, any cache (also frees of foreign pointers).</summary>
    public ulong Reports;
    public fixed ulong ReportsByKind[ErrorKinds];
    /// <summary>A copy of the latest report (its owner records point into the object's slot).</summary>
    public SlabReport LastReport;

    // kmalloc (Kmalloc.cs): class caches, the size -> class table, blocks above 8 KiB.
    fixed ulong _kmalloc[KmallocClassCount];
    fixed byte _sizeIndex[SizeIndexEntries];
    public ulong LargeBlocks;
    public ulong LargePages;

    public bool IsInitialized => _root != null;
    public SlabCache* CacheOfCaches => _root;
    /// <summary>The first cache of the registry (then SlabCache.NextCache).</summary>
    public SlabCache* FirstCache => _first;

    /// <summary>Sets up the cache of caches (on one page of its own) and the kmalloc classes.
    /// <paramref name="seed"/> feeds the per-cache free-pointer secrets.</summary>
    public SlabStatus Initialize(SlabPageSource source, SlabHooks hooks, SlabFlags debug, ulong seed)
    {
        Source = source;
        Hooks = hooks;
        DebugFlags = debug & SlabFlags.DebugMask;
        _seed = seed;
        _first = null;
        _cachesCreated = 0;
        Reports = 0;
        for (int i = 0; i < ErrorKinds; i++)
            ReportsByKind[i] = 0;
        _rootPage = source.AllocatePages(0);
        if (_rootPage == 0)
            return SlabStatus.OutOfMemory;
        byte* page = (byte*)PhysicalMap.ToVirtual(_rootPage);
        for (int i = 0; i < (int)PageGeometry.PageSize; i++)
            page[i] = 0;
        SlabCache* root = (SlabCache*)page;
        if (StructBytes() > PageGeometry.PageSize)
            return SlabStatus.InvalidArgument;
        fixed (SlabAllocator* self = &this)
        {
            SlabStatus s = Setup(self, root, "kmem_cache", (uint)StructBytes(), 64, SlabFlags.None, null);
            if (s != SlabStatus.Ok)
                return s;
        }
        _root = root;
        return CreateKmallocCaches();
    }

    /// <summary>Bytes of one cache structure with its per-CPU sheaves.</summary>
    static ulong StructBytes() => (((ulong)sizeof(SlabCache) + 63) & ~63UL) + (ulong)(sizeof(CpuSheaves) * CpuLocal.MaxCpus);

    /// <summary>kmem_cache_create. <paramref name="name"/> is copied (up to 31 bytes);
    /// <paramref name="align"/> 0 means 8; a power of two up to 4096. The constructor runs once
    /// per object when its slab is made, not on every allocation (Linux semantics): objects must
    /// be freed in their constructed state. Null with <paramref name="status"/> on failure.</summary>
    public SlabCache* CreateCache(string name, uint size, uint align, SlabFlags flags, delegate*<void*, void> ctor, out SlabStatus status)
    {
        status = SlabStatus.InvalidArgument;
        if (name == null || size == 0 || size > MaxObjectSize || (align & (align - 1)) != 0 || align > PageGeometry.PageSize)
            return null;
        if (_root == null)
        {
            status = SlabStatus.OutOfMemory;
            return null;
        }
        SlabCache* c = (SlabCache*)KmemCache.Alloc(_root);
        if (c == null)
        {
            status = SlabStatus.OutOfMemory;
            return null;
        }
        byte* raw = (byte*)c;
        for (ulong i = 0; i < StructBytes(); i++)
            raw[i] = 0;
        fixed (SlabAllocator* self = &this)
            status = Setup(self, c, name, size, align, (flags & ~SlabFlags.DebugMask) | (flags & SlabFlags.DebugMask) | DebugFlags, ctor);
        if (status != SlabStatus.Ok)
        {
            KmemCache.Free(_root, c);
            return null;
        }
        return c;
    }

    static SlabStatus Setup(SlabAllocator* a, SlabCache* c, string name, uint size, uint align, SlabFlags flags, delegate*<void*, void> ctor)
    {
        c->Allocator = a;
        c->ObjectSize = size;
        c->Align = align == 0 ? 8 : align;
        c->Flags = flags;
        c->Constructor = ctor;
        if (!c->ComputeLayout())
            return SlabStatus.InvalidArgument;
        int n = name.Length < SlabCache.MaxNameLength ? name.Length : SlabCache.MaxNameLength;
        for (int i = 0; i < n; i++)
            c->Name[i] = (byte)name[i];
        c->Name[n] = 0;
        c->NameLength = n;
        c->MinEmpty = SlabCache.MinEmptyFor(c->Stride, c->SlabBytes);
        SlabPages.InitList(&c->Partial);
        SlabPages.InitList(&c->Full);
        c->Cpus = (CpuSheaves*)((byte*)c + (((ulong)sizeof(SlabCache) + 63) & ~63UL));
        int capacity = c->IsDebug ? 0 : KmemCache.SheafCapacity(c->Stride);
        for (int i = 0; i < CpuLocal.MaxCpus; i++)
            KmemCache.InitSheaves(c->Cpus + i, capacity);
        c->Secret = Mix(a->_seed + ++a->_cachesCreated) | 1;
        ulong token = Interrupts.SaveAndDisable();
        c->PrevCache = null;
        c->NextCache = a->_first;
        if (a->_first != null)
            a->_first->PrevCache = c;
        a->_first = c;
        Interrupts.Restore(token);
        return SlabStatus.Ok;
    }

    /// <summary>splitmix64: spreads a seed and a counter over all 64 bits.</summary>
    static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }

    /// <summary>kmem_cache_destroy. Every object must be back: then all pages go to the page
    /// source and the cache is gone (Ok). Otherwise each object still allocated is reported (with
    /// its owner under U), empty slabs are released, and the cache stays (Busy), as in Linux.
    /// <paramref name="leaked"/> receives the count.</summary>
    public SlabStatus DestroyCache(SlabCache* c, out ulong leaked)
    {
        leaked = 0;
        if (c == null || c == _root)
            return SlabStatus.InvalidArgument;
        KmemCache.Shrink(c, 0);
        ulong token = Interrupts.SaveAndDisable();
        leaked = c->ObjectsOutOfSlabs;
        if (leaked != 0)
        {
            ReportLeaks(c);
            Interrupts.Restore(token);
            return SlabStatus.Busy;
        }
        if (c->PrevCache != null) c->PrevCache->NextCache = c->NextCache;
        else _first = c->NextCache;
        if (c->NextCache != null) c->NextCache->PrevCache = c->PrevCache;
        Interrupts.Restore(token);
        KmemCache.Free(_root, c);
        return SlabStatus.Ok;
    }

    /// <summary>One report per object in use (free ones are found by walking each slab's free
    /// list into a bitmap), for the slabs on the full and partial lists.</summary>
    static void ReportLeaks(SlabCache* c)
    {
        ulong* freeBits = stackalloc ulong[64];     // 4096 objects: the most a 32 KiB slab holds
        SlabList* lists = stackalloc SlabList[2];
        lists[0] = c->Full;
        lists[1] = c->Partial;
        for (int l = 0; l < 2; l++)
        {
            for (uint pfn = lists[l].Head; pfn != PageDescriptor.NoFrame; pfn = SlabPages.At(c, pfn)->Next)
            {
                PageDescriptor* d = SlabPages.At(c, pfn);
                if (SlabPages.InUse(d) == 0 || (d->Flags & FrameFlags.SlabCorrupt) != 0)
                    continue;
                for (int i = 0; i < 64; i++)
                    freeBits[i] = 0;
                byte* b = SlabPages.Base(pfn);
                uint off = SlabPages.FirstFree(d);
                for (uint steps = 0; off != SlabPages.NoFreeObject && steps < c->ObjectsPerSlab; steps++)
                {
                    uint index = (off - c->ObjectOffset) / c->Stride;
                    freeBits[index >> 6] |= 1UL << (int)(index & 63);
                    ulong* fp = SlabPages.FreePointerOf(c, b + off);
                    ulong next = SlabPages.Decode(c, fp);
                    ulong o = next - (ulong)b;
                    off = next != 0 && o < c->SlabBytes && c->IsObjectStart(o) ? (uint)o : SlabPages.NoFreeObject;
                }
                for (uint i = 0; i < c->ObjectsPerSlab; i++)
                {
                    if ((freeBits[i >> 6] & (1UL << (int)(i & 63))) == 0)
                        SlabDebug.Report(c, SlabError.Leaked, b + i * c->Stride + c->ObjectOffset, -1, 0, 0);
                }
            }
        }
    }

    /// <summary>Counts a report and hands it to the hook.</summary>
    internal void Count(SlabReport* r)
    {
        Reports++;
        LastReport = *r;
        if ((int)r->Kind < ErrorKinds)
            ReportsByKind[(int)r->Kind]++;
        if (Hooks.Report != null)
            Hooks.Report(r);
    }

    /// <summary>A free of something no cache owns (or a kmalloc block's inside).</summary>
    internal void ReportForeign(void* pointer, SlabError kind, SlabCache* cache)
    {
        SlabReport r;
        r.Kind = kind;
        r.Cache = cache;
        r.Object = (ulong)pointer;
        r.Offset = -1;
        r.Found = r.Expected = 0;
        r.Allocated = r.Freed = null;
        Count(&r);
    }

    public ulong ReportsOf(SlabError kind) => (int)kind < ErrorKinds ? ReportsByKind[(int)kind] : 0;

    /// <summary>Host tests: destroys the kmalloc caches and the cache of caches, giving every
    /// page back. Ok only when no object of any cache is still allocated.</summary>
    public SlabStatus Shutdown()
    {
        if (_root == null)
            return SlabStatus.Ok;
        for (int i = 0; i < KmallocClassCount; i++)
        {
            SlabCache* k = (SlabCache*)_kmalloc[i];
            if (k == null)
                continue;
            if (DestroyCache(k, out _) != SlabStatus.Ok)
                return SlabStatus.Busy;
            _kmalloc[i] = 0;
        }
        if (_first != _root || _root->NextCache != null)
            return SlabStatus.Busy;
        KmemCache.Shrink(_root, 0);
        if (_root->ObjectsOutOfSlabs != 0)
            return SlabStatus.Busy;
        Source.FreePages(_rootPage, 0);
        _root = null;
        _first = null;
        return SlabStatus.Ok;
    }
}
