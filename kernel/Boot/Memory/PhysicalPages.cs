// The kernel's one buddy allocator and the ways the rest of the kernel reaches it: page
// allocation, frame sources for page tables, and the report of a bad free (which the
// platform-neutral allocator only returns as a status).
using Kernel.Arch.X64.Paging;
using Kernel.Diagnostics;
using Kernel.Memory;
using Kernel.Memory.Physical;

namespace Kernel.Boot.Memory;

public static unsafe class PhysicalPages
{
    static BuddyAllocator s_buddy;
    static ulong s_handedOverFrames;

    public static BuddyAllocator* Buddy { get { fixed (BuddyAllocator* b = &s_buddy) return b; } }
    public static bool Ready => s_buddy.IsInitialized;
    /// <summary>Frames memblock handed to the buddy allocator at boot.</summary>
    public static ulong HandedOverFrames => s_handedOverFrames;

    internal static void AddHandedOver(ulong frames) => s_handedOverFrames += frames;

    /// <summary>One page (order 0, per-CPU fast path); its physical address, or 0.</summary>
    public static ulong Allocate() => s_buddy.AllocatePage();

    public static ulong Allocate(int order, ZoneType zone = ZoneType.Normal) => s_buddy.AllocatePages(order, zone);

    public static void Free(ulong physical, int order = 0) => Report(s_buddy.FreePages(physical, order), order);

    /// <summary>Logs a free the allocator refused (double free, reserved or misaligned frame).</summary>
    public static bool Report(FreeResult result, int order)
    {
        if (result.IsOk) return true;
        Log.Error($"buddy: bad free of frame {result.Pfn:x} (order {order}): {FreeResult.Describe(result.Status)}");
        return false;
    }

    /// <summary>A zeroed page for page tables or vmalloc, from the buddy allocator.</summary>
    public static ulong AllocateZeroed()
    {
        ulong page = s_buddy.AllocatePage();
        if (page != 0) Runtime.Bytes.Zero(PhysicalMap.ToVirtual(page), 4096);
        return page;
    }

    static void FreeFrame(ulong physical) => Free(physical, 0);

    /// <summary>Page-table pages come from here once the buddy allocator runs.</summary>
    public static FrameSource Frames
    {
        get
        {
            FrameSource f;
            f.AllocateZeroedFrame = &AllocateZeroed;
            f.FreeFrame = &FreeFrame;
            return f;
        }
    }
}
