// Platform-neutral shared source (kernel and host tests).
// The buddy frame allocator (Linux mm/page_alloc.c): blocks of 2^order frames, orders 0..10, per
// zone. Allocation takes the smallest free block of at least the order and splits it, putting
// the upper halves back on the lower lists; a free merges the block with its buddy
// (pfn ^ 2^order) for as long as the buddy is a free block of the same order.
//
// BuddyAllocator is a small value (pointers into the metadata block the caller provides): copies
// share one allocator. Every change to zone lists or per-CPU lists happens inside an
// interrupt-save section (Kernel.Platform.Interrupts); with SMP that section becomes the zone
// lock. Nothing here allocates, throws or panics: bad frees come back as a FreeResult.
//
// This file: set-up, AddFreeRange, the direct (buddy-only) paths and free validation.
// PerCpuPageCache.cs: the per-CPU fast path. BuddyInvariants.cs: the full consistency check.
// PhysicalMemoryStats.cs: counters for meminfo / buddyinfo.
using Kernel.Platform;

namespace Kernel.Memory.Physical;

public unsafe partial struct BuddyAllocator
{
    AllocatorState* _state;
    Zone* _zones;               // [Zones.Count]
    PerCpuPages* _pcp;          // [CpuLocal.MaxCpus * Zones.Count], cpu-major
    FrameMap _map;

    // ---- set-up -------------------------------------------------------------------------------

    /// <summary>Bytes of metadata Initialize needs for these ranges: state, zones, per-CPU lists,
    /// section table, and 24 bytes per RAM frame (plus alignment). The block must be mapped
    /// and writable; it must not overlap the frames later handed to AddFreeRange.</summary>
    public static ulong MetadataBytesNeeded(RamRange* ranges, int count)
    {
        if (ranges == null || count <= 0)
            return 0;
        ulong sections, arrays;
        ulong map = FrameMap.BytesNeeded(ranges, count, out sections, out arrays);
        return 64 + FixedMetadataBytes() + map;
    }

    static ulong FixedMetadataBytes()
    {
        return FrameMap.AlignUp((ulong)sizeof(AllocatorState), 64)
             + FrameMap.AlignUp((ulong)(sizeof(Zone) * Zones.Count), 64)
             + FrameMap.AlignUp((ulong)(sizeof(PerCpuPages) * CpuLocal.MaxCpus * Zones.Count), 64);
    }

    /// <summary>Builds the allocator over the usable RAM <paramref name="ranges"/> (bytes,
    /// [start, end), rounded inwards to whole frames; any order, overlaps allowed). Every frame
    /// starts Reserved: nothing is free until AddFreeRange hands frames over.</summary>
    public InitStatus Initialize(RamRange* ranges, int count, void* metadata, ulong metadataBytes)
    {
        _state = null;
        if (ranges == null || count <= 0 || metadata == null)
            return InitStatus.BadArguments;
        bool anyFrame = false;
        for (int r = 0; r < count; r++)
        {
            if (ranges[r].EndPfn > ranges[r].StartPfn)
                anyFrame = true;
        }
        if (!anyFrame)
            return InitStatus.NoRam;
        if (metadataBytes < MetadataBytesNeeded(ranges, count))
            return InitStatus.MetadataTooSmall;

        byte* p = (byte*)FrameMap.AlignUp((ulong)metadata, 64);
        AllocatorState* state = (AllocatorState*)p;
        for (int i = 0; i < sizeof(AllocatorState); i++)
            p[i] = 0;
        p += FrameMap.AlignUp((ulong)sizeof(AllocatorState), 64);
        _zones = (Zone*)p;
        p += FrameMap.AlignUp((ulong)(sizeof(Zone) * Zones.Count), 64);
        _pcp = (PerCpuPages*)p;
        for (int i = 0; i < CpuLocal.MaxCpus * Zones.Count; i++)
            _pcp[i].Initialize();
        p += FrameMap.AlignUp((ulong)(sizeof(PerCpuPages) * CpuLocal.MaxCpus * Zones.Count), 64);

        ulong* present = stackalloc ulong[Zones.Count];
        _map.Build(ranges, count, p, present);
        for (int z = 0; z < Zones.Count; z++)
            _zones[z].Initialize((ZoneType)z, present[z]);
        _state = state;
        return InitStatus.Ok;
    }

    public bool IsInitialized => _state != null;

    /// <summary>Settings and event counters (rejected frees, failures, poison hits).</summary>
    public AllocatorState* State => _state;

    public FrameMap Map => _map;

    /// <summary>The descriptor of frame <paramref name="pfn"/>, or null when it is not RAM.</summary>
    public PageDescriptor* Descriptor(ulong pfn) => _state == null ? null : _map.Lookup(pfn);

    public Zone* ZoneInfo(ZoneType z) => _zones + (int)z;

    /// <summary>Page poisoning on free with check and zeroing on allocation. Turn it on only when
    /// every managed frame is reachable through PhysicalMap.</summary>
    public bool PoisonOnFree
    {
        get { return _state != null && _state->PoisonOnFree; }
        set
        {
            if (_state == null)
                return;
            _state->PoisonOnFree = value;
            if (value)
                _state->PoisonUsed = true;
        }
    }

    // ---- handing frames over --------------------------------------------------------------------

    /// <summary>
    /// Gives the frames [startPfn, endPfn) to the allocator as maximal aligned blocks, merged with
    /// free neighbours. Every frame must be RAM still Reserved (never handed over before); else
    /// nothing changes and the result names the first offending frame. O(frames): each frame is
    /// checked once and cleared once, each block costs at most 10 merge steps.
    /// Frame contents are not touched (they need not be mapped).
    /// </summary>
    public FreeResult AddFreeRange(ulong startPfn, ulong endPfn)
    {
        if (_state == null)
            return new FreeResult(FreeStatus.NotInitialized, startPfn);
        if (endPfn < startPfn)
            return Reject(new FreeResult(FreeStatus.InvalidOrder, startPfn));
        for (ulong pfn = startPfn; pfn < endPfn; pfn++)
        {
            PageDescriptor* d = _map.Lookup(pfn);
            if (d == null)
                return Reject(new FreeResult(FreeStatus.OutsideRam, pfn));
            if (d->State != FrameFlags.Reserved)
                return Reject(new FreeResult(FreeStatus.DoubleFree, pfn));
        }

        ulong at = startPfn;
        while (at < endPfn)
        {
            int order = PageGeometry.MaxOrder;
            while (order > 0 && ((at & ((1UL << order) - 1)) != 0 || at + (1UL << order) > endPfn))
                order--;
            ulong frames = 1UL << order;
            ulong token = Interrupts.SaveAndDisable();
            for (ulong i = 0; i < frames; i++)
            {
                PageDescriptor* t = _map.At((uint)(at + i));
                t->Flags = FrameFlags.None;
                t->Private = 0;
            }
            PageDescriptor* head = _map.At((uint)at);
            _zones[head->Zone].ManagedFrames += frames;
            FreeBlock((uint)at, head, order);
            Interrupts.Restore(token);
            at += frames;
        }
        UpdatePerCpuLimits();
        return new FreeResult(FreeStatus.Ok, startPfn);
    }

    // ---- direct (buddy-only) paths ----------------------------------------------------------------

    /// <summary>2^order contiguous frames, aligned to their size, from <paramref name="preferred"/>
    /// or a lower zone (Normal -> DMA32 -> DMA), never a higher one. Returns the physical address,
    /// or 0 when no allowed zone has such a block (after draining this CPU's cache once).
    /// Bypasses the per-CPU cache.</summary>
    public ulong AllocatePagesDirect(int order, ZoneType preferred)
    {
        if (_state == null || (uint)order > PageGeometry.MaxOrder)
            return 0;
        int top = preferred > ZoneType.Normal ? (int)ZoneType.Normal : (int)preferred;
        ulong token = Interrupts.SaveAndDisable();
        uint pfn = TakeFromZones(top, order);
        if (pfn == PageDescriptor.NoFrame)
            pfn = RetryAfterDrain(top, order);
        if (pfn != PageDescriptor.NoFrame)
            MarkAllocated(_map.At(pfn), order);
        else
            _state->AllocationFailures++;
        Interrupts.Restore(token);
        if (pfn == PageDescriptor.NoFrame)
            return 0;
        if (_state->PoisonUsed)
            PrepareForUse(pfn, order);
        return (ulong)pfn << PageGeometry.PageShift;
    }

    /// <summary>Returns a block straight to the buddy lists (no per-CPU cache).</summary>
    public FreeResult FreePagesDirect(ulong physical, int order)
    {
        if (_state == null)
            return new FreeResult(FreeStatus.NotInitialized, physical >> PageGeometry.PageShift);
        ulong token = Interrupts.SaveAndDisable();
        PageDescriptor* d;
        FreeResult r = Validate(physical, order, out d);
        if (r.Status == FreeStatus.Ok)
        {
            uint pfn = (uint)r.Pfn;
            if (_state->PoisonOnFree)
                PoisonBlock(pfn, order);
            d->Flags &= ~(FrameFlags.StateMask | FrameFlags.OwnerMask);
            FreeBlock(pfn, d, order);
        }
        else
        {
            RecordError(r);
        }
        Interrupts.Restore(token);
        return r;
    }

    // ---- the buddy core (callers hold the interrupt-save section) --------------------------------

    /// <summary>First zone from <paramref name="top"/> down to DMA with a block of the order.</summary>
    uint TakeFromZones(int top, int order)
    {
        for (int z = top; z >= 0; z--)
        {
            uint pfn = TakeBlock(_zones + z, order);
            if (pfn != PageDescriptor.NoFrame)
                return pfn;
        }
        return PageDescriptor.NoFrame;
    }

    /// <summary>Linux drains the per-CPU lists before giving up: cached blocks may merge into
    /// the order asked for.</summary>
    uint RetryAfterDrain(int top, int order)
    {
        PerCpuPages* cpu = _pcp + CpuLocal.CurrentCpu * Zones.Count;
        bool any = false;
        for (int z = 0; z < Zones.Count; z++)
        {
            if (cpu[z].Count != 0)
            {
                DrainFrames(cpu + z, int.MaxValue);
                any = true;
            }
        }
        return any ? TakeFromZones(top, order) : PageDescriptor.NoFrame;
    }

    /// <summary>Removes the smallest free block of at least <paramref name="order"/> frames from
    /// <paramref name="zone"/>, splits it down to the order (upper halves go back on the lower
    /// lists) and returns its first frame with no state bit set, or NoFrame.</summary>
    uint TakeBlock(Zone* zone, int order)
    {
        if (zone->FreeFrames < (1UL << order))
            return PageDescriptor.NoFrame;
        for (int o = order; o <= PageGeometry.MaxOrder; o++)
        {
            uint pfn = zone->FreeHead[o];
            if (pfn == PageDescriptor.NoFrame)
                continue;
            zone->Unlink(in _map, _map.At(pfn), o);
            while (o > order)
            {
                o--;
                uint upper = pfn + (1u << o);
                zone->PushFree(in _map, upper, _map.At(upper), o);
            }
            return pfn;
        }
        return PageDescriptor.NoFrame;
    }

    /// <summary>Puts the block <paramref name="pfn"/> (descriptor <paramref name="d"/>, no state
    /// bit set on any of its frames) on its zone's lists, merging with free buddies.</summary>
    void FreeBlock(uint pfn, PageDescriptor* d, int order)
    {
        Zone* zone = _zones + d->Zone;
        while (order < PageGeometry.MaxOrder)
        {
            uint buddyPfn = pfn ^ (1u << order);
            PageDescriptor* buddy = _map.Lookup(buddyPfn);
            // Only a free head of exactly this order merges; a buddy that is split, allocated,
            // cached, reserved or missing (hole, end of RAM) stops the climb.
            if (buddy == null || (buddy->Flags & FrameFlags.Free) == 0 || buddy->Order != order)
                break;
            zone->Unlink(in _map, buddy, order);
            if (buddyPfn < pfn)
            {
                d->Order = 0;                                  // the old head becomes a tail
                pfn = buddyPfn;
                d = buddy;
            }
            order++;
        }
        zone->PushFree(in _map, pfn, d, order);
    }

    static void MarkAllocated(PageDescriptor* d, int order)
    {
        d->Flags = (d->Flags & ~FrameFlags.StateMask) | FrameFlags.Allocated;
        d->Order = (byte)order;
        d->Next = PageDescriptor.NoFrame;
        d->Prev = PageDescriptor.NoFrame;
        d->Private = 0;
    }

    // ---- validation of frees ---------------------------------------------------------------------

    /// <summary>Checks that <paramref name="physical"/> heads an allocated block of exactly
    /// <paramref name="order"/>. Changes nothing.</summary>
    FreeResult Validate(ulong physical, int order, out PageDescriptor* d)
    {
        ulong pfn = physical >> PageGeometry.PageShift;
        d = null;
        if ((uint)order > PageGeometry.MaxOrder)
            return new FreeResult(FreeStatus.InvalidOrder, pfn);
        if ((physical & (PageGeometry.PageSize - 1)) != 0 || (pfn & ((1UL << order) - 1)) != 0)
            return new FreeResult(FreeStatus.Misaligned, pfn);
        PageDescriptor* desc = _map.Lookup(pfn);
        if (desc == null)
            return new FreeResult(FreeStatus.OutsideRam, pfn);
        FrameFlags state = desc->Flags & FrameFlags.StateMask;
        if (state == FrameFlags.Allocated)
        {
            if (desc->Order != order)
                return new FreeResult(FreeStatus.OrderMismatch, pfn);
            d = desc;
            return new FreeResult(FreeStatus.Ok, pfn);
        }
        if (state == FrameFlags.Reserved)
            return new FreeResult(FreeStatus.ReservedFrame, pfn);
        if (state != FrameFlags.None)                       // Free or PerCpu head
            return new FreeResult(FreeStatus.DoubleFree, pfn);
        // A tail: the enclosing block's head says whether it is free or allocated.
        for (int k = 1; k <= PageGeometry.MaxOrder; k++)
        {
            PageDescriptor* h = _map.Lookup(pfn & ~((1UL << k) - 1));
            if (h == null || (h->Flags & (FrameFlags.Free | FrameFlags.PerCpu | FrameFlags.Allocated)) == 0 || h->Order < k)
                continue;
            return new FreeResult((h->Flags & FrameFlags.Allocated) != 0 ? FreeStatus.OrderMismatch : FreeStatus.DoubleFree, pfn);
        }
        return new FreeResult(FreeStatus.OrderMismatch, pfn);
    }

    FreeResult Reject(FreeResult r)
    {
        ulong token = Interrupts.SaveAndDisable();
        RecordError(r);
        Interrupts.Restore(token);
        return r;
    }

    void RecordError(FreeResult r)
    {
        int kind = (int)r.Status;
        if (kind < AllocatorState.ErrorKinds)
            _state->FreeErrors[kind]++;
        _state->LastError = r.Status;
        _state->LastErrorPfn = r.Pfn;
    }

    // ---- poisoning ---------------------------------------------------------------------------------

    void PoisonBlock(uint pfn, int order)
    {
        _state->PoisonUsed = true;
        uint frames = 1u << order;
        for (uint i = 0; i < frames; i++)
        {
            PagePoison.Fill(pfn + i);
            _map.At(pfn + i)->Flags |= FrameFlags.Poisoned;
        }
    }

    /// <summary>After allocation, outside the section (the block is ours): checks frames that
    /// were poisoned, clears their mark, and zeroes the block while poisoning is on.</summary>
    void PrepareForUse(uint pfn, int order)
    {
        uint frames = 1u << order;
        bool zero = _state->PoisonOnFree;
        for (uint i = 0; i < frames; i++)
        {
            PageDescriptor* d = _map.At(pfn + i);
            if ((d->Flags & FrameFlags.Poisoned) != 0)
            {
                d->Flags &= ~FrameFlags.Poisoned;
                if (!PagePoison.IsIntact(pfn + i))
                {
                    ulong token = Interrupts.SaveAndDisable();
                    _state->PoisonCorruptions++;
                    _state->LastPoisonPfn = pfn + i;
                    Interrupts.Restore(token);
                }
            }
            if (zero)
                PagePoison.Zero(pfn + i);
        }
    }
}
