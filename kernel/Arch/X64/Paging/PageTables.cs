// Platform-neutral shared source (kernel and host tests).
// Operations on an x86-64 4-level address space named by the physical address of its PML4
// ("root"). Tables are read and written only through Kernel.Memory.PhysicalMap; new tables come
// from a caller-supplied FrameSource. See README.md in this folder for the rules (kernel half,
// splitting, freeing, TLB). This file: argument checks, the walk, Translate, the frame pool.
//
// Concurrency: the caller serialises operations on one address space (the kernel is not
// preemptible; a per-address-space lock comes with SMP). Interrupt handlers never change
// page tables.
using Kernel.Memory;

namespace Kernel.Arch.X64.Paging;

public static unsafe partial class PageTables
{
    /// <summary>Above this many 4 KiB pages a range operation flushes the whole TLB once instead
    /// of invalidating page by page (Linux: tlb_single_page_flush_ceiling = 33). Pages with the
    /// Global bit are always invalidated one by one: a CR3 reload keeps global entries.</summary>
    public const ulong FlushAllThresholdPages = 32;

    /// <summary>True when bits 63..47 of <paramref name="virt"/> are all equal.</summary>
    public static bool IsCanonical(ulong virt) => (ulong)((long)(virt << 16) >> 16) == virt;

    /// <summary>True for addresses in the kernel half (PML4 slots 256..511).</summary>
    public static bool IsKernelHalf(ulong virt) => (virt >> 63) != 0;

    /// <summary>Looks up <paramref name="virt"/> and reports the physical address it maps to
    /// (page frame + offset), the leaf's flags and its page size. NotMapped when no present leaf
    /// covers it (phys 0, flags None, size 4 KiB).</summary>
    public static PagingStatus Translate(ulong root, ulong virt, out ulong phys, out PageFlags flags, out PageSize size)
    {
        phys = 0;
        flags = PageFlags.None;
        size = PageSize.Size4K;
        if (!ValidRoot(root))
            return PagingStatus.InvalidArgument;
        if (!IsCanonical(virt))
            return PagingStatus.NonCanonical;
        int level;
        ulong* entry = Lookup(root, virt, out level);
        ulong value = *entry;
        if (!PageTableEntry.IsPresent(value))
            return PagingStatus.NotMapped;
        ulong pageSize = PageTableEntry.LevelSize(level);
        phys = PageTableEntry.FrameAddress(value, level) + (virt & (pageSize - 1));
        flags = PageTableEntry.LeafFlags(value, level);
        size = PageTableEntry.SizeOfLevel(level);
        return PagingStatus.Ok;
    }

    /// <summary>A one-line explanation of <paramref name="status"/>.</summary>
    public static string Describe(PagingStatus status)
    {
        switch (status)
        {
            case PagingStatus.Ok: return "ok";
            case PagingStatus.NonCanonical: return "virtual address is not canonical (bits 63..47 differ) or the range crosses the canonical hole";
            case PagingStatus.Unaligned: return "address or length is not aligned to the page size";
            case PagingStatus.AlreadyMapped: return "already mapped";
            case PagingStatus.NotMapped: return "not mapped";
            case PagingStatus.SizeMismatch: return "mapped with smaller pages than the size given";
            case PagingStatus.OutOfMemory: return "out of memory for page tables";
            case PagingStatus.BadFrame: return "frame source returned a misaligned or out-of-range frame";
            case PagingStatus.InvalidArgument: return "invalid argument (flags, page size, length, physical address or root)";
            default: return "unknown paging status";
        }
    }

    // ---- internals shared by the operations ----

    static bool ValidRoot(ulong root) =>
        root != 0 && (root & 0xFFF) == 0 && root < PageTableEntry.MaxPhysicalAddress;

    static ulong* Table(ulong tablePhys) => (ulong*)PhysicalMap.ToVirtual(tablePhys);

    static ulong* EntryFor(ulong tablePhys, ulong virt, int level) =>
        Table(tablePhys) + PageTableEntry.Index(virt, level);

    /// <summary>Walks from the root to the entry that decides <paramref name="virt"/>: a present
    /// leaf (level 3 or 2 with PS, or level 1), or the first non-present entry on the way, whose
    /// level tells how large the hole around <paramref name="virt"/> is.</summary>
    static ulong* Lookup(ulong root, ulong virt, out int level)
    {
        ulong table = root;
        for (level = PageTableEntry.Pml4Level; ; level--)
        {
            ulong* entry = EntryFor(table, virt, level);
            ulong value = *entry;
            if (!PageTableEntry.IsPresent(value) || PageTableEntry.IsLeaf(value, level))
                return entry;
            table = PageTableEntry.TableAddress(value);
        }
    }

    static bool IsTableEmpty(ulong tablePhys)
    {
        ulong* t = Table(tablePhys);
        for (int i = 0; i < PageTableEntry.EntriesPerTable; i++)
            if (t[i] != 0)
                return false;
        return true;
    }

    /// <summary>Sign-extends bit 47 (entry bases computed from PML4 indices 256..511).</summary>
    static ulong Canonicalize(ulong virt) => (ulong)((long)(virt << 16) >> 16);

    static bool ValidFlags(PageFlags flags) => (flags & ~PageFlags.All) == 0;

    /// <summary>Checks [virt, virt + length) for a range operation: 4 KiB aligned, non-empty,
    /// canonical at both ends and within one half. Gives the inclusive last byte.</summary>
    static PagingStatus CheckRange(ulong root, ulong virt, ulong length, out ulong last)
    {
        last = 0;
        if (!ValidRoot(root) || length == 0)
            return PagingStatus.InvalidArgument;
        if (!IsCanonical(virt))
            return PagingStatus.NonCanonical;
        if ((virt & 0xFFF) != 0 || (length & 0xFFF) != 0)
            return PagingStatus.Unaligned;
        if (length - 1 > ulong.MaxValue - virt)
            return PagingStatus.NonCanonical;
        last = virt + (length - 1);
        if (!IsCanonical(last) || (virt >> 63) != (last >> 63))
            return PagingStatus.NonCanonical;
        return PagingStatus.Ok;
    }

    /// <summary>Frames taken from the source before an operation changes anything, so that an
    /// operation either has every table it needs or changes nothing.</summary>
    struct FramePool
    {
        public const int Capacity = 4;
        fixed ulong _frames[Capacity];
        int _count;

        public PagingStatus Fill(int needed, in FrameSource source)
        {
            if (needed > Capacity)
                return PagingStatus.InvalidArgument;
            for (int i = 0; i < needed; i++)
            {
                if (source.AllocateZeroedFrame == null)
                {
                    Release(in source);
                    return PagingStatus.OutOfMemory;
                }
                ulong frame = source.AllocateZeroedFrame();
                if (frame == 0)
                {
                    Release(in source);
                    return PagingStatus.OutOfMemory;
                }
                if ((frame & 0xFFF) != 0 || frame >= PageTableEntry.MaxPhysicalAddress)
                {
                    Release(in source);
                    return PagingStatus.BadFrame;
                }
                _frames[_count++] = frame;
            }
            return PagingStatus.Ok;
        }

        /// <summary>A pre-allocated frame, or 0 when the pool is empty (a counting bug).</summary>
        public ulong Take() => _count == 0 ? 0 : _frames[--_count];

        public int Count => _count;

        /// <summary>Gives unused frames back (kept, and leaked, if FreeFrame is null).</summary>
        public void Release(in FrameSource source)
        {
            while (_count > 0)
            {
                ulong frame = _frames[--_count];
                if (source.FreeFrame != null)
                    source.FreeFrame(frame);
            }
        }
    }

    /// <summary>Replaces the present large leaf at <paramref name="entry"/> (level 3 or 2) by a
    /// table of 512 leaves one level down with the same translation and attributes, so a part of
    /// it can change. <paramref name="frame"/> is a zeroed frame from the pool. The caller
    /// invalidates the TLB before making the pieces differ (SDM: with both a large and a small
    /// translation cached for one address and differing, behaviour is undefined).</summary>
    static void SplitLeaf(ulong* entry, int level, ulong frame, ulong virt)
    {
        ulong large = *entry;
        ulong* table = Table(frame);
        for (int i = 0; i < PageTableEntry.EntriesPerTable; i++)
            table[i] = PageTableEntry.SplitPiece(large, level, i);
        bool user = !IsKernelHalf(virt) || (large & PageTableEntry.UserBit) != 0;
        *entry = frame | PageTableEntry.TableBits(user);
    }

    /// <summary>How many splits an operation on [first, last] needs for the leaf at
    /// <paramref name="leafBase"/> of <paramref name="level"/>: one if the range covers it only
    /// in part, plus the splits of its pieces that hold either end of the range.</summary>
    static int SplitsNeeded(ulong leafBase, int level, ulong first, ulong last)
    {
        ulong leafLast = leafBase + (PageTableEntry.LevelSize(level) - 1);
        if (level == PageTableEntry.PtLevel || last < leafBase || first > leafLast)
            return 0;
        if (first <= leafBase && last >= leafLast)
            return 0;
        int n = 1;
        ulong pieceMask = ~(PageTableEntry.LevelSize(level - 1) - 1);
        bool headInside = first > leafBase;
        if (headInside)
            n += SplitsNeeded(first & pieceMask, level - 1, first, last);
        if (last < leafLast && !(headInside && (last & pieceMask) == (first & pieceMask)))
            n += SplitsNeeded(last & pieceMask, level - 1, first, last);
        return n;
    }

    /// <summary>Splits a range operation on [first, last] needs: only the leaves holding the
    /// two ends can be partly covered. A protect (<paramref name="protect"/>) does not split a
    /// leaf that already has the new flags.</summary>
    static int SplitsNeededForRange(ulong root, ulong first, ulong last, bool protect, PageFlags flags)
    {
        int level;
        ulong* head = Lookup(root, first, out level);
        int n = 0;
        ulong headBase = 0;
        int headLevel = 0;
        if (NeedsSplitCheck(*head, level, protect, flags))
        {
            headLevel = level;
            headBase = first & ~(PageTableEntry.LevelSize(level) - 1);
            n += SplitsNeeded(headBase, level, first, last);
        }
        ulong* tail = Lookup(root, last, out level);
        if (NeedsSplitCheck(*tail, level, protect, flags))
        {
            ulong tailBase = last & ~(PageTableEntry.LevelSize(level) - 1);
            if (!(headLevel == level && headBase == tailBase))
                n += SplitsNeeded(tailBase, level, first, last);
        }
        return n;
    }

    static bool NeedsSplitCheck(ulong value, int level, bool protect, PageFlags flags) =>
        PageTableEntry.IsPresent(value) && level > PageTableEntry.PtLevel
        && !(protect && PageTableEntry.WithFlags(value, level, flags) == value);
}
