// Platform-neutral shared source (kernel and host tests).
// Full consistency check of a VMA tree, for tests (host and in-guest) and debugging: O(n).
namespace Kernel.Memory.Virtual;

public enum VmaViolation : byte
{
    None = 0,
    BadRange,          // Start >= End or not page aligned
    Overlap,           // not sorted, or two VMAs overlap
    ListMismatch,      // the address-ordered list disagrees with the tree's in-order walk
    ParentLink,        // a child does not point back at its parent
    RedRoot,
    RedRed,            // a red node with a red child
    BlackHeight,       // two paths with different black counts
    GapAnnotation,     // SubtreeMaxGap differs from the recomputed value
    CountMismatch,
    NotMerged,         // two adjacent compatible VMAs (checked by VmSpace)
    PageCount,         // the address space's page total is wrong (checked by VmSpace)
}

public unsafe partial struct VmaTree
{
    /// <summary>Checks ordering, links, red-black rules and gap annotations; on failure
    /// <paramref name="where"/> is the start of the offending VMA.</summary>
    public VmaViolation Validate(out ulong where)
    {
        where = 0;
        if (_root != null && (_root->Red || _root->Parent != null))
        {
            where = _root->Start;
            return _root->Red ? VmaViolation.RedRoot : VmaViolation.ParentLink;
        }
        VmArea* expected = _first;
        int seen = 0;
        VmaViolation v = CheckSubtree(_root, ref expected, ref seen, out int _, ref where);
        if (v != VmaViolation.None) return v;
        if (expected != null || seen != _count) return VmaViolation.CountMismatch;

        VmArea* prev = null;
        for (VmArea* n = _first; n != null; prev = n, n = n->NextArea)
        {
            where = n->Start;
            if (n->PrevArea != prev) return VmaViolation.ListMismatch;
            if (n->Start >= n->End || ((n->Start | n->End) & 0xFFF) != 0) return VmaViolation.BadRange;
            if (prev != null && prev->End > n->Start) return VmaViolation.Overlap;
        }
        if (prev != _last) return VmaViolation.ListMismatch;
        return VmaViolation.None;
    }

    VmaViolation CheckSubtree(VmArea* node, ref VmArea* expected, ref int seen, out int blackHeight, ref ulong where)
    {
        blackHeight = 0;
        if (node == null) return VmaViolation.None;
        where = node->Start;
        if (node->Left != null && node->Left->Parent != node) return VmaViolation.ParentLink;
        if (node->Right != null && node->Right->Parent != node) return VmaViolation.ParentLink;
        if (node->Red && (IsRed(node->Left) || IsRed(node->Right))) return VmaViolation.RedRed;

        VmaViolation v = CheckSubtree(node->Left, ref expected, ref seen, out int leftHeight, ref where);
        if (v != VmaViolation.None) return v;
        where = node->Start;
        if (node != expected) return VmaViolation.ListMismatch;
        expected = node->NextArea;
        seen++;
        v = CheckSubtree(node->Right, ref expected, ref seen, out int rightHeight, ref where);
        if (v != VmaViolation.None) return v;
        where = node->Start;
        if (leftHeight != rightHeight) return VmaViolation.BlackHeight;
        if (node->SubtreeMaxGap != ComputeSubtreeGap(node)) return VmaViolation.GapAnnotation;
        blackHeight = leftHeight + (node->Red ? 0 : 1);
        return VmaViolation.None;
    }

    /// <summary>Height of the tree (longest root-to-leaf path), for tests and benchmarks.</summary>
    public int Height()
    {
        return HeightOf(_root);
    }

    static int HeightOf(VmArea* node)
    {
        if (node == null) return 0;
        int l = HeightOf(node->Left), r = HeightOf(node->Right);
        return 1 + (l > r ? l : r);
    }
}
