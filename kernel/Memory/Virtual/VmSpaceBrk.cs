// Platform-neutral shared source (kernel and host tests).
// brk (Linux sys_brk / do_brk_flags): the heap grows from StartBrk as private anonymous
// read-write memory. brk never returns an errno: it returns the new break, or the old one
// when the request is refused.
namespace Kernel.Memory.Virtual;

public unsafe partial struct VmSpace
{
    /// <summary>brk(2). Refused (old break returned) below StartBrk, beyond DataLimit, when
    /// the heap would come within a page (plus stack guard gap) of the next mapping, past the
    /// task size, at max_map_count, or when shrinking finds no heap VMA to trim.
    /// Growth merges with a compatible VMA just below, as every operation does.</summary>
    public ulong SetBrk(ulong requested)
    {
        ulong original = Brk;
        if (requested < StartBrk) return original;
        if (DataLimit != ulong.MaxValue && requested - StartBrk > DataLimit) return original;
        ulong newBrk = PageAlign(requested);
        ulong oldBrk = PageAlign(Brk);
        if (newBrk < requested) return original; // the address wrapped
        if (newBrk == oldBrk)
        {
            Brk = requested;
            return requested;
        }

        if (requested <= Brk)
        {
            // Shrinking is always allowed while heap pages lie in [newBrk, oldBrk).
            VmArea* heap = Tree.Find(newBrk);
            if (heap == null || heap->Start >= oldBrk) return original;
            if (UnmapRange(newBrk, oldBrk) < 0) return original;
            Brk = requested;
            return requested;
        }

        ulong growth = newBrk - oldBrk;
        if (growth > TaskSize || oldBrk > TaskSize - growth) return original;
        VmArea* next = Tree.Find(oldBrk);
        if (next != null && newBrk + PageSize > Tree.StartWithGuard(next)) return original;

        VmArea attrs = default;
        attrs.Start = oldBrk;
        attrs.End = newBrk;
        attrs.Protection = Prot.Read | Prot.Write;
        attrs.Flags = VmaFlags.Anonymous | VmaFlags.MayAll;
        if (MapFreeRange(&attrs, out VmArea* _) < 0) return original;
        Brk = requested;
        return requested;
    }
}
