// Platform-neutral shared source (kernel and host tests).
// The VMAs of one address space in an intrusive red-black tree keyed by address, augmented with
// the largest free gap of each subtree (the design of Linux's pre-maple-tree mm_rb with
// rb_subtree_gap). Nodes are also linked in address order, so neighbours are O(1).
// find, insert, remove and the free-gap searches (VmaTreeGaps.cs) are O(log n); the gap
// annotations are repaired by walking up from the changed nodes and stop early once a value
// no longer changes. The tree owns its nodes: they come from and go back to Allocator.
// The caller serialises calls (the address space's lock).
namespace Kernel.Memory.Virtual;

public unsafe partial struct VmaTree
{
    VmArea* _root;
    VmArea* _first;
    VmArea* _last;
    int _count;
    ulong _stackGuardGap;
    public VmaNodeAllocator Allocator;

    public void Initialize(VmaNodeAllocator allocator, ulong stackGuardGap)
    {
        _root = _first = _last = null;
        _count = 0;
        _stackGuardGap = stackGuardGap;
        Allocator = allocator;
    }

    public int Count => _count;
    public VmArea* First => _first;
    public VmArea* Last => _last;
    public ulong StackGuardGap => _stackGuardGap;
    internal VmArea* Root => _root;

    /// <summary>A zeroed, unlinked node, or null when the allocator is out of memory.</summary>
    public VmArea* NewNode()
    {
        VmArea* node = Allocator.Allocate(Allocator.Context);
        if (node != null) *node = default;
        return node;
    }

    /// <summary>Gives back a node that is not (or no longer) in the tree.</summary>
    public void FreeNode(VmArea* node)
    {
        Allocator.Free(Allocator.Context, node);
    }

    /// <summary>Linux's find_vma: the first VMA with End &gt; address (it contains the
    /// address or lies above it), or null.</summary>
    public VmArea* Find(ulong address)
    {
        VmArea* node = _root;
        VmArea* best = null;
        while (node != null)
        {
            if (node->End > address)
            {
                best = node;
                if (node->Start <= address) break;
                node = node->Left;
            }
            else
            {
                node = node->Right;
            }
        }
        return best;
    }

    /// <summary>The VMA containing <paramref name="address"/>, or null (vma_lookup).</summary>
    public VmArea* FindContaining(ulong address)
    {
        VmArea* vma = Find(address);
        return vma != null && vma->Start <= address ? vma : null;
    }

    /// <summary>The lowest VMA overlapping [start, end), or null (find_vma_intersection).</summary>
    public VmArea* FindIntersection(ulong start, ulong end)
    {
        VmArea* vma = Find(start);
        return vma != null && vma->Start < end ? vma : null;
    }

    /// <summary>The last VMA that starts below <paramref name="address"/>, or null: the one
    /// before Find(address), or Find's result itself when it contains the address.</summary>
    public VmArea* FindPrevious(ulong address)
    {
        VmArea* vma = Find(address);
        if (vma == null) return _last;
        return vma->Start < address ? vma : vma->PrevArea;
    }

    /// <summary>Links a node whose range is set and overlaps no VMA. O(log n).</summary>
    public void Insert(VmArea* node)
    {
        InsertBefore(Find(node->Start), node);
    }

    /// <summary>Links <paramref name="node"/> just below <paramref name="next"/> (null: above
    /// every VMA). The caller knows the position (e.g. from a gap search), which spares the
    /// descent; the range must fit between next's predecessor and next.</summary>
    public void InsertBefore(VmArea* next, VmArea* node)
    {
        VmArea* prev = next != null ? next->PrevArea : _last;
        node->Left = node->Right = null;
        node->Red = true;
        node->PrevArea = prev;
        node->NextArea = next;
        if (prev != null) prev->NextArea = node; else _first = node;
        if (next != null) next->PrevArea = node; else _last = node;

        // In-order position between prev and next: the left child of next when free, else
        // the right child of prev (the largest node of next's left subtree).
        if (_root == null)
        {
            node->Parent = null;
            _root = node;
        }
        else if (next != null && next->Left == null)
        {
            next->Left = node;
            node->Parent = next;
        }
        else
        {
            prev->Right = node;
            node->Parent = prev;
        }
        _count++;

        node->SubtreeMaxGap = GapBefore(node);
        Propagate(node->Parent);
        if (next != null) Propagate(next);
        InsertFixup(node);
    }

    /// <summary>Unlinks a node (the caller frees it or reuses it). O(log n).</summary>
    public void Remove(VmArea* z)
    {
        VmArea* next = z->NextArea;
        if (z->PrevArea != null) z->PrevArea->NextArea = next; else _first = next;
        if (next != null) next->PrevArea = z->PrevArea; else _last = z->PrevArea;

        VmArea* x;
        VmArea* xParent;
        bool removedRed;
        if (z->Left == null || z->Right == null)
        {
            x = z->Left != null ? z->Left : z->Right;
            xParent = z->Parent;
            removedRed = z->Red;
            Transplant(z, x);
        }
        else
        {
            VmArea* y = next; // the successor is the minimum of the right subtree
            removedRed = y->Red;
            x = y->Right;
            if (y->Parent == z)
            {
                xParent = y;
            }
            else
            {
                xParent = y->Parent;
                Transplant(y, y->Right);
                y->Right = z->Right;
                y->Right->Parent = y;
            }
            Transplant(z, y);
            y->Left = z->Left;
            y->Left->Parent = y;
            y->Red = z->Red;
            y->SubtreeMaxGap = z->SubtreeMaxGap;
        }
        _count--;
        z->Left = z->Right = z->Parent = z->PrevArea = z->NextArea = null;

        // The removal point's ancestors lost a node: walk up while values change (the
        // successor took the removed node's place and its annotation, so the walk may stop
        // there too), then the successor, whose own gap grew and whose children changed.
        Propagate(xParent);
        if (next != null) Propagate(next);
        if (!removedRed) DeleteFixup(x, xParent);
    }

    /// <summary>Moves the bounds of a linked VMA in place (vma_adjust): the new range must
    /// keep the address order and overlap no neighbour. O(log n), no rebalancing.</summary>
    public void Adjust(VmArea* vma, ulong start, ulong end)
    {
        vma->Start = start;
        vma->End = end;
        Propagate(vma);
        if (vma->NextArea != null) Propagate(vma->NextArea);
    }

    /// <summary>Call after changing a linked VMA's GrowsDown flag (its gap depends on it).</summary>
    public void RefreshGap(VmArea* vma)
    {
        Propagate(vma);
    }

    /// <summary>Unlinks and frees every node (exit / execve teardown).</summary>
    public void Clear()
    {
        VmArea* node = _first;
        while (node != null)
        {
            VmArea* next = node->NextArea;
            FreeNode(node);
            node = next;
        }
        _root = _first = _last = null;
        _count = 0;
    }

    /// <summary>The free span below a VMA: from the end of the previous VMA (or 0) up to its
    /// start, less the stack guard gap when it grows down (Linux's vm_start_gap).</summary>
    public ulong GapBefore(VmArea* node)
    {
        ulong prevEnd = node->PrevArea != null ? node->PrevArea->End : 0;
        ulong start = StartWithGuard(node);
        return start > prevEnd ? start - prevEnd : 0;
    }

    /// <summary>Lowest address a new mapping may end at below this VMA (vm_start_gap).</summary>
    public ulong StartWithGuard(VmArea* node)
    {
        ulong start = node->Start;
        if ((node->Flags & VmaFlags.GrowsDown) != 0)
            start = start > _stackGuardGap ? start - _stackGuardGap : 0;
        return start;
    }

    internal ulong ComputeSubtreeGap(VmArea* node)
    {
        ulong max = GapBefore(node);
        if (node->Left != null && node->Left->SubtreeMaxGap > max) max = node->Left->SubtreeMaxGap;
        if (node->Right != null && node->Right->SubtreeMaxGap > max) max = node->Right->SubtreeMaxGap;
        return max;
    }

    /// <summary>Recomputes the annotation of <paramref name="node"/> and its ancestors until
    /// one comes out unchanged (the rest above it cannot change then).</summary>
    void Propagate(VmArea* node)
    {
        while (node != null)
        {
            ulong gap = ComputeSubtreeGap(node);
            if (gap == node->SubtreeMaxGap) return;
            node->SubtreeMaxGap = gap;
            node = node->Parent;
        }
    }

    void Transplant(VmArea* old, VmArea* replacement)
    {
        if (old->Parent == null) _root = replacement;
        else if (old == old->Parent->Left) old->Parent->Left = replacement;
        else old->Parent->Right = replacement;
        if (replacement != null) replacement->Parent = old->Parent;
    }

    // A rotation keeps the node set of the rotated subtree: the node moving up inherits the
    // old annotation, the node moving down is recomputed from its new children.
    void RotateLeft(VmArea* x)
    {
        VmArea* y = x->Right;
        x->Right = y->Left;
        if (y->Left != null) y->Left->Parent = x;
        Transplant(x, y);
        y->Left = x;
        x->Parent = y;
        y->SubtreeMaxGap = x->SubtreeMaxGap;
        x->SubtreeMaxGap = ComputeSubtreeGap(x);
    }

    void RotateRight(VmArea* x)
    {
        VmArea* y = x->Left;
        x->Left = y->Right;
        if (y->Right != null) y->Right->Parent = x;
        Transplant(x, y);
        y->Right = x;
        x->Parent = y;
        y->SubtreeMaxGap = x->SubtreeMaxGap;
        x->SubtreeMaxGap = ComputeSubtreeGap(x);
    }

    static bool IsRed(VmArea* n) => n != null && n->Red;

    void InsertFixup(VmArea* z)
    {
        while (IsRed(z->Parent))
        {
            VmArea* parent = z->Parent;
            VmArea* grand = parent->Parent;
            if (parent == grand->Left)
            {
                VmArea* uncle = grand->Right;
                if (IsRed(uncle))
                {
                    parent->Red = false;
                    uncle->Red = false;
                    grand->Red = true;
                    z = grand;
                    continue;
                }
                if (z == parent->Right)
                {
                    z = parent;
                    RotateLeft(z);
                    parent = z->Parent;
                }
                parent->Red = false;
                grand->Red = true;
                RotateRight(grand);
            }
            else
            {
                VmArea* uncle = grand->Left;
                if (IsRed(uncle))
                {
                    parent->Red = false;
                    uncle->Red = false;
                    grand->Red = true;
                    z = grand;
                    continue;
                }
                if (z == parent->Left)
                {
                    z = parent;
                    RotateRight(z);
                    parent = z->Parent;
                }
                parent->Red = false;
                grand->Red = true;
                RotateLeft(grand);
            }
        }
        _root->Red = false;
    }

    void DeleteFixup(VmArea* x, VmArea* parent)
    {
        while (x != _root && !IsRed(x))
        {
            if (x == parent->Left)
            {
                VmArea* w = parent->Right;
                if (IsRed(w))
                {
                    w->Red = false;
                    parent->Red = true;
                    RotateLeft(parent);
                    w = parent->Right;
                }
                if (!IsRed(w->Left) && !IsRed(w->Right))
                {
                    w->Red = true;
                    x = parent;
                    parent = x->Parent;
                    continue;
                }
                if (!IsRed(w->Right))
                {
                    w->Left->Red = false;
                    w->Red = true;
                    RotateRight(w);
                    w = parent->Right;
                }
                w->Red = parent->Red;
                parent->Red = false;
                w->Right->Red = false;
                RotateLeft(parent);
                x = _root;
            }
            else
            {
                VmArea* w = parent->Left;
                if (IsRed(w))
                {
                    w->Red = false;
                    parent->Red = true;
                    RotateRight(parent);
                    w = parent->Left;
                }
                if (!IsRed(w->Left) && !IsRed(w->Right))
                {
                    w->Red = true;
                    x = parent;
                    parent = x->Parent;
                    continue;
                }
                if (!IsRed(w->Left))
                {
                    w->Right->Red = false;
                    w->Red = true;
                    RotateLeft(w);
                    w = parent->Left;
                }
                w->Red = parent->Red;
                parent->Red = false;
                w->Left->Red = false;
                RotateRight(parent);
                x = _root;
            }
        }
        if (x != null) x->Red = false;
    }
}
