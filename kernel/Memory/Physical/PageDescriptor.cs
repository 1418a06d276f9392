// Platform-neutral shared source (kernel and host tests).
// One descriptor per 4 KiB frame of RAM (Linux: struct page, 64 bytes). Ours is 24 bytes: the
// free-list links are 32-bit frame numbers instead of pointers, and only what the buddy allocator
// and the per-CPU cache need is kept, plus the links, a 32-bit word and a pointer-sized word for
// the frame's owner (the slab allocator keeps its cache pointer there: kfree finds the cache
// from an address in O(1)).
namespace Kernel.Memory.Physical;

/// <summary>
/// The state of one frame. Exactly one of the state bits (Hole, Reserved, Free, PerCpu,
/// Allocated) is set on the first frame ("head") of every block; the other frames of a block
/// ("tails") carry none of them. Bits 8..15 belong to the frame's owner while it is allocated;
/// the allocator clears them when the block comes back.
/// </summary>
public enum FrameFlags : ushort
{
    None = 0,
    /// <summary>Inside a descriptor array but not RAM (a hole inside a 128 MiB section).</summary>
    Hole = 1 << 0,
    /// <summary>RAM the allocator does not manage: never handed over by AddFreeRange.</summary>
    Reserved = 1 << 1,
    /// <summary>Head of a free block in its zone's free_area[Order] list.</summary>
    Free = 1 << 2,
    /// <summary>Head of a block parked in a per-CPU list (orders 0..3).</summary>
    PerCpu = 1 << 3,
    /// <summary>Head of an allocated block of 2^Order frames.</summary>
    Allocated = 1 << 4,
    /// <summary>The frame's contents hold the poison pattern (set on free when poisoning is on).</summary>
    Poisoned = 1 << 5,

    /// <summary>Every bit that says what the frame is.</summary>
    StateMask = Hole | Reserved | Free | PerCpu | Allocated,
    /// <summary>Bits the owner of an allocated frame may use (slab, page tables...).</summary>
    OwnerMask = 0xFF00,

    // Owner bits in use (kernel/Memory/Slab):
    /// <summary>Every frame of a slab: Owner is its SlabCache*.</summary>
    SlabPage = 1 << 8,
    /// <summary>Head of a block kmalloc handed out whole (above 8 KiB): Owner is the requested size.</summary>
    KmallocLarge = 1 << 9,
    /// <summary>Slab head whose free list was found corrupt: its lost objects are never handed out again.</summary>
    SlabCorrupt = 1 << 10,

    // Owner bits in use (kernel/Tasks, user memory):
    /// <summary>A frame mapped into user address spaces: Private counts its mappings (page
    /// tables entries pointing at it), so a frame shared after fork is freed exactly once.</summary>
    UserPage = 1 << 11,
}

/// <summary>
/// 24 bytes per frame, 0.59 % of RAM. Layout (offset: field):
///   0: Next    free-list / per-CPU list link (pfn, <see cref="PageDescriptor.NoFrame"/> = end)
///   4: Prev    back link (pfn), so a buddy can be unlinked in O(1) when it merges
///   8: Private the owner's word while the frame is allocated (Linux page->private)
///  12: Flags   <see cref="FrameFlags"/>
///  14: Order   block order on a block head; 0 on every other frame
///  15: Zone    <see cref="ZoneType"/>, fixed at initialisation
///  16: Owner   the owner's pointer-sized word while the frame is allocated (slab: its cache)
/// While a block is allocated its owner may use Next, Prev, Private and Owner of every frame in it and
/// the owner bits of Flags; it must not change the state bits, Order or Zone. The allocator
/// trusts only Flags, Order and Zone when the block comes back, and rewrites the rest.
/// </summary>
public struct PageDescriptor
{
    /// <summary>Link value meaning "no frame" (end of a list).</summary>
    public const uint NoFrame = 0xFFFF_FFFF;
    /// <summary>Bytes per descriptor (checked by a host test against sizeof).</summary>
    public const int Size = 24;

    public uint Next;
    public uint Prev;
    public uint Private;
    public FrameFlags Flags;
    public byte Order;
    public byte Zone;
    public ulong Owner;

    public FrameFlags State => Flags & FrameFlags.StateMask;
    public bool IsFree => (Flags & FrameFlags.Free) != 0;
    public bool IsAllocated => (Flags & FrameFlags.Allocated) != 0;
    public bool IsReserved => (Flags & FrameFlags.Reserved) != 0;
    public bool IsPerCpu => (Flags & FrameFlags.PerCpu) != 0;
}

/// <summary>Frame geometry shared by the allocator's files.</summary>
public static class PageGeometry
{
    public const int PageShift = 12;
    public const ulong PageSize = 1UL << PageShift;
    /// <summary>Largest block order: 2^10 frames = 4 MiB (Linux MAX_PAGE_ORDER).</summary>
    public const int MaxOrder = 10;
    public const int OrderCount = MaxOrder + 1;
    /// <summary>Highest frame number a 32-bit link can name (16 TiB of physical address space).</summary>
    public const ulong MaxPfn = PageDescriptor.NoFrame - 1;
}
