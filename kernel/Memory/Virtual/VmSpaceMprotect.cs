// Platform-neutral shared source (kernel and host tests).
// mprotect (Linux do_mprotect_pkey / mprotect_fixup): splits at the edges of the range, merges
// with neighbours that end up identical. Like Linux, a hole stops the walk with -ENOMEM after
// the VMAs below it were changed.
using Kernel.Syscalls;

namespace Kernel.Memory.Virtual;

public unsafe partial struct VmSpace
{
    /// <summary>mprotect(2): 0, -EINVAL (unaligned start, unknown bits, GROWSDOWN|GROWSUP,
    /// PROT_GROWSDOWN on a VMA that does not grow down, PROT_GROWSUP), -ENOMEM (wrapping range,
    /// unmapped pages, max_map_count) or -EACCES (beyond what the mapping may get).
    /// A zero length succeeds.</summary>
    public int Mprotect(ulong start, ulong length, int prot)
    {
        int grows = prot & (Prot.GrowsDown | Prot.GrowsUp);
        prot &= ~(Prot.GrowsDown | Prot.GrowsUp);
        if (grows == (Prot.GrowsDown | Prot.GrowsUp)) return -Errno.EINVAL;
        if ((start & PageMask) != 0) return -Errno.EINVAL;
        if (length == 0) return 0;
        length = PageAlign(length);
        ulong end = start + length;
        if (end <= start) return -Errno.ENOMEM;
        if ((prot & ~(Prot.Access | Prot.Sem)) != 0) return -Errno.EINVAL;
        prot &= Prot.Access;

        VmArea* vma = Tree.Find(start);
        if (vma == null || vma->Start >= end) return -Errno.ENOMEM;
        if ((grows & Prot.GrowsDown) != 0)
        {
            start = vma->Start;
            if (!vma->GrowsDown) return -Errno.EINVAL;
        }
        else
        {
            if (vma->Start > start) return -Errno.ENOMEM;
            if ((grows & Prot.GrowsUp) != 0) return -Errno.EINVAL; // no VM_GROWSUP on x86
        }

        ulong done = vma->Start;
        while (vma != null && vma->Start < end)
        {
            if (vma->Start != done) return -Errno.ENOMEM;
            if (!MayGrant(vma, prot)) return -Errno.EACCES;
            ulong pieceStart = start > vma->Start ? start : vma->Start;
            ulong pieceEnd = end < vma->End ? end : vma->End;
            int status = ProtectPiece(vma, pieceStart, pieceEnd, prot, out VmArea* result);
            if (status < 0) return status;
            done = result->End;
            vma = result->Next;
        }
        return done < end ? -Errno.ENOMEM : 0;
    }

    static bool MayGrant(VmArea* vma, int prot)
    {
        uint may = vma->Flags;
        return ((prot & Prot.Read) == 0 || (may & VmaFlags.MayRead) != 0)
            && ((prot & Prot.Write) == 0 || (may & VmaFlags.MayWrite) != 0)
            && ((prot & Prot.Exec) == 0 || (may & VmaFlags.MayExec) != 0);
    }

    /// <summary>Gives [start, end) of <paramref name="vma"/> the protection, merging into a
    /// neighbour when the result matches it, splitting otherwise; result covers the piece.</summary>
    int ProtectPiece(VmArea* vma, ulong start, ulong end, int prot, out VmArea* result)
    {
        result = vma;
        if (vma->Protection == prot) return 0;

        VmArea piece = default;
        piece.CopyAttributes(vma);
        piece.Protection = prot;
        piece.Start = start;
        piece.End = end;
        piece.FileOffset = vma->FileOffset + (start - vma->Start);
        VmArea* prev = vma->Prev;
        VmArea* next = vma->Next;
        bool mergePrev = start == vma->Start && prev != null && prev->End == start && VmArea.Compatible(prev, &piece);
        bool mergeNext = end == vma->End && next != null && next->Start == end && VmArea.Compatible(&piece, next);

        // Survivors grow before the absorbed VMAs shrink or go (see SplitWith): no transient
        // gap, so the gap repair stays local.
        if (mergePrev)
        {
            if (end == vma->End)
            {
                Resize(prev, prev->Start, mergeNext ? next->End : end);
                Unlink(vma);
                if (mergeNext) Unlink(next);
            }
            else
            {
                Resize(prev, prev->Start, end);
                Resize(vma, end, vma->End);
            }
            result = prev;
        }
        else if (mergeNext)
        {
            Resize(next, start, next->End);
            if (start == vma->Start) Unlink(vma);
            else Resize(vma, vma->Start, start);
            result = next;
        }
        else
        {
            bool splitLow = start > vma->Start, splitHigh = end < vma->End;
            int splits = (splitLow ? 1 : 0) + (splitHigh ? 1 : 0);
            if (Tree.Count + splits > MaxMapCount) return -Errno.ENOMEM;
            VmArea* low = splitLow ? Tree.NewNode() : null;
            VmArea* high = splitHigh ? Tree.NewNode() : null;
            if ((splitLow && low == null) || (splitHigh && high == null))
            {
                if (low != null) Tree.FreeNode(low);
                if (high != null) Tree.FreeNode(high);
                return -Errno.ENOMEM;
            }
            if (splitLow) vma = SplitWith(vma, start, low);
            if (splitHigh) SplitWith(vma, end, high);
            vma->Protection = prot;
            result = vma;
        }
        if (Pages.Protect != null) Pages.Protect(Pages.Context, result, start, end);
        return 0;
    }
}
