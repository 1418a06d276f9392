// Platform-neutral shared source (kernel and host tests).
// madvise (Linux madvise_walk_vmas): advice over a range that may span VMAs and holes.
using Kernel.Syscalls;

namespace Kernel.Memory.Virtual;

public unsafe partial struct VmSpace
{
    /// <summary>madvise(2) for MADV_NORMAL / RANDOM / SEQUENTIAL / WILLNEED (accepted, no
    /// effect), MADV_DONTNEED and MADV_FREE (pages dropped through Pages.Discard). 0, -EINVAL
    /// (other advice, unaligned start, wrapping length) or -ENOMEM when part of the range is
    /// unmapped (the mapped parts are still advised, as Linux does).</summary>
    public int Madvise(ulong start, ulong length, int advice)
    {
        if (advice != Advice.Normal && advice != Advice.Random && advice != Advice.Sequential
            && advice != Advice.WillNeed && advice != Advice.DontNeed && advice != Advice.Free)
            return -Errno.EINVAL;
        if ((start & PageMask) != 0) return -Errno.EINVAL;
        ulong aligned = PageAlign(length);
        if (length != 0 && aligned == 0) return -Errno.EINVAL;
        ulong end = start + aligned;
        if (end < start) return -Errno.EINVAL;
        if (end == start) return 0;

        bool discard = advice == Advice.DontNeed || advice == Advice.Free;
        int result = 0;
        VmArea* vma = Tree.Find(start);
        while (start < end)
        {
            if (vma == null) return -Errno.ENOMEM;
            if (start < vma->Start)
            {
                result = -Errno.ENOMEM;
                start = vma->Start;
                if (start >= end) break;
            }
            ulong pieceEnd = vma->End < end ? vma->End : end;
            if (discard && Pages.Discard != null) Pages.Discard(Pages.Context, vma, start, pieceEnd);
            start = pieceEnd;
            vma = vma->Next;
        }
        return result;
    }
}
