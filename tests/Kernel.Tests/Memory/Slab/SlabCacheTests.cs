using System.Collections.Generic;
using Kernel.Memory;
using Kernel.Memory.Physical;
using Kernel.Memory.Slab;
using Kernel.Tests.Memory.Physical;
using Xunit;

namespace Kernel.Tests.Memory.Slab;

/// <summary>kmem_cache rules: layout and order, alignment, constructor, sheaves, slab lists,
/// hardened free pointers, return of pages, destroy.</summary>
[Collection(PhysicalMapCollection.Name)]
public unsafe class SlabCacheTests
{
    [Theory]
    [InlineData(8u, 0, 512u)]
    [InlineData(96u, 0, 42u)]
    [InlineData(192u, 0, 21u)]
    [InlineData(2048u, 2, 8u)]
    [InlineData(4096u, 3, 8u)]
    [InlineData(8192u, 3, 4u)]
    public void Slab_order_keeps_waste_low_and_holds_enough_objects(uint size, int order, uint perSlab)
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("t", size);
        Assert.Equal(order, c->Order);
        Assert.Equal(perSlab, c->ObjectsPerSlab);
        ulong waste = c->SlabBytes - (ulong)c->ObjectsPerSlab * c->Stride;
        Assert.True(waste * 16 <= c->SlabBytes, $"waste {waste} of {c->SlabBytes}");
    }

    [Fact]
    public void Odd_sizes_get_an_order_with_at_most_a_sixteenth_wasted()
    {
        using var f = new SlabFixture();
        for (uint size = 24; size <= 8000; size = size * 5 / 4 + 8)
        {
            SlabCache* c = f.Create("odd", size);
            ulong waste = c->SlabBytes - (ulong)c->ObjectsPerSlab * c->Stride;
            Assert.True(waste * 16 <= c->SlabBytes || c->Order == SlabCache.MaxOrder, $"size {size}: order {c->Order} wastes {waste}");
            Assert.True(c->ObjectsPerSlab >= 4, $"size {size}: {c->ObjectsPerSlab} per slab");
            Assert.Equal(SlabStatus.Ok, f.A->DestroyCache(c, out _));
        }
    }

    [Theory]
    [InlineData(8u)]
    [InlineData(64u)]
    [InlineData(512u)]
    [InlineData(4096u)]
    public void Objects_are_aligned_distinct_and_inside_slabs_of_their_cache(uint align)
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("aligned", 100, align);
        var seen = new HashSet<ulong>();
        var list = new List<ulong>();
        for (int i = 0; i < 500; i++)
        {
            ulong p = (ulong)KmemCache.Alloc(c);
            Assert.NotEqual(0UL, p);
            Assert.Equal(0UL, p % align);
            Assert.True(seen.Add(p));
            PageDescriptor* d = f.Buddy.A.Descriptor(PhysicalMap.ToPhysical((void*)p) >> 12);
            Assert.True((d->Flags & FrameFlags.SlabPage) != 0);
            Assert.Equal((ulong)c, d->Owner);
            list.Add(p);
        }
        list.Sort();
        for (int i = 1; i < list.Count; i++)
            Assert.True(list[i] - list[i - 1] >= 100, "objects overlap");
        foreach (ulong p in list)
            KmemCache.Free(c, (void*)p);
        Assert.Equal(SlabStatus.Ok, f.A->DestroyCache(c, out ulong leaked));
        Assert.Equal(0UL, leaked);
    }

    static int s_constructed;
    static void Construct(void* obj)
    {
        s_constructed++;
        *(ulong*)obj = 0xC0FFEE;
    }

    [Fact]
    public void Constructor_runs_once_per_object_when_its_slab_is_made()
    {
        using var f = new SlabFixture();
        s_constructed = 0;
        SlabCache* c = f.Create("ctor", 64, 0, SlabFlags.None, &Construct);
        void* a = KmemCache.Alloc(c);
        Assert.Equal(0xC0FFEEUL, *(ulong*)a);   // the free pointer lives outside the object
        Assert.Equal((int)c->ObjectsPerSlab, s_constructed);
        for (int i = 0; i < 1000; i++)
            KmemCache.Free(c, KmemCache.Alloc(c));
        Assert.Equal((int)c->ObjectsPerSlab, s_constructed);
        KmemCache.Free(c, a);
    }

    [Fact]
    public void Alloc_free_churn_stays_in_the_sheaves()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("churn", 64);
        void* p = KmemCache.Alloc(c);
        int cap = c->Cpus[0].Capacity;
        for (int i = 0; i < cap; i++)           // settle: at most one more refill
            KmemCache.Free(c, KmemCache.Alloc(c));
        ulong slabs = c->SlabsAllocated;
        ulong outOfSlabs = c->ObjectsOutOfSlabs;
        var seen = new HashSet<ulong>();
        for (int i = 0; i < 100000; i++)
        {
            void* q = KmemCache.Alloc(c);
            seen.Add((ulong)q);
            KmemCache.Free(c, q);
        }
        // No slab traffic: the objects cycle between the two sheaves, and an object freed comes
        // back within one sheaf of frees.
        Assert.Equal(slabs, c->SlabsAllocated);
        Assert.Equal(outOfSlabs, c->ObjectsOutOfSlabs);
        Assert.True(seen.Count <= cap, $"{seen.Count} distinct objects cycled");
        Assert.Equal(1UL, c->ActiveObjects);
        KmemCache.Free(c, p);
    }

    [Fact]
    public void The_free_sheaf_is_swapped_in_once_it_holds_half_a_sheaf()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("swap", 64);
        CpuSheaves* s = c->Cpus;
        int half = s->Capacity / 2;
        var held = new List<ulong>();
        for (int i = 0; i < 3 * half; i++) held.Add((ulong)KmemCache.Alloc(c));
        // A few frees: too few to swap in, so an empty alloc sheaf is refilled from the slabs.
        void* a = (void*)held[0];
        KmemCache.Free(c, a);
        Assert.Equal(1, s->FreeCount);
        while (s->AllocCount > 0) held.Add((ulong)KmemCache.Alloc(c));
        ulong outOfSlabs = c->ObjectsOutOfSlabs;
        held.Add((ulong)KmemCache.Alloc(c));
        Assert.Equal(outOfSlabs + (ulong)half, c->ObjectsOutOfSlabs);
        Assert.Equal(1, s->FreeCount);
        // Half a sheaf of frees: the next allocation that finds the alloc sheaf empty takes the
        // free sheaf, newest object first.
        for (int i = 1; i < half; i++) KmemCache.Free(c, (void*)held[i]);
        void* newest = (void*)held[half - 1];
        while (s->AllocCount > 0) held.Add((ulong)KmemCache.Alloc(c));
        outOfSlabs = c->ObjectsOutOfSlabs;
        Assert.True(KmemCache.Alloc(c) == newest, "the object freed last comes back first");
        Assert.Equal(outOfSlabs, c->ObjectsOutOfSlabs);
        Assert.Equal(0, s->FreeCount);
        Assert.Equal(half - 1, s->AllocCount);
        KmemCache.Shrink(c);
        Assert.Equal((ulong)(held.Count - half) + 1, c->ActiveObjects);
    }

    [Fact]
    public void Sheaves_refill_by_half_a_sheaf_and_swap_in_the_spare()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("sheaf", 64);
        int cap = c->Cpus[0].Capacity;
        Assert.Equal(32, cap);
        var objs = new List<ulong>();
        objs.Add((ulong)KmemCache.Alloc(c));
        Assert.Equal(cap / 2 - 1, c->Cpus[0].AllocCount);
        Assert.Equal((ulong)cap / 2, c->ObjectsOutOfSlabs);
        for (int i = 0; i < 200; i++) objs.Add((ulong)KmemCache.Alloc(c));
        foreach (ulong p in objs) KmemCache.Free(c, (void*)p);
        Assert.True(c->Cpus[0].AllocCount <= cap && c->Cpus[0].FreeCount <= cap);
        Assert.Equal(0UL, c->ActiveObjects);
        Assert.Equal(c->ObjectsInSheaves, c->ObjectsOutOfSlabs);
    }

    [Fact]
    public void Empty_slabs_beyond_the_reserve_go_back_to_the_page_allocator()
    {
        using var f = new SlabFixture();
        ulong before = f.BuddyFreeFrames;
        SlabCache* c = f.Create("reserve", 512);
        var objs = new List<ulong>();
        for (int i = 0; i < 80 * 8; i++) objs.Add((ulong)KmemCache.Alloc(c));
        Assert.True(c->TotalSlabs >= 80);
        foreach (ulong p in objs) KmemCache.Free(c, (void*)p);
        // Sheaves hold at most two sheaves' worth; beyond MinEmpty empty slabs went back.
        ulong held = (c->ObjectsInSheaves + c->ObjectsPerSlab - 1) / c->ObjectsPerSlab;
        Assert.True(c->TotalSlabs <= c->MinEmpty + held + 1, $"{c->TotalSlabs} slabs kept");
        KmemCache.Shrink(c, 0);
        Assert.Equal(0u, c->TotalSlabs);
        Assert.Equal(SlabStatus.Ok, f.A->DestroyCache(c, out _));
        KmemCache.Shrink(f.A->CacheOfCaches, 1);
        ulong after = f.BuddyFreeFrames;
        Assert.True(before - after <= 1, $"{before - after} frames not returned");
    }

    [Fact]
    public void Free_pointers_are_hardened_never_a_plain_address()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("hardened", 64);
        void* p = KmemCache.Alloc(c);
        uint pfn = (uint)(PhysicalMap.ToPhysical(p) >> 12);
        byte* slab = (byte*)PhysicalMap.ToVirtual((ulong)pfn << 12);
        int plain = 0, free = 0;
        for (uint i = 0; i < c->ObjectsPerSlab; i++)
        {
            ulong word = *(ulong*)(slab + i * c->Stride);
            if (word - (ulong)slab < c->SlabBytes) plain++;
            free++;
        }
        Assert.Equal(0, plain);
        Assert.True(free > 16);
        // The same layout with another secret stores other words.
        Assert.NotEqual(0UL, c->Secret);
        KmemCache.Free(c, p);
    }

    [Fact]
    public void Destroy_reports_each_leaked_object_and_keeps_the_cache()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("leaky", 128);
        void* a = KmemCache.Alloc(c);
        void* b = KmemCache.Alloc(c);
        KmemCache.Free(c, a);
        Assert.Equal(SlabStatus.Busy, f.A->DestroyCache(c, out ulong leaked));
        Assert.Equal(1UL, leaked);
        Assert.Equal(1, f.CountReports(SlabError.Leaked));
        Assert.Equal((ulong)b, f.Reports[0].Object);
        Assert.Contains("slab: BUG leaky: object still allocated", f.ReportTexts[0]);
        KmemCache.Free(c, b);
        Assert.Equal(SlabStatus.Ok, f.A->DestroyCache(c, out leaked));
        Assert.Equal(0UL, leaked);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        using var f = new SlabFixture();
        Assert.True(f.A->CreateCache(null, 8, 0, 0, null, out SlabStatus s) == null);
        Assert.Equal(SlabStatus.InvalidArgument, s);
        Assert.True(f.A->CreateCache("zero", 0, 0, 0, null, out s) == null);
        Assert.True(f.A->CreateCache("huge", 1 << 20, 0, 0, null, out s) == null);
        Assert.True(f.A->CreateCache("align", 64, 24, 0, null, out s) == null);
        Assert.Equal(SlabStatus.InvalidArgument, f.A->DestroyCache(null, out _));
        Assert.Equal(SlabStatus.InvalidArgument, f.A->DestroyCache(f.A->CacheOfCaches, out _));
    }

    [Fact]
    public void Out_of_pages_returns_null_and_recovers()
    {
        using var f = new SlabFixture(ramBytes: 2 * SlabFixture.MiB);
        SlabCache* c = f.Create("exhaust", 1024);
        var objs = new List<ulong>();
        while (true)
        {
            void* p = KmemCache.Alloc(c);
            if (p == null) break;
            objs.Add((ulong)p);
        }
        Assert.True(objs.Count > 1000);
        Assert.True(c->AllocationFailures > 0);
        Assert.True(KmemCache.Alloc(c) == null);
        foreach (ulong p in objs) KmemCache.Free(c, (void*)p);
        Assert.True(KmemCache.Alloc(c) != null);
    }

    [Fact]
    public void Shutdown_gives_every_page_back()
    {
        using var f = new SlabFixture();
        ulong before = f.FreeFramesBefore;
        SlabCache* c = f.Create("x", 300);
        var objs = new List<ulong>();
        for (int i = 0; i < 3000; i++) objs.Add((ulong)KmemCache.Alloc(c));
        for (int i = 0; i < 3000; i++) objs.Add((ulong)f.A->Kmalloc((ulong)(i % 9000)));
        foreach (ulong p in objs) f.A->Kfree((void*)p);
        Assert.Equal(SlabStatus.Ok, f.A->DestroyCache(c, out _));
        Assert.Equal(SlabStatus.Ok, f.A->Shutdown());
        Assert.Equal(before, f.BuddyFreeFrames);
        f.Buddy.AssertInvariants();
    }
}
