// Platform-neutral shared source (kernel and host tests).
// The per-CPU page cache (Linux struct per_cpu_pages): the fast path for blocks of order 0..3.
// Each CPU has, per zone, one list per order. An allocation pops the hot head of its list; an
// empty list is refilled with `batch` frames from the zone's buddy lists at once. A free pushes
// on the head; once the CPU's cache for that zone holds more than `high` frames, at least
// `batch` frames (the coldest: list tails, round-robin over the orders) go back to the buddy.
// So the zone lists, the expensive part, are touched once per batch.
//
// Fast-path rules: no virtual or interface calls, no allocation, one interrupt-save section per
// call, descriptors reached with the unchecked FrameMap.At for frames taken from our own lists.
using Kernel.Platform;

namespace Kernel.Memory.Physical;

/// <summary>
/// One CPU's cache for one zone.
/// Invariants:
/// - Count == sum over o of Blocks[o] * 2^o, and Count &lt;= High after every free returns;
/// - list o (Head[o] .. Tail[o], linked by descriptor Next/Prev) holds exactly Blocks[o] block
///   heads, each with state PerCpu, Order o, in this zone, aligned to 2^o; Head's Prev and
///   Tail's Next are NoFrame; both are NoFrame when the list is empty;
/// - cached blocks are neither free (not in zone lists, not counted in Zone.FreeFrames) nor
///   allocated; poisoned frames keep their Poisoned bit while cached.
/// </summary>
public unsafe struct PerCpuPages
{
    /// <summary>Orders cached per CPU: 0..3 (Linux PAGE_ALLOC_COSTLY_ORDER).</summary>
    public const int MaxOrder = 3;
    public const int Orders = MaxOrder + 1;

    public int Count;
    public int High;
    public int Batch;
    public int Padding;
    public fixed uint Head[Orders];
    public fixed uint Tail[Orders];
    public fixed int Blocks[Orders];

    public void Initialize()
    {
        Count = 0;
        High = 0;
        Batch = 1;
        Padding = 0;
        for (int o = 0; o < Orders; o++)
        {
            Head[o] = PageDescriptor.NoFrame;
            Tail[o] = PageDescriptor.NoFrame;
            Blocks[o] = 0;
        }
    }

    /// <summary>Linux zone_batchsize: about a quarter of a 1024th of the zone, at most 1 MiB
    /// worth, rounded to 2^n - 1 so batches do not keep hitting the same cache colours.</summary>
    public static int BatchFor(ulong managedFrames)
    {
        ulong batch = managedFrames / 1024;
        ulong cap = (1UL << 20) >> PageGeometry.PageShift;
        if (batch > cap)
            batch = cap;
        batch /= 4;
        if (batch < 1)
            batch = 1;
        ulong x = batch + batch / 2, pow = 1;
        while (pow * 2 <= x)
            pow *= 2;
        return pow - 1 < 1 ? 1 : (int)(pow - 1);
    }
}

public unsafe partial struct BuddyAllocator
{
    // ---- the fast path --------------------------------------------------------------------------

    /// <summary>One frame, Normal preferred (fallback DMA32, DMA), through the per-CPU cache.
    /// Returns its physical address or 0.</summary>
    public ulong AllocatePage() => AllocatePages(0, ZoneType.Normal);

    public FreeResult FreePage(ulong physical) => FreePages(physical, 0);

    /// <summary>2^order frames from <paramref name="preferred"/> or a lower zone. Orders 0..3 go
    /// through this CPU's cache, larger ones straight to the buddy lists.</summary>
    public ulong AllocatePages(int order, ZoneType preferred)
    {
        if ((uint)order > PerCpuPages.MaxOrder || _state == null)
            return AllocatePagesDirect(order, preferred);
        int z = preferred > ZoneType.Normal ? (int)ZoneType.Normal : (int)preferred;
        ulong token = Interrupts.SaveAndDisable();
        PerCpuPages* cpu = _pcp + CpuLocal.CurrentCpu * Zones.Count;
        uint pfn = PageDescriptor.NoFrame;
        for (; z >= 0; z--)
        {
            PerCpuPages* p = cpu + z;
            pfn = p->Head[order];
            if (pfn == PageDescriptor.NoFrame)
            {
                // An empty zone (no Normal memory below 4 GiB of RAM) is skipped without a
                // refill attempt, as Linux's zonelist walk skips unpopulated zones.
                if (_zones[z].FreeFrames < (1UL << order) || Refill(p, _zones + z, order) == 0)
                    continue;                      // zone has no block of this order: fall back
                pfn = p->Head[order];
            }
            // Pop the hot head. Invariant kept: Head/Tail/Blocks/Count describe the list.
            PageDescriptor* d = _map.At(pfn);
            uint next = d->Next;
            p->Head[order] = next;
            if (next == PageDescriptor.NoFrame)
                p->Tail[order] = PageDescriptor.NoFrame;
            else
                _map.At(next)->Prev = PageDescriptor.NoFrame;
            p->Blocks[order]--;
            p->Count -= 1 << order;
            MarkAllocated(d, order);
            break;
        }
        if (pfn == PageDescriptor.NoFrame)
        {
            int top = preferred > ZoneType.Normal ? (int)ZoneType.Normal : (int)preferred;
            pfn = RetryAfterDrain(top, order);
            if (pfn != PageDescriptor.NoFrame)
                MarkAllocated(_map.At(pfn), order);
            else
                _state->AllocationFailures++;
        }
        Interrupts.Restore(token);
        if (pfn == PageDescriptor.NoFrame)
            return 0;
        if (_state->PoisonUsed)
            PrepareForUse(pfn, order);
        return (ulong)pfn << PageGeometry.PageShift;
    }

    /// <summary>Frees a block. Orders 0..3 go to this CPU's cache for the block's zone (drained
    /// by a batch once over high), larger ones to the buddy lists. Errors change nothing but the
    /// error counters and name the frame.</summary>
    public FreeResult FreePages(ulong physical, int order)
    {
        if ((uint)order > PerCpuPages.MaxOrder || _state == null)
            return FreePagesDirect(physical, order);
        ulong token = Interrupts.SaveAndDisable();
        PageDescriptor* d;
        FreeResult r = Validate(physical, order, out d);
        if (r.Status != FreeStatus.Ok)
        {
            RecordError(r);
            Interrupts.Restore(token);
            return r;
        }
        uint pfn = (uint)r.Pfn;
        if (_state->PoisonOnFree)
            PoisonBlock(pfn, order);
        PerCpuPages* p = _pcp + CpuLocal.CurrentCpu * Zones.Count + d->Zone;
        d->Flags = (d->Flags & ~(FrameFlags.StateMask | FrameFlags.OwnerMask)) | FrameFlags.PerCpu;
        d->Order = (byte)order;
        d->Private = 0;
        // Push on the hot head.
        uint head = p->Head[order];
        d->Next = head;
        d->Prev = PageDescriptor.NoFrame;
        if (head == PageDescriptor.NoFrame)
            p->Tail[order] = pfn;
        else
            _map.At(head)->Prev = pfn;
        p->Head[order] = pfn;
        p->Blocks[order]++;
        p->Count += 1 << order;
        if (p->Count > p->High)
        {
            int excess = p->Count - p->High;
            DrainFrames(p, excess > p->Batch ? excess : p->Batch);
        }
        Interrupts.Restore(token);
        return r;
    }

    // ---- refill and drain (inside the section) ----------------------------------------------------

    /// <summary>Moves up to max(batch >> order, 1) blocks of the order from the zone's buddy lists
    /// to the tail of the cache list. Returns the number of blocks moved.</summary>
    int Refill(PerCpuPages* p, Zone* zone, int order)
    {
        int want = p->Batch >> order;
        if (want < 1)
            want = 1;
        int got = 0;
        while (got < want)
        {
            uint pfn = TakeBlock(zone, order);
            if (pfn == PageDescriptor.NoFrame)
                break;
            PageDescriptor* d = _map.At(pfn);
            d->Flags = (d->Flags & ~FrameFlags.StateMask) | FrameFlags.PerCpu;
            d->Order = (byte)order;
            uint tail = p->Tail[order];
            d->Next = PageDescriptor.NoFrame;
            d->Prev = tail;
            if (tail == PageDescriptor.NoFrame)
                p->Head[order] = pfn;
            else
                _map.At(tail)->Next = pfn;
            p->Tail[order] = pfn;
            got++;
        }
        if (got != 0)
        {
            p->Blocks[order] += got;
            p->Count += got << order;
            _state->PerCpuRefills++;
        }
        return got;
    }

    /// <summary>Returns at least <paramref name="frames"/> frames (or everything) from the cache
    /// to the buddy lists: the coldest block of each non-empty list in turn.</summary>
    void DrainFrames(PerCpuPages* p, int frames)
    {
        int freed = 0;
        while (freed < frames && p->Count > 0)
        {
            for (int o = 0; o < PerCpuPages.Orders && freed < frames; o++)
            {
                uint pfn = p->Tail[o];
                if (pfn == PageDescriptor.NoFrame)
                    continue;
                PageDescriptor* d = _map.At(pfn);
                uint prev = d->Prev;
                p->Tail[o] = prev;
                if (prev == PageDescriptor.NoFrame)
                    p->Head[o] = PageDescriptor.NoFrame;
                else
                    _map.At(prev)->Next = PageDescriptor.NoFrame;
                p->Blocks[o]--;
                p->Count -= 1 << o;
                d->Flags &= ~FrameFlags.StateMask;
                FreeBlock(pfn, d, o);
                freed += 1 << o;
            }
        }
        _state->PerCpuDrains++;
    }

    /// <summary>Empties this CPU's caches (all zones) into the buddy lists.</summary>
    public void DrainPerCpu()
    {
        if (_state == null)
            return;
        ulong token = Interrupts.SaveAndDisable();
        PerCpuPages* cpu = _pcp + CpuLocal.CurrentCpu * Zones.Count;
        for (int z = 0; z < Zones.Count; z++)
        {
            if (cpu[z].Count != 0)
                DrainFrames(cpu + z, int.MaxValue);
        }
        Interrupts.Restore(token);
    }

    /// <summary>Empties every CPU's caches. Only safe while the other CPUs are not allocating
    /// (today: always, one CPU); SMP needs a drain request per CPU instead.</summary>
    public void DrainAllPerCpu()
    {
        if (_state == null)
            return;
        ulong token = Interrupts.SaveAndDisable();
        for (int i = 0; i < CpuLocal.MaxCpus * Zones.Count; i++)
        {
            if (_pcp[i].Count != 0)
                DrainFrames(_pcp + i, int.MaxValue);
        }
        Interrupts.Restore(token);
    }

    /// <summary>Fixes batch and high for every CPU and zone (tests, tuning); high is raised to at
    /// least batch. Caches over the new high shrink on their next free.</summary>
    public void SetPerCpuLimits(int batch, int high)
    {
        if (_state == null)
            return;
        if (batch < 1) batch = 1;
        if (high < batch) high = batch;
        ulong token = Interrupts.SaveAndDisable();
        _state->PerCpuLimitsFixed = true;
        for (int i = 0; i < CpuLocal.MaxCpus * Zones.Count; i++)
        {
            _pcp[i].Batch = batch;
            _pcp[i].High = high;
        }
        Interrupts.Restore(token);
    }

    /// <summary>Linux defaults from each zone's managed size: batch as zone_batchsize, high = 6 x batch.</summary>
    void UpdatePerCpuLimits()
    {
        if (_state->PerCpuLimitsFixed)
            return;
        ulong token = Interrupts.SaveAndDisable();
        for (int z = 0; z < Zones.Count; z++)
        {
            int batch = PerCpuPages.BatchFor(_zones[z].ManagedFrames);
            for (int c = 0; c < CpuLocal.MaxCpus; c++)
            {
                PerCpuPages* p = _pcp + c * Zones.Count + z;
                p->Batch = batch;
                p->High = 6 * batch;
            }
        }
        Interrupts.Restore(token);
    }

    public PerCpuPages* PerCpu(int cpu, ZoneType zone) => _pcp + cpu * Zones.Count + (int)zone;
}
