// VMA nodes from a kmem_cache "vm_area_struct" (Linux's vm_area_cachep): the allocator the
// kernel's address spaces use once slab is up. The cache is created on first use, with
// cache-line alignment so a lookup reads one line per node.
using Kernel.Memory.Slab;
using Kernel.Memory.Virtual;

namespace Kernel.Boot.Memory;

public static unsafe class VmaNodeCache
{
    static SlabCache* s_cache;

    public static VmaNodeAllocator Allocator => new VmaNodeAllocator { Allocate = &Allocate, Free = &Free };

    /// <summary>The cache (created on demand), or null before slab is up or when out of memory.</summary>
    public static SlabCache* Cache
    {
        get
        {
            if (s_cache == null && Kmem.Ready)
                s_cache = Kmem.CreateCache("vm_area_struct", (uint)sizeof(VmArea), 64, SlabFlags.HwCacheAlign, null);
            return s_cache;
        }
    }

    static VmArea* Allocate(void* context)
    {
        SlabCache* cache = Cache;
        return cache == null ? null : (VmArea*)KmemCache.Alloc(cache);
    }

    static void Free(void* context, VmArea* node) => KmemCache.Free(s_cache, node);
}
