// Platform-neutral shared source (kernel and host tests).
// The x86-64 4-level paging format (Intel SDM vol. 3A, "4-Level Paging"): the ONLY file that
// knows raw bit positions. Everything else speaks PageFlags and levels.
//
// Levels: 4 = PML4 (512 GiB per entry), 3 = PDPT (1 GiB), 2 = PD (2 MiB), 1 = PT (4 KiB).
// A linear address splits into four 9-bit indices (bits 47..39, 38..30, 29..21, 20..12) and a
// 12-bit offset. An entry at level 3 or 2 with PS set maps a 1 GiB / 2 MiB page; otherwise it
// points to the next table. PS is reserved (must be 0) in PML4 entries. Physical addresses use
// bits 12..51 of an entry (MAXPHYADDR <= 52); for a 2 MiB page bits 20..13 and for a 1 GiB page
// bits 29..13 are reserved, because bit 12 is the PAT bit there.
namespace Kernel.Arch.X64.Paging;

public static class PageTableEntry
{
    public const ulong PresentBit = 1UL << 0;        // P
    public const ulong WritableBit = 1UL << 1;       // R/W
    public const ulong UserBit = 1UL << 2;           // U/S
    public const ulong WriteThroughBit = 1UL << 3;   // PWT
    public const ulong CacheDisableBit = 1UL << 4;   // PCD
    public const ulong AccessedBit = 1UL << 5;       // A
    public const ulong DirtyBit = 1UL << 6;          // D (leaf entries only)
    public const ulong PageSizeBit = 1UL << 7;       // PS in PDPT / PD entries
    public const ulong Pat4KBit = 1UL << 7;          // PAT in a PT entry (same position as PS)
    public const ulong GlobalBit = 1UL << 8;         // G (leaf entries only)
    public const ulong PatLargeBit = 1UL << 12;      // PAT in a 2 MiB / 1 GiB entry
    public const ulong NoExecuteBit = 1UL << 63;     // XD / NX (needs EFER.NXE)

    /// <summary>Bits 12..51: the physical address of a 4 KiB frame or of the next table.</summary>
    public const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
    /// <summary>Bits 21..51: the physical address of a 2 MiB page.</summary>
    public const ulong Address2MMask = 0x000F_FFFF_FFE0_0000;
    /// <summary>Bits 30..51: the physical address of a 1 GiB page.</summary>
    public const ulong Address1GMask = 0x000F_FFFF_C000_0000;

    public const int EntriesPerTable = 512;
    public const int Pml4Level = 4, PdptLevel = 3, PdLevel = 2, PtLevel = 1;
    /// <summary>PML4 slots 256..511 map the kernel half (0xffff800000000000 and up).</summary>
    public const int FirstKernelSlot = 256;
    /// <summary>Exclusive end of the physical address space (52 bits).</summary>
    public const ulong MaxPhysicalAddress = 1UL << 52;

    /// <summary>Bits the PageFlags of a leaf control (everything Protect rewrites; Accessed and
    /// Dirty are only ever added).</summary>
    const ulong ManagedLowBits = PresentBit | WritableBit | UserBit | WriteThroughBit | CacheDisableBit | GlobalBit | NoExecuteBit;

    public static bool IsPresent(ulong entry) => (entry & PresentBit) != 0;

    /// <summary>True when <paramref name="entry"/> (present, at <paramref name="level"/>) maps a
    /// page rather than pointing to a table.</summary>
    public static bool IsLeaf(ulong entry, int level) =>
        level == PtLevel || ((level == PdLevel || level == PdptLevel) && (entry & PageSizeBit) != 0);

    /// <summary>Bytes one entry at <paramref name="level"/> covers (4 KiB .. 512 GiB).</summary>
    public static ulong LevelSize(int level) => 1UL << (12 + 9 * (level - 1));

    /// <summary>The table index of <paramref name="virt"/> at <paramref name="level"/>.</summary>
    public static int Index(ulong virt, int level) => (int)((virt >> (12 + 9 * (level - 1))) & 511);

    /// <summary>Level whose leaf entries map pages of <paramref name="size"/> (0 if unknown).</summary>
    public static int LeafLevel(PageSize size) =>
        size == PageSize.Size4K ? PtLevel : size == PageSize.Size2M ? PdLevel : size == PageSize.Size1G ? PdptLevel : 0;

    public static PageSize SizeOfLevel(int level) =>
        level == PdptLevel ? PageSize.Size1G : level == PdLevel ? PageSize.Size2M : PageSize.Size4K;

    /// <summary>The physical address in a leaf entry at <paramref name="level"/>, or in a
    /// table-pointing entry (pass level 1 for "bits 12..51").</summary>
    public static ulong FrameAddress(ulong entry, int level) =>
        entry & (level == PdptLevel && (entry & PageSizeBit) != 0 ? Address1GMask
               : level == PdLevel && (entry & PageSizeBit) != 0 ? Address2MMask
               : AddressMask);

    /// <summary>The address of the table a present non-leaf entry points to.</summary>
    public static ulong TableAddress(ulong entry) => entry & AddressMask;

    /// <summary>Raw bits of a leaf entry (without the address) for <paramref name="flags"/>;
    /// <paramref name="large"/> selects the PAT bit position and sets PS.</summary>
    public static ulong LeafBits(PageFlags flags, bool large)
    {
        ulong bits = 0;
        if ((flags & PageFlags.Present) != 0) bits |= PresentBit;
        if ((flags & PageFlags.Writable) != 0) bits |= WritableBit;
        if ((flags & PageFlags.User) != 0) bits |= UserBit;
        if ((flags & PageFlags.WriteThrough) != 0) bits |= WriteThroughBit;
        if ((flags & PageFlags.CacheDisable) != 0) bits |= CacheDisableBit;
        if ((flags & PageFlags.Accessed) != 0) bits |= AccessedBit;
        if ((flags & PageFlags.Dirty) != 0) bits |= DirtyBit;
        if ((flags & PageFlags.Global) != 0) bits |= GlobalBit;
        if ((flags & PageFlags.NoExecute) != 0) bits |= NoExecuteBit;
        if ((flags & PageFlags.Pat) != 0) bits |= large ? PatLargeBit : Pat4KBit;
        if (large) bits |= PageSizeBit;
        return bits;
    }

    /// <summary>The PageFlags a leaf entry at <paramref name="level"/> carries.</summary>
    public static PageFlags LeafFlags(ulong entry, int level)
    {
        bool large = level != PtLevel;
        PageFlags flags = PageFlags.None;
        if ((entry & PresentBit) != 0) flags |= PageFlags.Present;
        if ((entry & WritableBit) != 0) flags |= PageFlags.Writable;
        if ((entry & UserBit) != 0) flags |= PageFlags.User;
        if ((entry & WriteThroughBit) != 0) flags |= PageFlags.WriteThrough;
        if ((entry & CacheDisableBit) != 0) flags |= PageFlags.CacheDisable;
        if ((entry & AccessedBit) != 0) flags |= PageFlags.Accessed;
        if ((entry & DirtyBit) != 0) flags |= PageFlags.Dirty;
        if ((entry & GlobalBit) != 0) flags |= PageFlags.Global;
        if ((entry & NoExecuteBit) != 0) flags |= PageFlags.NoExecute;
        if ((entry & (large ? PatLargeBit : Pat4KBit)) != 0) flags |= PageFlags.Pat;
        return flags;
    }

    /// <summary>A leaf entry with its PageFlags replaced by <paramref name="flags"/>: keeps the
    /// address, PS, Accessed, Dirty and the software/protection-key bits (9..11, 52..62).</summary>
    public static ulong WithFlags(ulong entry, int level, PageFlags flags)
    {
        bool large = level != PtLevel;
        ulong managed = ManagedLowBits | (large ? PatLargeBit : Pat4KBit);
        // For a large leaf LeafBits also sets PS, which the entry already has. (For a 4 KiB
        // leaf bit 7 is PAT, not PS: it must not be masked off.)
        return (entry & ~managed) | LeafBits(flags, large);
    }

    /// <summary>Bits for an entry that points to a table: present, writable, accessed, and user
    /// when anything below may be a user page. Intermediate entries are permissive; the leaf
    /// decides (R/W and U/S are ANDed along the walk, NX is ORed, so NX is never set here).</summary>
    public static ulong TableBits(bool user) => PresentBit | WritableBit | AccessedBit | (user ? UserBit : 0);

    /// <summary>The 512 entries of a split large leaf at <paramref name="level"/> (3 or 2):
    /// entry i maps the i-th piece with the same attributes (PAT moves from bit 12 to bit 7 when
    /// the pieces are 4 KiB pages).</summary>
    public static ulong SplitPiece(ulong largeEntry, int level, int i)
    {
        ulong attributes = largeEntry & ~AddressMask;                   // bits 0..11 and 52..63
        ulong pat = largeEntry & PatLargeBit;
        if (level == PdptLevel)                                          // 1 GiB -> 2 MiB pages, PS and PAT stay
            return ((largeEntry & Address1GMask) + ((ulong)i << 21)) | attributes | pat;
        attributes &= ~PageSizeBit;                                      // 2 MiB -> 4 KiB pages
        return ((largeEntry & Address2MMask) + ((ulong)i << 12)) | attributes | (pat != 0 ? Pat4KBit : 0);
    }

    /// <summary>Bits that must be 0 in a present entry at <paramref name="level"/> (a walker
    /// that finds one reports it; the CPU would raise #PF with RSVD).</summary>
    public static ulong ReservedBits(ulong entry, int level)
    {
        if (level == Pml4Level)
            return entry & PageSizeBit;
        if (level == PdptLevel && (entry & PageSizeBit) != 0)
            return entry & 0x3FFF_E000UL;                                // bits 29..13
        if (level == PdLevel && (entry & PageSizeBit) != 0)
            return entry & 0x1F_E000UL;                                  // bits 20..13
        return 0;
    }
}
