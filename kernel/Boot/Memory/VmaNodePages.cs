// VMA nodes carved out of buddy pages: the kernel's VmaNodeAllocator until a kmem_cache takes
// over (then only VmaNodePages.Allocator changes). Free nodes are kept on a list threaded through
// their first word; pages stay with the pool until ReleaseAll (an address space's teardown, or
// a test). The caller serialises calls (the address space's lock).
using Kernel.Memory;
using Kernel.Memory.Virtual;

namespace Kernel.Boot.Memory;

public unsafe struct VmaNodePages
{
    const ulong PageBytes = 4096;
    // Nodes sit in 128-byte slots aligned to cache lines, so a lookup reads one line per node
    // (VmArea keeps range and links in its first 64 bytes). Slot 0 holds the link to the next
    // page of the pool: 31 nodes per page.
    const int SlotBytes = 128;

    VmArea* _free;
    void* _pages;
    long _live;
    long _pageCount;

    public long LiveNodes => _live;
    public long Pages => _pageCount;

    /// <summary>An allocator serving nodes from <paramref name="pool"/> (which must not move).</summary>
    public static VmaNodeAllocator AllocatorFor(VmaNodePages* pool)
    {
        return new VmaNodeAllocator { Allocate = &Allocate, Free = &Free, Context = pool };
    }

    static VmArea* Allocate(void* context)
    {
        var pool = (VmaNodePages*)context;
        if (pool->_free == null && !pool->Refill()) return null;
        VmArea* node = pool->_free;
        pool->_free = *(VmArea**)node;
        pool->_live++;
        return node; // VmaTree.NewNode zeroes it
    }

    static void Free(void* context, VmArea* node)
    {
        var pool = (VmaNodePages*)context;
        *(VmArea**)node = pool->_free;
        pool->_free = node;
        pool->_live--;
    }

    bool Refill()
    {
        if (sizeof(VmArea) > SlotBytes) return false; // VmArea outgrew its slot (a host test guards this)
        ulong physical = PhysicalPages.AllocateZeroed();
        if (physical == 0) return false;
        byte* page = (byte*)PhysicalMap.ToVirtual(physical);
        *(void**)page = _pages;
        _pages = page;
        _pageCount++;
        for (int offset = SlotBytes; offset + SlotBytes <= (int)PageBytes; offset += SlotBytes)
        {
            var node = (VmArea*)(page + offset);
            *(VmArea**)node = _free;
            _free = node;
        }
        return true;
    }

    /// <summary>Gives every page back to the buddy allocator; only when no node is live.</summary>
    public bool ReleaseAll()
    {
        if (_live != 0) return false;
        while (_pages != null)
        {
            void* next = *(void**)_pages;
            PhysicalPages.Free(PhysicalMap.ToPhysical(_pages));
            _pages = next;
        }
        _free = null;
        _pageCount = 0;
        return true;
    }
}
