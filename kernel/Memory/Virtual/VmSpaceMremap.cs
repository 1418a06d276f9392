// Platform-neutral shared source (kernel and host tests).
// mremap (Linux mm/mremap.c): shrink in place, grow in place when the pages above are free,
// otherwise move (MREMAP_MAYMOVE) to a new place or to a fixed one (MREMAP_FIXED), optionally
// leaving the old range mapped but empty (MREMAP_DONTUNMAP).
using Kernel.Syscalls;

namespace Kernel.Memory.Virtual;

public unsafe partial struct VmSpace
{
    /// <summary>mremap(2): the (new) address or -EINVAL (bad flags, unaligned address, zero
    /// new length, FIXED without MAYMOVE, DONTUNMAP with a size change, overlapping fixed
    /// target, zero old length on a private mapping), -EFAULT (old address unmapped or the old
    /// range crossing the end of its VMA), -ENOMEM (cannot grow in place without MAYMOVE, no room,
    /// map count).</summary>
    public long Mremap(ulong oldAddress, ulong oldLength, ulong newLength, int flags, ulong newAddress)
    {
        const int known = RemapFlags.MayMove | RemapFlags.Fixed | RemapFlags.DontUnmap;
        if ((flags & ~known) != 0) return -Errno.EINVAL;
        bool mayMove = (flags & RemapFlags.MayMove) != 0;
        if ((flags & RemapFlags.Fixed) != 0 && !mayMove) return -Errno.EINVAL;
        if ((flags & RemapFlags.DontUnmap) != 0 && (!mayMove || oldLength != newLength)) return -Errno.EINVAL;
        if ((oldAddress & PageMask) != 0) return -Errno.EINVAL;
        oldLength = PageAlign(oldLength);
        newLength = PageAlign(newLength);
        if (newLength == 0) return -Errno.EINVAL;
        if (Tree.FindContaining(oldAddress) == null) return -Errno.EFAULT;

        if ((flags & (RemapFlags.Fixed | RemapFlags.DontUnmap)) != 0)
            return RemapTo(oldAddress, oldLength, newAddress, newLength, flags);

        if (oldLength >= newLength)
        {
            if (oldLength > newLength)
            {
                int unmapped = UnmapRange(oldAddress + newLength, oldAddress + oldLength);
                if (unmapped < 0) return unmapped;
            }
            return (long)oldAddress;
        }

        long check = CheckResizable(oldAddress, oldLength, newLength, out VmArea* vma);
        if (check < 0) return check;
        if (oldLength == vma->End - oldAddress && CanExpandInPlace(vma, newLength - oldLength))
        {
            VmArea grown = *vma;
            grown.End = vma->End + (newLength - oldLength);
            VmArea* next = vma->Next;
            bool merge = next != null && next->Start == grown.End && VmArea.Compatible(&grown, next);
            Resize(vma, vma->Start, merge ? next->End : grown.End);
            if (merge) Unlink(next);
            return (long)oldAddress;
        }
        if (!mayMove) return -Errno.ENOMEM;
        long target = GetUnmappedArea(0, newLength, 0);
        if (target < 0) return target;
        return MoveArea(vma, oldAddress, oldLength, (ulong)target, newLength, flags);
    }

    long RemapTo(ulong oldAddress, ulong oldLength, ulong newAddress, ulong newLength, int flags)
    {
        if ((newAddress & PageMask) != 0) return -Errno.EINVAL;
        if (newLength > TaskSize || newAddress > TaskSize - newLength) return -Errno.EINVAL;
        if (oldAddress + oldLength > newAddress && newAddress + newLength > oldAddress) return -Errno.EINVAL;
        if (Tree.Count + 2 >= MaxMapCount - 3) return -Errno.ENOMEM;
        bool isFixed = (flags & RemapFlags.Fixed) != 0;
        if (isFixed)
        {
            int unmapped = UnmapRange(newAddress, newAddress + newLength);
            if (unmapped < 0) return unmapped;
        }
        if (oldLength > newLength)
        {
            int unmapped = UnmapRange(oldAddress + newLength, oldAddress + oldLength);
            if (unmapped < 0) return unmapped;
            oldLength = newLength;
        }
        long check = CheckResizable(oldAddress, oldLength, newLength, out VmArea* vma);
        if (check < 0) return check;
        long target = GetUnmappedArea(newAddress, newLength, isFixed ? MapFlags.Fixed : 0);
        if (target < 0) return target;
        return MoveArea(vma, oldAddress, oldLength, (ulong)target, newLength, flags);
    }

    /// <summary>Linux's vma_to_resize: the VMA holding the old range, or -EFAULT / -EINVAL.</summary>
    long CheckResizable(ulong oldAddress, ulong oldLength, ulong newLength, out VmArea* vma)
    {
        vma = Tree.FindContaining(oldAddress);
        if (vma == null) return -Errno.EFAULT;
        if (oldLength == 0 && !vma->IsShared) return -Errno.EINVAL;
        if (oldLength > vma->End - oldAddress) return -Errno.EFAULT;
        if (newLength == oldLength) return 0;
        ulong pgoff = (vma->FileOffset + (oldAddress - vma->Start)) >> 12;
        if (pgoff + (newLength >> 12) < pgoff) return -Errno.EINVAL;
        return 0;
    }

    /// <summary>vma_expandable: nothing in the way and still inside the task size.</summary>
    bool CanExpandInPlace(VmArea* vma, ulong delta)
    {
        ulong end = vma->End + delta;
        if (end < vma->End || end > TaskSize) return false;
        return Tree.FindIntersection(vma->End, end) == null;
    }

    /// <summary>move_vma: a VMA like the old one at the target (merged when possible), the page
    /// entries moved, then the old range unmapped unless MREMAP_DONTUNMAP.</summary>
    long MoveArea(VmArea* vma, ulong oldAddress, ulong oldLength, ulong newAddress, ulong newLength, int flags)
    {
        if (Tree.Count >= MaxMapCount - 3) return -Errno.ENOMEM;
        VmArea attrs = default;
        attrs.CopyAttributes(vma);
        attrs.FileOffset = vma->FileOffset + (oldAddress - vma->Start);
        attrs.Start = newAddress;
        attrs.End = newAddress + newLength;
        int status = MapFreeRange(&attrs, out VmArea* _);
        if (status < 0) return status;
        if (oldLength != 0 && Pages.Move != null) Pages.Move(Pages.Context, oldAddress, newAddress, oldLength);
        if (oldLength != 0 && (flags & RemapFlags.DontUnmap) == 0)
        {
            status = UnmapRange(oldAddress, oldAddress + oldLength);
            if (status < 0) return status;
        }
        return (long)newAddress;
    }
}
