// Platform-neutral shared source (kernel and host tests).
// The allocator's full consistency check: every list walked, every descriptor scanned, every
// count recomputed. O(RAM frames); for tests, debug builds and the in-guest suites.
using Kernel.Platform;

namespace Kernel.Memory.Physical;

public enum InvariantViolation : byte
{
    None = 0,
    /// <summary>A list link points outside RAM, back-links disagree, or a list does not end.</summary>
    BrokenList,
    /// <summary>A list member's state bit is not Free (zone list) or PerCpu (per-CPU list).</summary>
    WrongState,
    /// <summary>A list member's Order differs from its list's order.</summary>
    WrongOrder,
    /// <summary>A block head is not aligned to its order.</summary>
    Misaligned,
    /// <summary>A block is on another zone's list, or its frames span two zones.</summary>
    WrongZone,
    /// <summary>A free block's buddy is also free at the same order.</summary>
    NotCoalesced,
    /// <summary>A counter disagrees with what the lists or descriptors hold.</summary>
    CountMismatch,
    /// <summary>A frame with no state bit lies outside every block.</summary>
    OrphanTail,
    /// <summary>A frame inside a block has a state bit or an order, or is not RAM.</summary>
    BadTail,
    /// <summary>More than one state bit on one frame.</summary>
    MultipleStates,
}

public struct InvariantReport
{
    public InvariantViolation Violation;
    /// <summary>The frame where it was found (or 0 for a counter).</summary>
    public ulong Pfn;
    public int Zone;
    public int Order;

    public bool IsOk => Violation == InvariantViolation.None;

    public InvariantReport(InvariantViolation v, ulong pfn, int zone, int order)
    {
        Violation = v;
        Pfn = pfn;
        Zone = zone;
        Order = order;
    }
}

public unsafe partial struct BuddyAllocator
{
    /// <summary>Checks every invariant of zones, per-CPU lists and descriptors; returns the first
    /// violation found. Runs inside one interrupt-save section.</summary>
    public InvariantReport CheckInvariants()
    {
        if (_state == null)
            return default;
        ulong token = Interrupts.SaveAndDisable();
        InvariantReport r = CheckZoneLists();
        if (r.IsOk)
            r = CheckPerCpuLists();
        if (r.IsOk)
            r = ScanDescriptors();
        Interrupts.Restore(token);
        return r;
    }

    InvariantReport CheckZoneLists()
    {
        for (int z = 0; z < Zones.Count; z++)
        {
            Zone* zone = _zones + z;
            ulong frames = 0;
            for (int o = 0; o < PageGeometry.OrderCount; o++)
            {
                ulong blocks = 0;
                uint prev = PageDescriptor.NoFrame;
                for (uint pfn = zone->FreeHead[o]; pfn != PageDescriptor.NoFrame; )
                {
                    PageDescriptor* d = _map.Lookup(pfn);
                    if (d == null || d->Prev != prev || blocks > zone->FreeBlocks[o])
                        return new InvariantReport(InvariantViolation.BrokenList, pfn, z, o);
                    InvariantReport r = CheckListMember(pfn, d, FrameFlags.Free, z, o);
                    if (!r.IsOk)
                        return r;
                    if (o < PageGeometry.MaxOrder)
                    {
                        PageDescriptor* buddy = _map.Lookup(pfn ^ (1u << o));
                        if (buddy != null && (buddy->Flags & FrameFlags.Free) != 0 && buddy->Order == o)
                            return new InvariantReport(InvariantViolation.NotCoalesced, pfn, z, o);
                    }
                    blocks++;
                    prev = pfn;
                    pfn = d->Next;
                }
                if (blocks != zone->FreeBlocks[o])
                    return new InvariantReport(InvariantViolation.CountMismatch, 0, z, o);
                frames += blocks << o;
            }
            if (frames != zone->FreeFrames)
                return new InvariantReport(InvariantViolation.CountMismatch, 0, z, -1);
        }
        return default;
    }

    InvariantReport CheckPerCpuLists()
    {
        for (int c = 0; c < CpuLocal.MaxCpus; c++)
        {
            for (int z = 0; z < Zones.Count; z++)
            {
                PerCpuPages* p = _pcp + c * Zones.Count + z;
                int frames = 0;
                for (int o = 0; o < PerCpuPages.Orders; o++)
                {
                    int blocks = 0;
                    uint prev = PageDescriptor.NoFrame;
                    for (uint pfn = p->Head[o]; pfn != PageDescriptor.NoFrame; )
                    {
                        PageDescriptor* d = _map.Lookup(pfn);
                        if (d == null || d->Prev != prev || blocks > p->Blocks[o])
                            return new InvariantReport(InvariantViolation.BrokenList, pfn, z, o);
                        InvariantReport r = CheckListMember(pfn, d, FrameFlags.PerCpu, z, o);
                        if (!r.IsOk)
                            return r;
                        blocks++;
                        prev = pfn;
                        pfn = d->Next;
                    }
                    if (blocks != p->Blocks[o] || prev != p->Tail[o])
                        return new InvariantReport(InvariantViolation.CountMismatch, prev, z, o);
                    frames += blocks << o;
                }
                if (frames != p->Count)
                    return new InvariantReport(InvariantViolation.CountMismatch, 0, z, -1);
            }
        }
        return default;
    }

    InvariantReport CheckListMember(uint pfn, PageDescriptor* d, FrameFlags state, int z, int o)
    {
        if ((d->Flags & FrameFlags.StateMask) != state)
            return new InvariantReport(InvariantViolation.WrongState, pfn, z, o);
        if (d->Order != o)
            return new InvariantReport(InvariantViolation.WrongOrder, pfn, z, o);
        if ((pfn & ((1u << o) - 1)) != 0)
            return new InvariantReport(InvariantViolation.Misaligned, pfn, z, o);
        if (d->Zone != z || Zones.Of(pfn + (1u << o) - 1) != (ZoneType)z)
            return new InvariantReport(InvariantViolation.WrongZone, pfn, z, o);
        return default;
    }

    /// <summary>Walks every descriptor in frame order: each frame is a hole, reserved, a block
    /// head or a tail of the block before it; recomputes the zone and per-CPU counts.</summary>
    InvariantReport ScanDescriptors()
    {
        ulong* free = stackalloc ulong[Zones.Count];
        ulong* cached = stackalloc ulong[Zones.Count];
        ulong* used = stackalloc ulong[Zones.Count];
        ulong* reserved = stackalloc ulong[Zones.Count];
        ulong* freeHeads = stackalloc ulong[Zones.Count * PageGeometry.OrderCount];
        for (int i = 0; i < Zones.Count; i++)
        {
            free[i] = 0; cached[i] = 0; used[i] = 0; reserved[i] = 0;
        }
        for (int i = 0; i < Zones.Count * PageGeometry.OrderCount; i++)
            freeHeads[i] = 0;

        SectionEntry* sections = _map.Sections;
        for (ulong s = 0; s < _map.SectionCount; s++)
        {
            SectionEntry* e = sections + s;
            ulong pfn = (s << FrameMap.SectionShift) + e->First;
            ulong end = pfn + e->Count;
            while (pfn < end)
            {
                PageDescriptor* d = e->Base + (pfn & (FrameMap.SectionFrames - 1));
                FrameFlags state = d->Flags & FrameFlags.StateMask;
                int z = d->Zone;
                if (z >= Zones.Count || (ZoneType)z != Zones.Of(pfn))
                    return new InvariantReport(InvariantViolation.WrongZone, pfn, z, -1);
                if (state == FrameFlags.Hole || state == FrameFlags.Reserved)
                {
                    if (state == FrameFlags.Reserved)
                        reserved[z]++;
                    pfn++;
                    continue;
                }
                if (state == FrameFlags.None)
                    return new InvariantReport(InvariantViolation.OrphanTail, pfn, z, -1);
                if (state != FrameFlags.Free && state != FrameFlags.PerCpu && state != FrameFlags.Allocated)
                    return new InvariantReport(InvariantViolation.MultipleStates, pfn, z, -1);
                int o = d->Order;
                if (o > PageGeometry.MaxOrder || (state == FrameFlags.PerCpu && o > PerCpuPages.MaxOrder))
                    return new InvariantReport(InvariantViolation.WrongOrder, pfn, z, o);
                if ((pfn & ((1UL << o) - 1)) != 0)
                    return new InvariantReport(InvariantViolation.Misaligned, pfn, z, o);
                ulong frames = 1UL << o;
                for (ulong t = 1; t < frames; t++)
                {
                    PageDescriptor* td = _map.Lookup(pfn + t);
                    if (td == null || (td->Flags & FrameFlags.StateMask) != 0 || td->Order != 0)
                        return new InvariantReport(InvariantViolation.BadTail, pfn + t, z, o);
                    if (td->Zone != z)
                        return new InvariantReport(InvariantViolation.WrongZone, pfn + t, z, o);
                }
                if (state == FrameFlags.Free)
                {
                    free[z] += frames;
                    freeHeads[z * PageGeometry.OrderCount + o]++;
                }
                else if (state == FrameFlags.PerCpu)
                    cached[z] += frames;
                else
                    used[z] += frames;
                pfn += frames;
            }
        }

        for (int z = 0; z < Zones.Count; z++)
        {
            Zone* zone = _zones + z;
            ulong pcp = 0;
            for (int c = 0; c < CpuLocal.MaxCpus; c++)
                pcp += (ulong)_pcp[c * Zones.Count + z].Count;
            if (free[z] != zone->FreeFrames || cached[z] != pcp
                || free[z] + cached[z] + used[z] != zone->ManagedFrames
                || reserved[z] + zone->ManagedFrames != zone->PresentFrames)
                return new InvariantReport(InvariantViolation.CountMismatch, 0, z, -1);
            for (int o = 0; o < PageGeometry.OrderCount; o++)
            {
                if (freeHeads[z * PageGeometry.OrderCount + o] != zone->FreeBlocks[o])
                    return new InvariantReport(InvariantViolation.CountMismatch, 0, z, o);
            }
        }
        return default;
    }
}
