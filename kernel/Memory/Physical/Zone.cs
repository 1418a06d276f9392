// Platform-neutral shared source (kernel and host tests).
// Zones (Linux include/linux/mmzone.h): DMA below 16 MiB (ISA DMA), DMA32 below 4 GiB (32-bit
// devices), Normal above. Each zone keeps free_area[order] for orders 0..10: a doubly linked list
// of free block heads (links are frame numbers inside the descriptors, never inside the free
// pages) and a count of blocks.
//
// Zone boundaries are multiples of 4 MiB, the largest block, so an aligned block never straddles
// two zones and a block's buddy (pfn ^ 2^order) is always in the same zone.
namespace Kernel.Memory.Physical;

public enum ZoneType : byte
{
    Dma = 0,
    Dma32 = 1,
    Normal = 2,
}

/// <summary>Zone geometry and names.</summary>
public static class Zones
{
    public const int Count = 3;
    /// <summary>First frame above the DMA zone: 16 MiB.</summary>
    public const ulong DmaEndPfn = (16UL << 20) >> PageGeometry.PageShift;
    /// <summary>First frame above the DMA32 zone: 4 GiB.</summary>
    public const ulong Dma32EndPfn = (4UL << 30) >> PageGeometry.PageShift;

    public static ZoneType Of(ulong pfn)
    {
        if (pfn < DmaEndPfn) return ZoneType.Dma;
        if (pfn < Dma32EndPfn) return ZoneType.Dma32;
        return ZoneType.Normal;
    }

    public static ulong StartPfn(ZoneType z) => z == ZoneType.Dma ? 0 : z == ZoneType.Dma32 ? DmaEndPfn : Dma32EndPfn;

    public static ulong EndPfn(ZoneType z) => z == ZoneType.Dma ? DmaEndPfn : z == ZoneType.Dma32 ? Dma32EndPfn : PageGeometry.MaxPfn + 1;

    /// <summary>Linux's zone names, as /proc/buddyinfo prints them.</summary>
    public static string Name(ZoneType z) => z == ZoneType.Dma ? "DMA" : z == ZoneType.Dma32 ? "DMA32" : "Normal";
}

/// <summary>
/// One zone's free lists and counts.
/// Invariants (checked by <see cref="BuddyAllocator.CheckInvariants"/>):
/// - every frame on FreeHead[o] heads a block of 2^o frames, aligned to 2^o, inside this zone,
///   with Flags state Free and Order o; its tails have no state bit;
/// - FreeBlocks[o] is the length of list o; FreeFrames = sum of FreeBlocks[o] * 2^o;
/// - no free block's buddy is also a free head of the same order (blocks are fully coalesced);
/// - Prev of the list head is NoFrame; d->Next->Prev == d.
/// </summary>
public unsafe struct Zone
{
    public ZoneType Type;
    /// <summary>RAM frames in the zone.</summary>
    public ulong PresentFrames;
    /// <summary>Frames handed to the allocator (AddFreeRange): free, cached or allocated.</summary>
    public ulong ManagedFrames;
    /// <summary>Frames in this zone's free lists (not counting per-CPU caches).</summary>
    public ulong FreeFrames;
    public fixed uint FreeHead[PageGeometry.OrderCount];
    public fixed ulong FreeBlocks[PageGeometry.OrderCount];

    public void Initialize(ZoneType type, ulong present)
    {
        Type = type;
        PresentFrames = present;
        ManagedFrames = 0;
        FreeFrames = 0;
        for (int o = 0; o < PageGeometry.OrderCount; o++)
        {
            FreeHead[o] = PageDescriptor.NoFrame;
            FreeBlocks[o] = 0;
        }
    }

    /// <summary>Puts the block headed by <paramref name="pfn"/> at the front of list
    /// <paramref name="order"/> and marks it Free. The caller cleared its other state bits.</summary>
    public void PushFree(in FrameMap map, uint pfn, PageDescriptor* d, int order)
    {
        uint head = FreeHead[order];
        d->Next = head;
        d->Prev = PageDescriptor.NoFrame;
        if (head != PageDescriptor.NoFrame)
            map.At(head)->Prev = pfn;
        FreeHead[order] = pfn;
        d->Flags = (d->Flags & ~FrameFlags.StateMask) | FrameFlags.Free;
        d->Order = (byte)order;
        FreeBlocks[order]++;
        FreeFrames += 1UL << order;
    }

    /// <summary>Takes the free block <paramref name="d"/> off list <paramref name="order"/> and
    /// clears its Free bit and Order (it becomes a tail, or the caller marks it again).</summary>
    public void Unlink(in FrameMap map, PageDescriptor* d, int order)
    {
        uint next = d->Next, prev = d->Prev;
        if (prev == PageDescriptor.NoFrame)
            FreeHead[order] = next;
        else
            map.At(prev)->Next = next;
        if (next != PageDescriptor.NoFrame)
            map.At(next)->Prev = prev;
        d->Next = PageDescriptor.NoFrame;
        d->Prev = PageDescriptor.NoFrame;
        d->Flags &= ~FrameFlags.Free;
        d->Order = 0;
        FreeBlocks[order]--;
        FreeFrames -= 1UL << order;
    }
}
