// Platform-neutral shared source (kernel and host tests).
// The VMA side of one user address space (Linux's mm_struct minus the page tables): the tree,
// the layout (task size, mmap_base, brk, stack) and the range operations with Linux's semantics
// and errno values (VmSpaceMmap.cs, VmSpaceMunmap.cs, VmSpaceMprotect.cs, VmSpaceBrk.cs,
// VmSpaceMremap.cs, VmSpaceMadvise.cs). Page work goes out through Pages (VmPageOps).
// Invariant after every operation, failed or not: VMAs sorted, disjoint, and no two adjacent
// compatible VMAs (maximally merged). Every tree change goes through the helpers below so the
// page total stays exact. The caller serialises calls (mmap lock).
using Kernel.Syscalls;

namespace Kernel.Memory.Virtual;

public unsafe partial struct VmSpace
{
    public const ulong PageSize = 4096;
    public const ulong PageMask = PageSize - 1;
    /// <summary>x86-64 user space with 4-level paging: 128 TiB less one page (TASK_SIZE_MAX).</summary>
    public const ulong DefaultTaskSize = (1UL << 47) - PageSize;
    /// <summary>Linux's stack_guard_gap default: 256 pages.</summary>
    public const ulong DefaultStackGuardGap = 256 * PageSize;
    public const int DefaultMaxMapCount = 65530;
    public const ulong DefaultMmapMinAddr = 65536;
    public const ulong DefaultStackLimit = 8UL << 20;

    public VmaTree Tree;
    public VmPageOps Pages;
    public ulong TaskSize;
    /// <summary>Lowest address a mapping may use (vm.mmap_min_addr); MAP_FIXED below: EPERM.</summary>
    public ulong MmapMinAddr;
    /// <summary>Top of the top-down mmap area (below the stack and its gap).</summary>
    public ulong MmapBase;
    public ulong StartBrk;
    public ulong Brk;
    /// <summary>Initial stack pointer area: the VMA containing it is "[stack]" in /proc maps.</summary>
    public ulong StartStack;
    /// <summary>RLIMIT_STACK: how far a growsdown stack may extend.</summary>
    public ulong StackLimit;
    /// <summary>RLIMIT_DATA for brk (bytes above StartBrk); ulong.MaxValue = unlimited.</summary>
    public ulong DataLimit;
    public int MaxMapCount;
    ulong _totalPages;
    ulong _sharedObjects;

    /// <summary>An empty address space with Linux's default x86-64 layout without
    /// randomisation (mmap_base 0x7ffff7fff000); the loader sets brk and the stack.</summary>
    public void Initialize(VmaNodeAllocator allocator, VmPageOps pages)
    {
        Tree.Initialize(allocator, DefaultStackGuardGap);
        Pages = pages;
        TaskSize = DefaultTaskSize;
        MmapMinAddr = DefaultMmapMinAddr;
        StackLimit = DefaultStackLimit;
        DataLimit = ulong.MaxValue;
        MmapBase = ComputeMmapBase(TaskSize, StackLimit, DefaultStackGuardGap, 0);
        StartBrk = Brk = 0;
        StartStack = 0;
        MaxMapCount = DefaultMaxMapCount;
        _totalPages = 0;
        _sharedObjects = 0;
    }

    /// <summary>Linux's x86 mmap_base: the stack limit plus guard gap, clamped to
    /// [128 MiB, 5/6 of the task size], below the top, less a random offset.</summary>
    public static ulong ComputeMmapBase(ulong taskSize, ulong stackLimit, ulong guardGap, ulong randomOffset)
    {
        ulong gap = stackLimit;
        if (gap + guardGap > gap) gap += guardGap;
        ulong min = 128UL << 20, max = taskSize / 6 * 5;
        if (gap < min) gap = min; else if (gap > max) gap = max;
        return (taskSize - gap - randomOffset + PageMask) & ~PageMask;
    }

    public int MapCount => Tree.Count;
    /// <summary>Pages covered by VMAs (Linux's total_vm).</summary>
    public ulong TotalPages => _totalPages;

    /// <summary>Unmaps everything and frees every node (exit, execve).</summary>
    public void Destroy()
    {
        for (VmArea* v = Tree.First; v != null; v = v->Next)
            if (Pages.Unmap != null) Pages.Unmap(Pages.Context, v, v->Start, v->End);
        Tree.Clear();
        _totalPages = 0;
    }

    /// <summary>Copies every VMA into <paramref name="child"/> (fork; the page layer then
    /// shares the frames copy-on-write). 0, or -ENOMEM with the child left empty.</summary>
    public int CopyTo(VmSpace* child)
    {
        for (VmArea* v = Tree.First; v != null; v = v->Next)
        {
            VmArea* copy = child->Tree.NewNode();
            if (copy == null)
            {
                child->Tree.Clear();
                child->_totalPages = 0;
                return -Errno.ENOMEM;
            }
            copy->Start = v->Start;
            copy->End = v->End;
            copy->CopyAttributes(v);
            child->Tree.InsertBefore(null, copy);
            child->_totalPages += copy->Pages;
        }
        child->StartBrk = StartBrk;
        child->Brk = Brk;
        child->StartStack = StartStack;
        child->MmapBase = MmapBase;
        child->_sharedObjects = _sharedObjects;
        return 0;
    }

    static ulong PageAlign(ulong length) => (length + PageMask) & ~PageMask;

    /// <summary>Places a VMA with <paramref name="attrs"/>'s attributes over the free range
    /// [attrs.Start, attrs.End), merging with compatible neighbours (vma_merge_new_range).</summary>
    int MapFreeRange(VmArea* attrs, out VmArea* result)
    {
        result = null;
        ulong start = attrs->Start, end = attrs->End;
        VmArea* next = Tree.Find(start);
        VmArea* prev = next != null ? next->Prev : Tree.Last;
        bool mergePrev = prev != null && prev->End == start && VmArea.Compatible(prev, attrs);
        bool mergeNext = next != null && next->Start == end && VmArea.Compatible(attrs, next);
        if (mergePrev && mergeNext)
        {
            // Grow the survivor first, then drop the absorbed VMA: no gap ever opens, so the
            // gap repair stops early instead of climbing to the root and back.
            Resize(prev, prev->Start, next->End);
            Unlink(next);
            result = prev;
        }
        else if (mergePrev)
        {
            Resize(prev, prev->Start, end);
            result = prev;
        }
        else if (mergeNext)
        {
            Resize(next, start, next->End); // lowers its offset to attrs' by continuity
            result = next;
        }
        else
        {
            if (Tree.Count >= MaxMapCount) return -Errno.ENOMEM;
            VmArea* node = Tree.NewNode();
            if (node == null) return -Errno.ENOMEM;
            node->Start = start;
            node->End = end;
            node->CopyAttributes(attrs);
            Tree.InsertBefore(next, node);
            _totalPages += node->Pages;
            result = node;
        }
        return 0;
    }

    /// <summary>Splits <paramref name="vma"/> at <paramref name="address"/> (strictly inside)
    /// using the spare <paramref name="node"/> for the upper part, which it returns.</summary>
    VmArea* SplitWith(VmArea* vma, ulong address, VmArea* node)
    {
        node->CopyAttributes(vma);
        node->FileOffset = vma->FileOffset + (address - vma->Start);
        node->Start = address;
        node->End = vma->End;
        // Link the upper part while the lower one still covers it, then shrink the lower one:
        // the gap above stays the same throughout, so no annotation changes beyond the node.
        Tree.InsertBefore(vma->Next, node);
        Tree.Adjust(vma, vma->Start, address);
        return node;
    }

    /// <summary>Removes and frees a VMA (its pages were dealt with by the caller).</summary>
    void Unlink(VmArea* vma)
    {
        _totalPages -= vma->Pages;
        Tree.Remove(vma);
        Tree.FreeNode(vma);
    }

    /// <summary>Moves a VMA's bounds in place; a raised start advances its file offset.</summary>
    void Resize(VmArea* vma, ulong start, ulong end)
    {
        _totalPages = _totalPages - vma->Pages + ((end - start) >> 12);
        if (start > vma->Start) vma->FileOffset += start - vma->Start;
        else vma->FileOffset -= vma->Start - start;
        Tree.Adjust(vma, start, end);
    }

    void UnmapPages(VmArea* vma, ulong start, ulong end)
    {
        if (Pages.Unmap != null && end > start) Pages.Unmap(Pages.Context, vma, start, end);
    }

    /// <summary>Checks the tree plus what VmSpace promises: maximal merging and the page total.</summary>
    public VmaViolation Validate(out ulong where)
    {
        VmaViolation v = Tree.Validate(out where);
        if (v != VmaViolation.None) return v;
        ulong pages = 0;
        for (VmArea* a = Tree.First; a != null; a = a->Next)
        {
            pages += a->Pages;
            VmArea* n = a->Next;
            if (n != null && n->Start == a->End && VmArea.Compatible(a, n))
            {
                where = a->Start;
                return VmaViolation.NotMerged;
            }
        }
        if (pages != _totalPages) return VmaViolation.PageCount;
        return VmaViolation.None;
    }
}
