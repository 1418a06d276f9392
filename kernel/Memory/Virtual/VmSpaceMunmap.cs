// Platform-neutral shared source (kernel and host tests).
// munmap (Linux __vm_munmap / do_vmi_munmap): any range, partial, across VMAs and holes.
using Kernel.Syscalls;

namespace Kernel.Memory.Virtual;

public unsafe partial struct VmSpace
{
    /// <summary>munmap(2): 0, -EINVAL (unaligned start, zero or overflowing length, beyond
    /// the task size) or -ENOMEM (a hole punched inside one VMA at max_map_count).
    /// Unmapping nothing succeeds.</summary>
    public int Munmap(ulong start, ulong length)
    {
        if ((start & PageMask) != 0 || start > TaskSize || length > TaskSize - start) return -Errno.EINVAL;
        length = PageAlign(length);
        if (length == 0) return -Errno.EINVAL;
        return UnmapRange(start, start + length);
    }

    /// <summary>Removes [start, end) (page aligned, start &lt; end) from the tree, trimming the
    /// VMAs at both edges. Fails before changing anything.</summary>
    internal int UnmapRange(ulong start, ulong end)
    {
        VmArea* vma = Tree.Find(start);
        if (vma == null || vma->Start >= end) return 0;

        if (vma->Start < start && vma->End > end)
        {
            // A hole inside one VMA: the only case that adds a VMA.
            if (Tree.Count >= MaxMapCount) return -Errno.ENOMEM;
            VmArea* node = Tree.NewNode();
            if (node == null) return -Errno.ENOMEM;
            UnmapPages(vma, start, end);
            SplitWith(vma, end, node);
            Resize(vma, vma->Start, start);
            return 0;
        }

        if (vma->Start < start)
        {
            VmArea* next = vma->Next;
            UnmapPages(vma, start, vma->End);
            Resize(vma, vma->Start, start);
            vma = next;
        }
        while (vma != null && vma->End <= end)
        {
            VmArea* next = vma->Next;
            UnmapPages(vma, vma->Start, vma->End);
            Unlink(vma);
            vma = next;
        }
        if (vma != null && vma->Start < end)
        {
            UnmapPages(vma, vma->Start, end);
            Resize(vma, end, vma->End);
        }
        return 0;
    }
}
