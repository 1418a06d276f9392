// Where managed objects come from. Before the slab allocator is up: a bump allocator over a
// fixed region reserved in the kernel image (boot/heap.asm) that never frees. Once
// kernel/Boot/Memory/SlabSetup.cs has run: kmalloc (zeroed: `new` always yields zeroed fields,
// also under slab_debug poisoning), or the kmem_cache registered for the object's type
// (TypeCaches). Objects are freed explicitly by their owner with ObjectHeap.Free; objects of
// the boot heap are never freed (Free ignores and counts them). Alignment: 8 bytes, 16 for
// blocks of 16 bytes or more, so SSE stores to object fields stay aligned.
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Kernel.Memory.Slab;

namespace Kernel.Runtime;

public static unsafe class ObjectHeap
{
    static byte* s_next;
    static byte* s_end;
    static ulong s_allocations;
    static ulong s_slabAllocations;
    static ulong s_frees;
    static ulong s_bootFreesIgnored;

    public static ulong BytesUsed => s_next == null ? 0 : (ulong)(s_next - BootHeapStart());
    public static ulong BytesTotal => (ulong)(BootHeapEnd() - BootHeapStart());
    /// <summary>Blocks handed out by the boot heap.</summary>
    public static ulong Allocations => s_allocations;
    /// <summary>Blocks handed out by kmalloc or a type cache since slab came up.</summary>
    public static ulong SlabAllocations => s_slabAllocations;
    public static ulong Frees => s_frees;
    /// <summary>Free calls on boot-heap objects (kept: the boot heap cannot free).</summary>
    public static ulong BootFreesIgnored => s_bootFreesIgnored;

    /// <summary>Zeroed memory for an object or array of <paramref name="size"/> bytes, or null.</summary>
    public static void* Allocate(ulong size)
    {
        if (Kmem.Current != null)
        {
            void* p = Kmem.Kmalloc(size);
            if (p == null) return null;
            Bytes.Zero(p, size);
            s_slabAllocations++;
            return p;
        }
        return AllocateFromBootHeap(size);
    }

    /// <summary>An object of <paramref name="type"/>: from its type cache when it has one.</summary>
    public static void* AllocateObject(MethodTable* type)
    {
        SlabCache* cache = TypeCaches.Find(type);
        if (cache == null) return Allocate(type->BaseSize);
        void* p = KmemCache.Alloc(cache);
        if (p == null) return null;
        Bytes.Zero(p, type->BaseSize);
        s_slabAllocations++;
        return p;
    }

    static void* AllocateFromBootHeap(ulong size)
    {
        if (s_next == null)
        {
            s_next = BootHeapStart();
            s_end = BootHeapEnd();
        }
        ulong align = size >= 16 ? 16UL : 8UL;
        byte* p = (byte*)(((ulong)s_next + align - 1) & ~(align - 1));
        if (size > (ulong)(s_end - p)) return null;
        s_next = p + size;
        s_allocations++;
        Bytes.Zero(p, size);
        return p;
    }

    public static bool IsInBootHeap(void* p) => p >= BootHeapStart() && p < BootHeapEnd();

    /// <summary>The first object the boot heap handed out (a statics holder from Startup), or null.</summary>
    public static object FirstBootObject =>
        s_allocations == 0 ? null : ObjectRef.FromAddress<object>((void*)(((ulong)BootHeapStart() + 15) & ~15UL));

    /// <summary>
    /// Frees an object (or array, or string) made with `new`. The caller must own it and hold
    /// no other reference to it. A boot-heap object is kept (counted in BootFreesIgnored); an
    /// address kmalloc never returned is reported by kfree and kept. Null is ignored.
    /// </summary>
    public static void Free(object obj)
    {
        if (obj == null) return;
        void* p = ObjectRef.AddressOf(obj);
        if (IsInBootHeap(p))
        {
            s_bootFreesIgnored++;
            return;
        }
        s_frees++;
        Kmem.Kfree(p);
    }

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "boot_heap_start")]
    static extern byte* BootHeapStart();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "boot_heap_end")]
    static extern byte* BootHeapEnd();
}

/// <summary>
/// Per-type slab caches for hot class types (Linux: one kmem_cache per hot struct). A type
/// registered here gets its objects from its own cache (exact size, its own slabinfo line);
/// ObjectHeap.Free works the same (kfree finds the cache from the address). Registration is
/// for boot-time set-up; the table is small and searched linearly on `new` of any class.
/// </summary>
public static unsafe class TypeCaches
{
    const int Max = 16;

    struct Table
    {
        public fixed ulong Types[Max];
        public fixed ulong Caches[Max];
        public int Count;
    }

    static Table s_table;

    /// <summary>The MethodTable of an object's type (to register its type).</summary>
    public static MethodTable* TypeOf(object obj) => *(MethodTable**)ObjectRef.AddressOf(obj);

    /// <summary>Creates and registers a cache for objects of <paramref name="type"/>; null when
    /// slab is not up, the table is full or the type has a component size (arrays, strings).</summary>
    public static SlabCache* Create(MethodTable* type, string name)
    {
        if (Kmem.Current == null || type->HasComponentSize) return null;
        SlabCache* existing = Find(type);
        if (existing != null) return existing;
        if (s_table.Count == Max) return null;
        SlabCache* c = Kmem.CreateCache(name, type->BaseSize, type->BaseSize >= 16 ? 16u : 8u, SlabFlags.None, null);
        if (c == null) return null;
        s_table.Types[s_table.Count] = (ulong)type;
        s_table.Caches[s_table.Count] = (ulong)c;
        s_table.Count++;
        return c;
    }

    public static SlabCache* Find(MethodTable* type)
    {
        int n = s_table.Count;
        for (int i = 0; i < n; i++)
            if (s_table.Types[i] == (ulong)type) return (SlabCache*)s_table.Caches[i];
        return null;
    }
}
