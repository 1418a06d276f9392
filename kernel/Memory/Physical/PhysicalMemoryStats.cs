// Platform-neutral shared source (kernel and host tests).
// A snapshot of the allocator's counters, taken in one interrupt-save section so the numbers
// agree with each other. MemInfoText and BuddyInfoText format it.
using Kernel.Platform;

namespace Kernel.Memory.Physical;

public unsafe struct ZoneStats
{
    public ulong PresentFrames;
    public ulong ManagedFrames;
    public ulong FreeFrames;
    public ulong PerCpuFrames;
    /// <summary>Free blocks per order (Linux free_area[order].nr_free).</summary>
    public fixed ulong FreeBlocks[PageGeometry.OrderCount];
    /// <summary>Per-CPU cached blocks per order, all CPUs.</summary>
    public fixed ulong PerCpuBlocks[PerCpuPages.Orders];

    public ulong ReservedFrames => PresentFrames - ManagedFrames;
    public ulong AllocatedFrames => ManagedFrames - FreeFrames - PerCpuFrames;
}

public unsafe struct PhysicalMemoryStats
{
    public ZoneStats Dma;
    public ZoneStats Dma32;
    public ZoneStats Normal;
    public ulong FreeErrors;
    public ulong AllocationFailures;
    public ulong PoisonCorruptions;

    /// <summary>The zone's figures: Dma, Dma32 and Normal are consecutive fields of one type.</summary>
    public static ZoneStats* For(PhysicalMemoryStats* s, ZoneType z) => &s->Dma + (int)z;

    public ulong PresentFrames => Dma.PresentFrames + Dma32.PresentFrames + Normal.PresentFrames;
    public ulong ManagedFrames => Dma.ManagedFrames + Dma32.ManagedFrames + Normal.ManagedFrames;
    public ulong FreeFrames => Dma.FreeFrames + Dma32.FreeFrames + Normal.FreeFrames;
    public ulong PerCpuFrames => Dma.PerCpuFrames + Dma32.PerCpuFrames + Normal.PerCpuFrames;
    public ulong ReservedFrames => PresentFrames - ManagedFrames;
    public ulong AllocatedFrames => ManagedFrames - FreeFrames - PerCpuFrames;
}

public unsafe partial struct BuddyAllocator
{
    /// <summary>Fills <paramref name="stats"/> (all zeros when not initialised).</summary>
    public void GetStats(PhysicalMemoryStats* stats)
    {
        byte* b = (byte*)stats;
        for (int i = 0; i < sizeof(PhysicalMemoryStats); i++)
            b[i] = 0;
        if (_state == null)
            return;
        ulong token = Interrupts.SaveAndDisable();
        for (int z = 0; z < Zones.Count; z++)
        {
            ZoneStats* s = PhysicalMemoryStats.For(stats, (ZoneType)z);
            Zone* zone = _zones + z;
            s->PresentFrames = zone->PresentFrames;
            s->ManagedFrames = zone->ManagedFrames;
            s->FreeFrames = zone->FreeFrames;
            for (int o = 0; o < PageGeometry.OrderCount; o++)
                s->FreeBlocks[o] = zone->FreeBlocks[o];
            for (int c = 0; c < CpuLocal.MaxCpus; c++)
            {
                PerCpuPages* p = _pcp + c * Zones.Count + z;
                s->PerCpuFrames += (ulong)p->Count;
                for (int o = 0; o < PerCpuPages.Orders; o++)
                    s->PerCpuBlocks[o] += (ulong)p->Blocks[o];
            }
        }
        stats->FreeErrors = _state->TotalFreeErrors;
        stats->AllocationFailures = _state->AllocationFailures;
        stats->PoisonCorruptions = _state->PoisonCorruptions;
        Interrupts.Restore(token);
    }

    // Single counters (each sums the zones; a snapshot of many at once: GetStats).

    /// <summary>RAM frames described (present), managed or not.</summary>
    public ulong TotalFrames => SumZones(0);
    /// <summary>Frames handed over by AddFreeRange.</summary>
    public ulong ManagedFrames => SumZones(1);
    /// <summary>Frames in the buddy lists (per-CPU caches not included).</summary>
    public ulong FreeFrames => SumZones(2);
    /// <summary>Present frames never handed over.</summary>
    public ulong ReservedFrames => TotalFrames - ManagedFrames;

    /// <summary>Frames parked in the per-CPU caches of all CPUs.</summary>
    public ulong PerCpuFrames
    {
        get
        {
            if (_state == null)
                return 0;
            ulong n = 0;
            for (int i = 0; i < CpuLocal.MaxCpus * Zones.Count; i++)
                n += (ulong)_pcp[i].Count;
            return n;
        }
    }

    public ulong AllocatedFrames => ManagedFrames - FreeFrames - PerCpuFrames;

    public ulong ZoneFreeFrames(ZoneType z) => _state == null ? 0 : _zones[(int)z].FreeFrames;

    public ulong FreeBlocks(ZoneType z, int order)
    {
        if (_state == null || (uint)order > PageGeometry.MaxOrder)
            return 0;
        return _zones[(int)z].FreeBlocks[order];
    }

    ulong SumZones(int which)
    {
        if (_state == null)
            return 0;
        ulong n = 0;
        for (int z = 0; z < Zones.Count; z++)
            n += which == 0 ? _zones[z].PresentFrames : which == 1 ? _zones[z].ManagedFrames : _zones[z].FreeFrames;
        return n;
    }
}
