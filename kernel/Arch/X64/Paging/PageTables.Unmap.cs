// Platform-neutral shared source (kernel and host tests).
// Unmap one page, splitting a larger page around it and freeing tables it leaves empty.
using Kernel.Platform;

namespace Kernel.Arch.X64.Paging;

public static unsafe partial class PageTables
{
    /// <summary>
    /// Removes the page of <paramref name="size"/> at <paramref name="virt"/> and reports the
    /// physical address it mapped (the caller owns that frame). When the address lies inside a
    /// larger page, that page is split first (2 MiB -> 512 x 4 KiB, 1 GiB -> 512 x 2 MiB, and
    /// again if needed); the split frames are taken before anything changes, so OutOfMemory means
    /// nothing changed. SizeMismatch when the address is mapped with smaller pages.
    /// Every table the removal leaves empty is unlinked and given back to frames.FreeFrame,
    /// bottom-up, except the PML4 itself and the PDPTs under kernel slots 256..511 (shared by
    /// every address space). One TLB invalidation, after which the tables are freed.
    /// </summary>
    public static PagingStatus Unmap(ulong root, ulong virt, PageSize size, out ulong phys, in FrameSource frames)
    {
        phys = 0;
        int targetLevel = PageTableEntry.LeafLevel(size);
        if (!ValidRoot(root) || targetLevel == 0)
            return PagingStatus.InvalidArgument;
        if (!IsCanonical(virt))
            return PagingStatus.NonCanonical;
        if ((virt & ((ulong)size - 1)) != 0)
            return PagingStatus.Unaligned;

        // The path: tables[level] is the table at that level, walked down to the leaf.
        ulong* tables = stackalloc ulong[5];
        ulong table = root;
        int level = PageTableEntry.Pml4Level;
        ulong value;
        while (true)
        {
            tables[level] = table;
            value = *EntryFor(table, virt, level);
            if (!PageTableEntry.IsPresent(value))
                return PagingStatus.NotMapped;
            if (PageTableEntry.IsLeaf(value, level))
                break;
            if (level == targetLevel)
                return PagingStatus.SizeMismatch; // a table of smaller pages where a leaf was expected
            table = PageTableEntry.TableAddress(value);
            level--;
        }

        // Split down to the requested size.
        FramePool pool = default;
        PagingStatus status = pool.Fill(level - targetLevel, in frames);
        if (status != PagingStatus.Ok)
            return status;
        while (level > targetLevel)
        {
            ulong frame = pool.Take();
            SplitLeaf(EntryFor(tables[level], virt, level), level, frame, virt);
            level--;
            tables[level] = frame;
        }

        ulong* leaf = EntryFor(tables[targetLevel], virt, targetLevel);
        phys = PageTableEntry.FrameAddress(*leaf, targetLevel);
        *leaf = 0;

        // Unlink the tables this emptied, bottom-up; free them only after the invalidation.
        ulong freeList = 0;
        if (frames.FreeFrame != null)
        {
            for (level = targetLevel; level < PageTableEntry.Pml4Level; level++)
            {
                bool sharedKernelPdpt = level == PageTableEntry.PdptLevel && IsKernelHalf(virt);
                if (sharedKernelPdpt || !IsTableEmpty(tables[level]))
                    break;
                *EntryFor(tables[level + 1], virt, level + 1) = 0;
                *Table(tables[level]) = freeList;
                freeList = tables[level];
            }
        }
        Tlb.Invalidate(virt); // also empties the paging-structure caches
        while (freeList != 0)
        {
            ulong frame = freeList;
            freeList = *Table(frame);
            *Table(frame) = 0;
            frames.FreeFrame(frame);
        }
        return PagingStatus.Ok;
    }
}
