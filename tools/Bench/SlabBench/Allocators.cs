// The allocators under test, as zero-size structs so that the generic scenario bodies are
// specialised per allocator by the JIT (no virtual or delegate call in the loop). Peers are
// called through unmanaged function pointers without a GC transition, i.e. a plain C call.
using System;
using System.Runtime.InteropServices;
using Kernel.Memory;
using Kernel.Memory.Physical;
using Kernel.Memory.Slab;

namespace SlabBench;

public unsafe interface IAllocator
{
    void* Alloc(nuint size);
    void Free(void* p);
}

public unsafe struct Kmalloc : IAllocator
{
    public void* Alloc(nuint size) => Kmem.Kmalloc(size);
    public void Free(void* p) => Kmem.Kfree(p);
}

/// <summary>kmem_cache_alloc/free on one 64-byte cache (no size lookup, no address lookup).</summary>
public unsafe struct KmemCache64 : IAllocator
{
    public void* Alloc(nuint size) => KmemCache.Alloc(Host.Cache64);
    public void Free(void* p) => KmemCache.Free(Host.Cache64, p);
}

public unsafe struct Glibc : IAllocator
{
    public void* Alloc(nuint size) => Native.GlibcMalloc(size);
    public void Free(void* p) => Native.GlibcFree(p);
}

public unsafe struct Mimalloc : IAllocator
{
    public void* Alloc(nuint size) => Native.MiMalloc(size);
    public void Free(void* p) => Native.MiFree(p);
}

public unsafe struct Jemalloc : IAllocator
{
    public void* Alloc(nuint size) => Native.JeMalloc(size);
    public void Free(void* p) => Native.JeFree(p);
}

public static unsafe class Native
{
    public static delegate* unmanaged[Cdecl, SuppressGCTransition]<nuint, void*> GlibcMalloc;
    public static delegate* unmanaged[Cdecl, SuppressGCTransition]<void*, void> GlibcFree;
    public static delegate* unmanaged[Cdecl, SuppressGCTransition]<nuint, void*> MiMalloc;
    public static delegate* unmanaged[Cdecl, SuppressGCTransition]<void*, void> MiFree;
    public static delegate* unmanaged[Cdecl, SuppressGCTransition]<nuint, void*> JeMalloc;
    public static delegate* unmanaged[Cdecl, SuppressGCTransition]<void*, void> JeFree;

    static bool s_loaded;

    /// <summary>Loads the three peers by soname (Debian: libc6, libmimalloc2.0, libjemalloc2).</summary>
    public static void Load()
    {
        if (s_loaded) return;
        IntPtr libc = NativeLibrary.Load("libc.so.6");
        GlibcMalloc = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nuint, void*>)NativeLibrary.GetExport(libc, "malloc");
        GlibcFree = (delegate* unmanaged[Cdecl, SuppressGCTransition]<void*, void>)NativeLibrary.GetExport(libc, "free");
        IntPtr mi = Require("libmimalloc.so.2", "libmimalloc2.0");
        MiMalloc = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nuint, void*>)NativeLibrary.GetExport(mi, "mi_malloc");
        MiFree = (delegate* unmanaged[Cdecl, SuppressGCTransition]<void*, void>)NativeLibrary.GetExport(mi, "mi_free");
        IntPtr je = Require("libjemalloc.so.2", "libjemalloc2");
        // Debian's jemalloc exports the plain names (no je_ prefix); try both.
        JeMalloc = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nuint, void*>)Export(je, "je_malloc", "malloc");
        JeFree = (delegate* unmanaged[Cdecl, SuppressGCTransition]<void*, void>)Export(je, "je_free", "free");
        s_loaded = true;
    }

    static IntPtr Require(string soname, string package)
    {
        if (NativeLibrary.TryLoad(soname, out IntPtr h)) return h;
        throw new InvalidOperationException($"{soname} not found: install Debian's {package} (tools/install-deps.sh)");
    }

    static IntPtr Export(IntPtr lib, string first, string second) =>
        NativeLibrary.TryGetExport(lib, first, out IntPtr p) ? p : NativeLibrary.GetExport(lib, second);
}

/// <summary>
/// The kernel's slab allocator on the host: a real buddy allocator over 512 MiB of host memory
/// standing in for RAM (reached through PhysicalMap, as in the kernel's direct map), the slab
/// allocator on top, Kmem.Current pointing at it.
/// </summary>
public static unsafe class Host
{
    const ulong MiB = 1UL << 20, RamBase = 16 * MiB, RamBytes = 512 * MiB;

    static BuddyAllocator s_buddy;
    static SlabAllocator* s_slab;
    public static SlabCache* Cache64;

    public static void Start()
    {
        if (s_slab != null) return;
        byte* ram = (byte*)NativeMemory.AlignedAlloc((nuint)RamBytes, 1 << 21);
        NativeMemory.Clear(ram, (nuint)RamBytes);        // touch it once: no page faults in the runs
        PhysicalMap.SetOffset((ulong)ram - RamBase);
        RamRange range = new RamRange(RamBase, RamBase + RamBytes);
        ulong metaBytes = BuddyAllocator.MetadataBytesNeeded(&range, 1);
        void* meta = NativeMemory.Alloc((nuint)metaBytes);
        if (s_buddy.Initialize(&range, 1, meta, metaBytes) != InitStatus.Ok)
            throw new InvalidOperationException("buddy initialize");
        s_buddy.AddFreeRange(range.StartPfn, range.EndPfn);
        s_slab = (SlabAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(SlabAllocator));
        SlabPageSource source;
        source.AllocatePages = &AllocatePages;
        source.FreePages = &FreePages;
        source.Frames = s_buddy.Map;
        if (s_slab->Initialize(source, default, SlabFlags.None, 0x5eed) != SlabStatus.Ok)
            throw new InvalidOperationException("slab initialize");
        Kmem.Current = s_slab;
        Cache64 = s_slab->CreateCache("bench_64", 64, 0, SlabFlags.None, null, out _);
    }

    public static ulong Reports => s_slab->Reports;

    static ulong AllocatePages(int order) => s_buddy.AllocatePages(order, ZoneType.Normal);
    static void FreePages(ulong physical, int order) => s_buddy.FreePages(physical, order);
}
