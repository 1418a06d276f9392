// Platform-neutral shared source (kernel and host tests).
// Map one page, MapRange with the largest pages alignment allows, and address-space roots.
namespace Kernel.Arch.X64.Paging;

public static unsafe partial class PageTables
{
    /// <summary>
    /// Maps the page of <paramref name="size"/> at <paramref name="virt"/> to
    /// <paramref name="phys"/> with <paramref name="flags"/> (Present is implied). Creates the
    /// missing tables, all before anything is written, so on OutOfMemory nothing changed.
    /// AlreadyMapped (nothing changed) when any part of the page is mapped, including a 4 KiB
    /// page inside a mapped 2 MiB page: Unmap first (it splits), then Map.
    /// No TLB work: the entry was not present, and x86 never caches non-present entries.
    /// </summary>
    public static PagingStatus Map(ulong root, ulong virt, ulong phys, PageSize size, PageFlags flags, in FrameSource frames)
    {
        int leafLevel = PageTableEntry.LeafLevel(size);
        if (!ValidRoot(root) || leafLevel == 0 || !ValidFlags(flags) || phys >= PageTableEntry.MaxPhysicalAddress)
            return PagingStatus.InvalidArgument;
        if (!IsCanonical(virt))
            return PagingStatus.NonCanonical;
        ulong mask = (ulong)size - 1;
        if ((virt & mask) != 0 || (phys & mask) != 0)
            return PagingStatus.Unaligned;

        // Pass 1, read only: is anything in the way, and how many tables are missing?
        ulong table = root;
        int missing = 0;
        for (int level = PageTableEntry.Pml4Level; level > leafLevel; level--)
        {
            ulong value = *EntryFor(table, virt, level);
            if (!PageTableEntry.IsPresent(value))
            {
                missing = level - leafLevel;
                break;
            }
            if (PageTableEntry.IsLeaf(value, level))
                return PagingStatus.AlreadyMapped;
            table = PageTableEntry.TableAddress(value);
        }
        if (missing == 0 && PageTableEntry.IsPresent(*EntryFor(table, virt, leafLevel)))
            return PagingStatus.AlreadyMapped; // a leaf, or (2 MiB / 1 GiB asked) a table of smaller pages

        FramePool pool = default;
        PagingStatus status = pool.Fill(missing, in frames);
        if (status != PagingStatus.Ok)
            return status;

        // Pass 2: link the new tables top-down, then write the leaf.
        bool user = !IsKernelHalf(virt) || (flags & PageFlags.User) != 0;
        table = root;
        for (int level = PageTableEntry.Pml4Level; level > leafLevel; level--)
        {
            ulong* entry = EntryFor(table, virt, level);
            if (!PageTableEntry.IsPresent(*entry))
            {
                *entry = pool.Take() | PageTableEntry.TableBits(user);
            }
            else if (user && (*entry & PageTableEntry.UserBit) == 0)
            {
                // A user page under a kernel-half table: widen the table entry (U/S is ANDed
                // along the walk). Loosening needs no flush, but a stale cached entry could
                // raise one spurious fault; invalidate to avoid even that.
                *entry |= PageTableEntry.UserBit;
                Kernel.Platform.Tlb.Invalidate(virt);
            }
            table = PageTableEntry.TableAddress(*entry);
        }
        *EntryFor(table, virt, leafLevel) = phys | PageTableEntry.LeafBits(flags | PageFlags.Present, leafLevel != PageTableEntry.PtLevel);
        return PagingStatus.Ok;
    }

    /// <summary>
    /// Maps [virt, virt + length) to [phys, phys + length) with the largest pages, up to
    /// <paramref name="largest"/>, that both addresses' alignment and the remaining length allow
    /// (pass Size1G only when the CPU has 1 GiB pages). All 4 KiB aligned. All or nothing: on any
    /// failure (AlreadyMapped, OutOfMemory...) what this call mapped is unmapped again and its
    /// tables freed, and the status is returned with <paramref name="failedAt"/> = the virtual
    /// address that could not be mapped.
    /// </summary>
    public static PagingStatus MapRange(ulong root, ulong virt, ulong phys, ulong length, PageFlags flags,
        PageSize largest, in FrameSource frames, out ulong failedAt)
    {
        failedAt = virt;
        ulong last;
        PagingStatus status = CheckRange(root, virt, length, out last);
        if (status != PagingStatus.Ok)
            return status;
        if ((phys & 0xFFF) != 0)
            return PagingStatus.Unaligned;
        if (phys >= PageTableEntry.MaxPhysicalAddress || length > PageTableEntry.MaxPhysicalAddress - phys
            || PageTableEntry.LeafLevel(largest) == 0 || !ValidFlags(flags))
            return PagingStatus.InvalidArgument;

        ulong done = 0;
        while (done < length)
        {
            ulong v = virt + done, p = phys + done, remaining = length - done;
            PageSize size = PageSize.Size4K;
            if (largest == PageSize.Size1G && ((v | p) & ((ulong)PageSize.Size1G - 1)) == 0 && remaining >= (ulong)PageSize.Size1G)
                size = PageSize.Size1G;
            else if (largest != PageSize.Size4K && ((v | p) & ((ulong)PageSize.Size2M - 1)) == 0 && remaining >= (ulong)PageSize.Size2M)
                size = PageSize.Size2M;
            status = Map(root, v, p, size, flags, in frames);
            if (status != PagingStatus.Ok)
            {
                failedAt = v;
                if (done != 0)
                    UnmapRangeCore(root, virt, virt + (done - 1), in frames, null, out ulong ignored);
                return status;
            }
            done += (ulong)size;
        }
        return PagingStatus.Ok;
    }

    /// <summary>Allocates a new PML4 for an address space. Its kernel half (slots 256..511) is
    /// copied from <paramref name="kernelRoot"/> (0: leave it empty), so every address space
    /// shares the kernel's PDPTs; the user half starts empty.</summary>
    public static PagingStatus CreateRoot(ulong kernelRoot, in FrameSource frames, out ulong root)
    {
        root = 0;
        if (kernelRoot != 0 && !ValidRoot(kernelRoot))
            return PagingStatus.InvalidArgument;
        FramePool pool = default;
        PagingStatus status = pool.Fill(1, in frames);
        if (status != PagingStatus.Ok)
            return status;
        root = pool.Take();
        if (kernelRoot != 0)
            CopyKernelHalf(root, kernelRoot);
        return PagingStatus.Ok;
    }

    /// <summary>Copies PML4 slots 256..511 of <paramref name="kernelRoot"/> into
    /// <paramref name="root"/> (Linux: clone_pgd_range in pgd_alloc).</summary>
    public static void CopyKernelHalf(ulong root, ulong kernelRoot)
    {
        ulong* destination = Table(root);
        ulong* source = Table(kernelRoot);
        for (int i = PageTableEntry.FirstKernelSlot; i < PageTableEntry.EntriesPerTable; i++)
            destination[i] = source[i];
    }

    /// <summary>
    /// Gives every empty PML4 slot in [firstSlot, lastSlot] (within 256..511) an empty PDPT, so
    /// that kernel mappings made later in those slots are seen by address spaces whose PML4 was
    /// copied earlier (Linux: preallocate_vmalloc_pages). One frame per slot; on OutOfMemory the
    /// slots filled so far keep their (valid, empty) PDPTs.
    /// </summary>
    public static PagingStatus PreallocateKernelSlots(ulong root, int firstSlot, int lastSlot, in FrameSource frames)
    {
        if (!ValidRoot(root) || firstSlot < PageTableEntry.FirstKernelSlot || lastSlot >= PageTableEntry.EntriesPerTable || firstSlot > lastSlot)
            return PagingStatus.InvalidArgument;
        ulong* pml4 = Table(root);
        for (int slot = firstSlot; slot <= lastSlot; slot++)
        {
            if (PageTableEntry.IsPresent(pml4[slot]))
                continue;
            FramePool pool = default;
            PagingStatus status = pool.Fill(1, in frames);
            if (status != PagingStatus.Ok)
                return status;
            pml4[slot] = pool.Take() | PageTableEntry.TableBits(false);
        }
        return PagingStatus.Ok;
    }
}
