using System;
using System.Collections.Generic;
using Kernel.Memory.Physical;
using Xunit;
using Xunit.Abstractions;
using static Kernel.Tests.Memory.Physical.BuddyFixture;

namespace Kernel.Tests.Memory.Physical;

/// <summary>
/// Long seeded random sequences (mixed orders 0..10, per-CPU and direct paths, frees in random
/// order, bad frees, drains, limit changes) against a reference model: a per-frame "allocated"
/// map and the list of live blocks. Checked every step: each block is RAM, aligned, in an allowed
/// zone, disjoint from every live block; per-zone counts conserved; a failed allocation is
/// genuine. Every <see cref="RandomRun.CheckEvery"/> steps and at the end: the allocator's full
/// invariant check plus a descriptor-by-descriptor comparison with the model. After freeing
/// everything and draining, the descriptors equal the initial ones exactly.
/// </summary>
public unsafe class BuddyRandomizedTests
{
    readonly ITestOutputHelper _out;
    public BuddyRandomizedTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void One_million_mixed_operations_match_the_reference_model()
    {
        // DMA: [64 KiB, 640 KiB) and [1 MiB, 16 MiB) with [1 MiB, 2 MiB) reserved; DMA32: [16 MiB, 40 MiB);
        // Normal: [4 GiB, 4 GiB + 24 MiB) and, after an 8 MiB hole, [4 GiB + 32 MiB, 4 GiB + 40 MiB).
        var run = new RandomRun(seed: 20261125, steps: 1_000_000,
            ram: new[] { (64 * KiB, 640 * KiB), (1 * MiB, 40 * MiB), (4 * GiB, 4 * GiB + 24 * MiB), (4 * GiB + 32 * MiB, 4 * GiB + 40 * MiB) },
            reserved: (1 * MiB, 2 * MiB), hole: (4 * GiB + 24 * MiB, 4 * GiB + 32 * MiB), hostRam: null);
        run.Run();
        _out.WriteLine(run.Summary());
    }

    [Fact]
    public void A_different_seed_also_matches()
    {
        var run = new RandomRun(seed: 7, steps: 200_000,
            ram: new[] { (0UL, 16 * MiB), (16 * MiB, 20 * MiB), (4 * GiB, 4 * GiB + 4 * MiB) },
            reserved: (0, 1 * MiB), hole: (20 * MiB, 24 * MiB), hostRam: null);
        run.Run();
        _out.WriteLine(run.Summary());
    }
}

/// <summary>The same random run with poisoning on over host memory: allocations must come back
/// zeroed, data written into live blocks must survive until they are freed, and no poisoned
/// frame may be found modified.</summary>
[Collection(PhysicalMapCollection.Name)]
public unsafe class BuddyRandomizedPoisonTests
{
    readonly ITestOutputHelper _out;
    public BuddyRandomizedPoisonTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void Poisoned_random_run_keeps_contents_private_and_zeroed()
    {
        using var host = new HostRam(1 * MiB, 39 * MiB);
        var run = new RandomRun(seed: 4242, steps: 100_000,
            ram: new[] { (1 * MiB, 40 * MiB) }, reserved: (1 * MiB, 2 * MiB), hole: (48 * MiB, 52 * MiB), hostRam: host);
        run.Run();
        _out.WriteLine(run.Summary());
    }
}

sealed unsafe class RandomRun
{
    public const int CheckEvery = 10_000;
    static readonly ZoneType[] ZoneTypes = { ZoneType.Dma, ZoneType.Dma32, ZoneType.Normal };

    readonly int _seed, _steps;
    readonly (ulong Start, ulong End)[] _ram;
    readonly (ulong Start, ulong End) _reserved, _hole;
    readonly HostRam _host;
    readonly Random _rng;
    BuddyFixture _f;

    // The model.
    bool[] _managed;            // per pfn: handed to the allocator
    bool[] _allocated;          // per pfn: inside a live block
    sbyte[] _headOrder;         // per pfn: order of the live block it heads, or -1
    readonly List<(ulong Pfn, int Order)> _live = new();
    readonly ulong[] _modelAllocated = new ulong[3];
    readonly List<(ulong Pfn, int Order)> _recentlyFreed = new();
    int _step;

    // Tallies for the summary.
    long _allocs, _frees, _failures, _badFrees, _drains, _checks;

    public RandomRun(int seed, int steps, (ulong, ulong)[] ram, (ulong, ulong) reserved, (ulong, ulong) hole, HostRam hostRam)
    {
        _seed = seed;
        _steps = steps;
        _ram = ram;
        _reserved = reserved;
        _hole = hole;
        _host = hostRam;
        _rng = new Random(seed);
    }

    void Check(bool ok, string what)
    {
        if (!ok)
            throw new Xunit.Sdk.XunitException($"seed {_seed}, step {_step}: {what}");
    }

    public string Summary() =>
        $"seed {_seed}: {_steps} steps, {_allocs} allocations ({_failures} failed), {_frees} frees, " +
        $"{_badFrees} rejected bad frees, {_drains} drains, {_checks} full checks";

    public void Run()
    {
        _f = new BuddyFixture(_ram);
        try
        {
            RunInner();
        }
        finally
        {
            _f.Dispose();
        }
    }

    void RunInner()
    {
        ulong maxPfn = 0;
        foreach (var r in _ram)
            maxPfn = Math.Max(maxPfn, r.End >> 12);
        _managed = new bool[maxPfn + 1024];
        _allocated = new bool[maxPfn + 1024];
        _headOrder = new sbyte[maxPfn + 1024];
        Array.Fill(_headOrder, (sbyte)-1);
        foreach (var r in _ram)
        {
            // Hand over everything outside the reserved range, in two calls around it.
            ulong s = r.Start >> 12, e = r.End >> 12, rs = _reserved.Start >> 12, re = _reserved.End >> 12;
            AddFree(s, Math.Min(e, rs));
            AddFree(Math.Max(s, re), e);
        }
        if (_host != null)
            _f.A.PoisonOnFree = true;
        _f.AssertInvariants("after set-up");
        var initial = _f.Snapshot();
        var initialBlocks = FreeBlockCounts();

        int[] batches = { 1, 8, 31, 63 };
        for (_step = 0; _step < _steps; _step++)
        {
            if (_step % 100_000 == 0)
            {
                int b = batches[_rng.Next(batches.Length)];
                _f.A.SetPerCpuLimits(b, 6 * b);
            }
            // Phases fill memory up, churn, and empty it again.
            double pAlloc = ((_step / 50_000) % 3) switch { 0 => 0.7, 1 => 0.5, _ => 0.3 };
            double r = _rng.NextDouble();
            if (r < 0.005)
                BadFree();
            else if (r < 0.006)
            {
                _f.A.DrainPerCpu();
                Check(_f.A.PerCpuFrames == 0, "DrainPerCpu left frames cached");
                _drains++;
            }
            else if (r < 0.006 + pAlloc || _live.Count == 0)
                Allocate();
            else
                FreeRandom();
            CheckCounts();
            if (_step % CheckEvery == CheckEvery - 1)
                FullCheck();
        }
        FullCheck();

        // Free everything in random order, drain, and compare with the start.
        while (_live.Count > 0)
            FreeRandom();
        _f.A.DrainPerCpu();
        FullCheck();
        Check(_f.A.FreeFrames == _f.A.ManagedFrames, $"free {_f.A.FreeFrames} != managed {_f.A.ManagedFrames} at the end");
        var final = _f.Snapshot();
        Check(final.Length == initial.Length, "descriptor count changed");
        for (int i = 0; i < initial.Length; i++)
        {
            var a = initial[i];
            var b = final[i];
            b.Flags &= unchecked((ushort)~FrameFlags.Poisoned);
            Check(a == b, $"descriptor #{i} differs at the end: {a} vs {b}");
        }
        var finalBlocks = FreeBlockCounts();
        for (int i = 0; i < initialBlocks.Length; i++)
            Check(initialBlocks[i] == finalBlocks[i], $"free block count #{i} differs at the end");
        if (_host != null)
            Check(_f.A.State->PoisonCorruptions == 0, $"{_f.A.State->PoisonCorruptions} poison corruptions");
    }

    void AddFree(ulong s, ulong e)
    {
        if (e <= s)
            return;
        FreeResult res = _f.A.AddFreeRange(s, e);
        Check(res.IsOk, $"AddFreeRange {s}..{e}: {res.Status} at {res.Pfn}");
        for (ulong p = s; p < e; p++)
            _managed[p] = true;
    }

    ulong[] FreeBlockCounts()
    {
        var c = new ulong[3 * 11];
        for (int z = 0; z < 3; z++)
            for (int o = 0; o <= 10; o++)
                c[z * 11 + o] = _f.A.FreeBlocks(ZoneTypes[z], o);
        return c;
    }

    int RandomOrder()
    {
        double r = _rng.NextDouble();
        if (r < 0.45) return 0;
        if (r < 0.60) return 1;
        if (r < 0.70) return 2;
        if (r < 0.80) return 3;
        return 4 + _rng.Next(7);
    }

    void Allocate()
    {
        int order = RandomOrder();
        double zr = _rng.NextDouble();
        ZoneType pref = zr < 0.6 ? ZoneType.Normal : zr < 0.9 ? ZoneType.Dma32 : ZoneType.Dma;
        int path = _rng.Next(3);
        ulong phys = path == 0 ? _f.A.AllocatePagesDirect(order, pref)
                   : path == 1 && order == 0 && pref == ZoneType.Normal ? _f.A.AllocatePage()
                   : _f.A.AllocatePages(order, pref);
        _allocs++;
        if (phys == 0)
        {
            _failures++;
            // Genuine: this CPU's cache was drained and no allowed zone has a block big enough.
            Check(_f.A.PerCpuFrames == 0, "failed allocation left per-CPU frames cached");
            for (int z = 0; z <= (int)pref; z++)
                for (int o = order; o <= 10; o++)
                    Check(_f.A.FreeBlocks(ZoneTypes[z], o) == 0, $"order {order} zone {pref} failed although zone {z} has a free order-{o} block");
            return;
        }
        ulong pfn = phys >> 12;
        ulong frames = 1UL << order;
        Check((phys & 0xFFF) == 0 && (pfn & (frames - 1)) == 0, $"block {phys:x} order {order} misaligned");
        ZoneType zone = Zones.Of(pfn);
        Check(zone <= pref, $"order {order} for {pref} came from {zone}");
        for (ulong i = 0; i < frames; i++)
        {
            ulong p = pfn + i;
            Check(p < (ulong)_managed.Length && _managed[p], $"frame {p} handed out is not managed RAM");
            Check(!_allocated[p], $"frame {p} handed out twice");
            Check(Zones.Of(p) == zone, $"block {pfn} order {order} spans zones");
            _allocated[p] = true;
        }
        _headOrder[pfn] = (sbyte)order;
        _live.Add((pfn, order));
        _modelAllocated[(int)zone] += frames;
        if (_host != null)
        {
            // Zeroed on allocation; then stamp every frame with its own number.
            for (ulong i = 0; i < frames; i++)
            {
                ulong* w = (ulong*)_host.At((pfn + i) << 12);
                for (int k = 0; k < 512; k++)
                    Check(w[k] == 0, $"frame {pfn + i} not zeroed on allocation");
                w[0] = pfn + i;
                w[511] = ~(pfn + i);
            }
        }
    }

    void FreeRandom()
    {
        int idx = _rng.Next(_live.Count);
        var (pfn, order) = _live[idx];
        _live[idx] = _live[^1];
        _live.RemoveAt(_live.Count - 1);
        ulong frames = 1UL << order;
        if (_host != null)
        {
            for (ulong i = 0; i < frames; i++)
            {
                ulong* w = (ulong*)_host.At((pfn + i) << 12);
                Check(w[0] == pfn + i && w[511] == ~(pfn + i), $"frame {pfn + i} was written by someone else while allocated");
            }
        }
        int path = _rng.Next(3);
        FreeResult r = path == 0 ? _f.A.FreePagesDirect(pfn << 12, order)
                     : path == 1 && order == 0 ? _f.A.FreePage(pfn << 12)
                     : _f.A.FreePages(pfn << 12, order);
        Check(r.IsOk, $"free of live block {pfn} order {order}: {r.Status}");
        for (ulong i = 0; i < frames; i++)
            _allocated[pfn + i] = false;
        _headOrder[pfn] = -1;
        _modelAllocated[(int)Zones.Of(pfn)] -= frames;
        _frees++;
        _recentlyFreed.Add((pfn, order));
        if (_recentlyFreed.Count > 64)
            _recentlyFreed.RemoveAt(0);
    }

    /// <summary>One rejected free; the allocator's counts must not move.</summary>
    void BadFree()
    {
        ulong free0 = _f.A.FreeFrames, pcp0 = _f.A.PerCpuFrames, errors0 = _f.A.State->TotalFreeErrors;
        FreeStatus expected;
        ulong phys;
        int order;
        int kind = _rng.Next(4);
        if (kind == 0 && _recentlyFreed.Count > 0)
        {
            var (pfn, o) = _recentlyFreed[_rng.Next(_recentlyFreed.Count)];
            if (_allocated[pfn])
                return;                                      // handed out again since: not a double free
            phys = pfn << 12; order = o; expected = FreeStatus.DoubleFree;
        }
        else if (kind == 1 && _live.Count > 0)
        {
            var (pfn, o) = _live[_rng.Next(_live.Count)];
            if (o > 0 && _rng.Next(2) == 0)
            {
                order = o - 1; expected = FreeStatus.OrderMismatch;
            }
            else if (o < 10)
            {
                order = o + 1;
                expected = (pfn & ((1UL << order) - 1)) != 0 ? FreeStatus.Misaligned : FreeStatus.OrderMismatch;
            }
            else
                return;
            phys = pfn << 12;
        }
        else if (kind == 2)
        {
            ulong span = (_reserved.End - _reserved.Start) >> 12;
            phys = _reserved.Start + ((ulong)_rng.NextInt64((long)span) << 12);
            order = 0; expected = FreeStatus.ReservedFrame;
        }
        else
        {
            ulong span = (_hole.End - _hole.Start) >> 12;
            phys = _hole.Start + ((ulong)_rng.NextInt64((long)span) << 12);
            order = 0; expected = FreeStatus.OutsideRam;
        }
        FreeResult r = _rng.Next(2) == 0 ? _f.A.FreePages(phys, order) : _f.A.FreePagesDirect(phys, order);
        Check(r.Status == expected, $"bad free {phys:x} order {order}: expected {expected}, got {r.Status}");
        Check(r.Pfn == phys >> 12, $"bad free named frame {r.Pfn}, not {phys >> 12}");
        Check(_f.A.FreeFrames == free0 && _f.A.PerCpuFrames == pcp0, "a rejected free changed the counts");
        Check(_f.A.State->TotalFreeErrors == errors0 + 1, "a rejected free was not counted");
        _badFrees++;
    }

    void CheckCounts()
    {
        for (int z = 0; z < 3; z++)
        {
            Zone* zone = _f.A.ZoneInfo(ZoneTypes[z]);
            ulong cached = (ulong)_f.A.PerCpu(0, ZoneTypes[z])->Count;
            Check(zone->ManagedFrames == zone->FreeFrames + cached + _modelAllocated[z],
                $"zone {z}: managed {zone->ManagedFrames} != free {zone->FreeFrames} + cached {cached} + allocated {_modelAllocated[z]}");
        }
    }

    /// <summary>The allocator's own invariant check, then every managed frame against the model.</summary>
    void FullCheck()
    {
        _checks++;
        _f.AssertInvariants($"(seed {_seed}, step {_step})");
        ulong modelFree = 0;
        for (ulong p = 0; p < (ulong)_managed.Length; p++)
        {
            PageDescriptor* d = _f.A.Descriptor(p);
            if (!_managed[p])
            {
                Check(d == null || d->State == FrameFlags.Reserved, $"unmanaged frame {p} has state {(d == null ? 0 : d->State)}");
                continue;
            }
            Check(d != null, $"managed frame {p} has no descriptor");
            FrameFlags s = d->State;
            if (_headOrder[p] >= 0)
                Check(s == FrameFlags.Allocated && d->Order == _headOrder[p], $"live head {p} order {_headOrder[p]} has state {s} order {d->Order}");
            else if (_allocated[p])
                Check(s == FrameFlags.None, $"live tail {p} has state {s}");
            else
            {
                Check(s == FrameFlags.Free || s == FrameFlags.PerCpu || s == FrameFlags.None, $"free frame {p} has state {s}");
                modelFree++;
            }
        }
        Check(modelFree == _f.A.FreeFrames + _f.A.PerCpuFrames, $"model free {modelFree} != free {_f.A.FreeFrames} + cached {_f.A.PerCpuFrames}");
    }
}
