// Platform-neutral shared source (kernel and host tests).
// Free-gap search over the VMA tree (Linux's unmapped_area_topdown / unmapped_area): the subtree
// annotations prune every subtree whose largest gap is too small, and the bounds prune the
// subtrees wholly outside [low, high). A subtree that passes both tests and lies wholly inside
// the bounds always holds a fit, so only the two boundary paths can fail: O(log n).
namespace Kernel.Memory.Virtual;

public unsafe partial struct VmaTree
{
    /// <summary>The highest free range [gapStart, gapEnd) inside [low, high) at least
    /// <paramref name="length"/> bytes long, counting stack guard gaps as used. False when
    /// none fits.</summary>
    public bool FindGapTopDown(ulong length, ulong low, ulong high, out ulong gapStart, out ulong gapEnd)
    {
        gapStart = gapEnd = 0;
        if (length == 0 || high <= low || high - low < length) return false;
        // Above the last VMA: the tree does not annotate that gap.
        ulong top = _last != null ? _last->End : 0;
        if (top < low) top = low;
        if (top < high && high - top >= length)
        {
            gapStart = top;
            gapEnd = high;
            return true;
        }
        return SearchTopDown(_root, length, low, high, ref gapStart, ref gapEnd);
    }

    /// <summary>The lowest free range inside [low, high) at least <paramref name="length"/>
    /// bytes long (the bottom-up search the legacy layout and the fallback use).</summary>
    public bool FindGapBottomUp(ulong length, ulong low, ulong high, out ulong gapStart, out ulong gapEnd)
    {
        gapStart = gapEnd = 0;
        if (length == 0 || high <= low || high - low < length) return false;
        if (SearchBottomUp(_root, length, low, high, ref gapStart, ref gapEnd)) return true;
        ulong top = _last != null ? _last->End : 0;
        if (top < low) top = low;
        if (top < high && high - top >= length)
        {
            gapStart = top;
            gapEnd = high;
            return true;
        }
        return false;
    }

    bool OwnGapFits(VmArea* node, ulong length, ulong low, ulong high, ref ulong gapStart, ref ulong gapEnd)
    {
        ulong start = node->PrevArea != null ? node->PrevArea->End : 0;
        ulong end = StartWithGuard(node);
        if (start < low) start = low;
        if (end > high) end = high;
        if (end <= start || end - start < length) return false;
        gapStart = start;
        gapEnd = end;
        return true;
    }

    bool SearchTopDown(VmArea* node, ulong length, ulong low, ulong high, ref ulong gapStart, ref ulong gapEnd)
    {
        // Recursion depth is the tree height: at most 2 log2(n + 1), about 32 for 65530 VMAs.
        if (node == null || node->SubtreeMaxGap < length) return false;
        // Gaps of the right subtree start at node->End or above.
        if (node->Right != null && node->End <= high && high - node->End >= length
            && SearchTopDown(node->Right, length, low, high, ref gapStart, ref gapEnd))
            return true;
        if (OwnGapFits(node, length, low, high, ref gapStart, ref gapEnd)) return true;
        // Gaps of the left subtree end at the previous VMA's start or below.
        ulong prevEnd = node->PrevArea != null ? node->PrevArea->End : 0;
        return prevEnd >= low && prevEnd - low >= length
            && SearchTopDown(node->Left, length, low, high, ref gapStart, ref gapEnd);
    }

    bool SearchBottomUp(VmArea* node, ulong length, ulong low, ulong high, ref ulong gapStart, ref ulong gapEnd)
    {
        if (node == null || node->SubtreeMaxGap < length) return false;
        ulong prevEnd = node->PrevArea != null ? node->PrevArea->End : 0;
        if (prevEnd >= low && prevEnd - low >= length
            && SearchBottomUp(node->Left, length, low, high, ref gapStart, ref gapEnd))
            return true;
        if (OwnGapFits(node, length, low, high, ref gapStart, ref gapEnd)) return true;
        return node->Right != null && node->End <= high && high - node->End >= length
            && SearchBottomUp(node->Right, length, low, high, ref gapStart, ref gapEnd);
    }
}
