// Platform-neutral shared source (kernel and host tests).
// The range walker behind Protect and UnmapRange: visits every present leaf in [first, last],
// splits the (at most four) large leaves the range covers only in part, rewrites or clears
// the leaves, frees the tables an unmap empties, and batches TLB work.
using Kernel.Platform;

namespace Kernel.Arch.X64.Paging;

public static unsafe partial class PageTables
{
    struct RangeWork
    {
        public bool Unmap;                 // false: protect
        public PageFlags Flags;            // protect: the new flags (Present included)
        public FramePool Pool;             // frames for the splits, counted beforehand
        public bool CanFreeTables;         // unmap with a FreeFrame function
        public bool Batch;                 // defer non-global invalidations to one FlushAll
        public bool FlushNeeded;
        public bool UnlinkedSinceInvalidate;
        public ulong FreeList;             // tables to free after the TLB work, linked through entry 0
        public ulong Leaves;               // leaves changed or removed
        public delegate*<ulong, ulong, PageSize, void> OnUnmapped;
        public PagingStatus Status;
    }

    /// <summary>Runs <paramref name="work"/> over the entries of the table at
    /// <paramref name="tablePhys"/> (<paramref name="level"/>, covering from
    /// <paramref name="tableBase"/>) that overlap [first, last].</summary>
    static void WalkRange(ref RangeWork work, ulong tablePhys, int level, ulong tableBase, ulong first, ulong last)
    {
        ulong span = PageTableEntry.LevelSize(level);
        ulong* table = Table(tablePhys);
        int firstIndex = PageTableEntry.Index(first, level);
        int lastIndex = PageTableEntry.Index(last, level);
        for (int i = firstIndex; i <= lastIndex; i++)
        {
            ulong* entry = table + i;
            ulong value = *entry;
            if (!PageTableEntry.IsPresent(value))
                continue;
            ulong entryBase = Canonicalize(tableBase + (ulong)i * span);
            ulong entryLast = entryBase + (span - 1);
            ulong from = first > entryBase ? first : entryBase;
            ulong to = last < entryLast ? last : entryLast;

            if (PageTableEntry.IsLeaf(value, level))
            {
                if (from == entryBase && to == entryLast)
                {
                    ChangeLeaf(ref work, entry, level, entryBase);
                    continue;
                }
                // A large leaf the range covers in part: split it, then walk the pieces (unless a
                // protect would not change it anyway).
                if (!work.Unmap && PageTableEntry.WithFlags(value, level, work.Flags) == value)
                    continue;
                ulong frame = work.Pool.Take();
                if (frame == 0)
                {
                    work.Status = PagingStatus.OutOfMemory; // counting bug; the tree stays valid
                    return;
                }
                SplitLeaf(entry, level, frame, entryBase);
                if (!work.Unmap)
                    Tlb.Invalidate(entryBase); // drop the large TLB entry before pieces differ
                value = *entry;
            }

            ulong child = PageTableEntry.TableAddress(value);
            WalkRange(ref work, child, level - 1, entryBase, from, to);
            if (work.Status != PagingStatus.Ok)
                return;
            // The PML4 is never freed (it is the root, never a child here), nor are the PDPTs
            // under kernel slots 256..511: every address space shares them.
            bool keep = level == PageTableEntry.Pml4Level && i >= PageTableEntry.FirstKernelSlot;
            if (work.Unmap && work.CanFreeTables && !keep && IsTableEmpty(child))
            {
                *entry = 0;
                *Table(child) = work.FreeList; // page aligned, so bit 0 (P) is clear: still "empty"
                work.FreeList = child;
                work.UnlinkedSinceInvalidate = true;
            }
        }
    }

    static void ChangeLeaf(ref RangeWork work, ulong* entry, int level, ulong virt)
    {
        ulong old = *entry;
        ulong updated = work.Unmap ? 0 : PageTableEntry.WithFlags(old, level, work.Flags);
        if (updated == old)
            return;
        *entry = updated;
        work.Leaves++;
        // One INVLPG drops every TLB entry of the page that holds the address, whatever its size.
        if (!work.Batch || ((old | updated) & PageTableEntry.GlobalBit) != 0 || work.OnUnmapped != null)
        {
            Tlb.Invalidate(virt);
            work.UnlinkedSinceInvalidate = false;
        }
        else
        {
            work.FlushNeeded = true;
        }
        if (work.Unmap && work.OnUnmapped != null)
            work.OnUnmapped(virt, PageTableEntry.FrameAddress(old, level), PageTableEntry.SizeOfLevel(level));
    }

    /// <summary>Ends a range operation: the TLB work still owed, then the unlinked tables go
    /// back to the frame source (never before: a paging-structure cache may still point at them).</summary>
    static void FinishRange(ref RangeWork work, ulong first, in FrameSource frames)
    {
        if (work.FlushNeeded)
            Tlb.FlushAll();
        else if (work.UnlinkedSinceInvalidate)
            Tlb.Invalidate(first); // INVLPG also empties the paging-structure caches
        while (work.FreeList != 0)
        {
            ulong frame = work.FreeList;
            work.FreeList = *Table(frame);
            *Table(frame) = 0;
            frames.FreeFrame(frame);
        }
        work.Pool.Release(in frames);
    }

    /// <summary>Shared by UnmapRange and MapRange's rollback; [first, last] already checked.</summary>
    static PagingStatus UnmapRangeCore(ulong root, ulong first, ulong last, in FrameSource frames,
        delegate*<ulong, ulong, PageSize, void> onUnmapped, out ulong leaves)
    {
        leaves = 0;
        RangeWork work = default;
        work.Unmap = true;
        work.CanFreeTables = frames.FreeFrame != null;
        work.OnUnmapped = onUnmapped;
        work.Batch = ((last - first) >> 12) >= FlushAllThresholdPages;
        PagingStatus status = work.Pool.Fill(SplitsNeededForRange(root, first, last, false, PageFlags.None), in frames);
        if (status != PagingStatus.Ok)
            return status;
        WalkRange(ref work, root, PageTableEntry.Pml4Level, 0, first, last);
        FinishRange(ref work, first, in frames);
        leaves = work.Leaves;
        return work.Status;
    }

    /// <summary>
    /// Sets the flags of every mapped page in [virt, virt + length) to <paramref name="flags"/>
    /// (Present implied; Accessed and Dirty already set are kept). Unmapped holes are skipped
    /// (Linux's change_protection does the same). A 2 MiB or 1 GiB page the range covers only
    /// in part is split first; the frames for that (at most four) are taken before anything
    /// changes, so OutOfMemory means nothing changed.
    /// </summary>
    public static PagingStatus Protect(ulong root, ulong virt, ulong length, PageFlags flags, in FrameSource frames)
    {
        ulong last;
        PagingStatus status = CheckRange(root, virt, length, out last);
        if (status != PagingStatus.Ok)
            return status;
        if (!ValidFlags(flags))
            return PagingStatus.InvalidArgument;
        RangeWork work = default;
        work.Flags = flags | PageFlags.Present;
        work.Batch = (length >> 12) > FlushAllThresholdPages;
        status = work.Pool.Fill(SplitsNeededForRange(root, virt, last, true, work.Flags), in frames);
        if (status != PagingStatus.Ok)
            return status;
        WalkRange(ref work, root, PageTableEntry.Pml4Level, 0, virt, last);
        FinishRange(ref work, virt, in frames);
        return work.Status;
    }

    /// <summary>
    /// Unmaps every mapped page in [virt, virt + length) (holes are skipped), splitting large
    /// pages the range covers only in part, and frees the tables that become empty (see
    /// Unmap). <paramref name="onUnmapped"/> (may be null) is called for each removed leaf with
    /// (virtual address, physical address, size) after its TLB entry is gone, so it may free
    /// the frame. <paramref name="leaves"/> counts the leaves removed.
    /// </summary>
    public static PagingStatus UnmapRange(ulong root, ulong virt, ulong length, in FrameSource frames,
        delegate*<ulong, ulong, PageSize, void> onUnmapped, out ulong leaves)
    {
        leaves = 0;
        ulong last;
        PagingStatus status = CheckRange(root, virt, length, out last);
        if (status != PagingStatus.Ok)
            return status;
        return UnmapRangeCore(root, virt, last, in frames, onUnmapped, out leaves);
    }
}
