using Kernel.Memory.Slab;
using Kernel.Tests.Memory.Physical;
using Xunit;

namespace Kernel.Tests.Memory.Slab;

/// <summary>slab_debug F, Z, P, U on the host: each corruption is caught, counted, named.</summary>
[Collection(PhysicalMapCollection.Name)]
public unsafe class SlabDebugTests
{
    [Fact]
    public void Debug_caches_bypass_the_sheaves_and_plain_ones_use_them()
    {
        using var f = new SlabFixture();
        SlabCache* plain = f.Create("plain", 64);
        SlabCache* debug = f.Create("debug", 64, 0, SlabFlags.Poison);
        Assert.Equal(32, plain->Cpus[0].Capacity);
        Assert.Equal(0, debug->Cpus[0].Capacity);
        void* p = KmemCache.Alloc(debug);
        Assert.Equal(1UL, debug->ObjectsOutOfSlabs);            // one object, straight from the slab
        KmemCache.Free(debug, p);
        Assert.Equal(0UL, debug->ObjectsOutOfSlabs);
    }

    [Fact]
    public void Layout_puts_red_zones_free_pointer_and_tracks_outside_the_object()
    {
        using var f = new SlabFixture(debug: SlabFlags.DebugMask);
        SlabCache* c = f.Create("layout", 50);
        Assert.Equal(16u, c->ObjectOffset);                     // left red zone
        Assert.Equal(56u, c->InUseBytes);
        Assert.True(c->FreePointerOffset >= c->ObjectOffset + c->InUseBytes + 8);
        Assert.True(c->TrackOffset > c->FreePointerOffset);
        Assert.True(c->Stride >= c->TrackOffset + 2 * (uint)sizeof(SlabTrack));
        byte* p = (byte*)KmemCache.Alloc(c);
        Assert.Equal(SlabDebug.RedActive, p[50]);
        Assert.Equal(SlabDebug.RedActive, p[-1]);
        Assert.Equal(SlabDebug.PoisonFree, p[0]);               // allocated objects keep the poison
        KmemCache.Free(c, p);
        Assert.Equal(SlabDebug.PoisonEnd, p[49]);
        Assert.Equal(SlabDebug.RedInactive, p[50]);
        Assert.Equal(0UL, f.A->Reports);
    }

    [Fact]
    public void Write_past_the_end_is_caught_on_free_with_offset_and_byte()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("rz", 64, 0, SlabFlags.RedZone);
        byte* p = (byte*)KmemCache.Alloc(c);
        p[64] = 0x41;
        KmemCache.Free(c, p);
        Assert.Equal(1, f.CountReports(SlabError.WritePastEnd));
        Assert.Equal(64, f.Reports[0].Offset);
        Assert.Equal(0x41, f.Reports[0].Found);
        Assert.Equal(SlabDebug.RedActive, f.Reports[0].Expected);
        Assert.Contains("slab: BUG rz: write past the end", f.ReportTexts[0]);
        Assert.Contains($"object 0x{(ulong)p:x16}", f.ReportTexts[0]);
        // Repaired: a second round trip is clean.
        KmemCache.Free(c, KmemCache.Alloc(c));
        Assert.Single(f.Reports);
    }

    [Fact]
    public void Write_before_the_start_is_caught()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("left", 64, 0, SlabFlags.RedZone);
        byte* p = (byte*)KmemCache.Alloc(c);
        p[-3] = 0;
        KmemCache.Free(c, p);
        Assert.Equal(1, f.CountReports(SlabError.WriteBeforeStart));
        Assert.Equal(-3, f.Reports[0].Offset);
    }

    [Fact]
    public void Kmalloc_red_zone_starts_at_the_requested_size()
    {
        using var f = new SlabFixture(debug: SlabFlags.RedZone);
        byte* p = (byte*)f.A->Kmalloc(18);
        Assert.Equal(18UL, f.A->Ksize(p));
        p[17] = 1;                                              // allowed
        p[18] = 2;                                              // inside the class, past the request
        f.A->Kfree(p);
        Assert.Equal(1, f.CountReports(SlabError.WritePastEnd));
        Assert.Equal(18, f.Reports[0].Offset);
        byte* q = (byte*)f.A->Kmalloc(18);
        byte* r = (byte*)f.A->Krealloc(q, 30);                  // grows inside the class
        Assert.True(r == q);
        r[29] = 3;
        f.A->Kfree(r);
        Assert.Single(f.Reports);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(63)]
    public void Write_after_free_is_caught_on_the_next_allocation(int offset)
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("poison", 64, 0, SlabFlags.Poison);
        byte* p = (byte*)KmemCache.Alloc(c);
        KmemCache.Free(c, p);
        p[offset] = 0x9a;
        byte* q = (byte*)KmemCache.Alloc(c);
        Assert.True(q == p);
        Assert.Equal(1, f.CountReports(SlabError.WriteAfterFree));
        Assert.Equal(offset, f.Reports[0].Offset);
        Assert.Equal(0x9a, f.Reports[0].Found);
        KmemCache.Free(c, q);
    }

    [Fact]
    public void Double_free_is_refused_with_F_and_with_Z_alone()
    {
        foreach (SlabFlags flags in new[] { SlabFlags.ConsistencyChecks, SlabFlags.RedZone })
        {
            using var f = new SlabFixture();
            SlabCache* c = f.Create("df", 64, 0, flags);
            void* keep = KmemCache.Alloc(c);
            void* p = KmemCache.Alloc(c);
            KmemCache.Free(c, p);
            KmemCache.Free(c, p);
            Assert.Equal(1, f.CountReports(SlabError.DoubleFree));
            void* a = KmemCache.Alloc(c), b = KmemCache.Alloc(c);
            Assert.True(a != b, flags + ": object handed out twice after a double free");
            KmemCache.Free(c, a); KmemCache.Free(c, b); KmemCache.Free(c, keep);
            Assert.Equal(SlabStatus.Ok, f.A->DestroyCache(c, out _));
        }
    }

    [Fact]
    public void Corrupt_free_pointer_fences_the_slab_off_even_without_debug()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("fp", 64, 0, SlabFlags.Poison);
        byte* p = (byte*)KmemCache.Alloc(c);
        KmemCache.Free(c, p);
        *(ulong*)(p - c->ObjectOffset + c->FreePointerOffset) ^= 0x40;
        byte* q = (byte*)KmemCache.Alloc(c);
        Assert.Equal(1, f.CountReports(SlabError.FreePointerCorrupt));
        byte* r = (byte*)KmemCache.Alloc(c);
        Assert.True(r != null && r != q);
        KmemCache.Free(c, q);
        KmemCache.Free(c, r);
        Assert.Equal(SlabStatus.Ok, f.A->DestroyCache(c, out _));
    }

    [Fact]
    public void Wrong_cache_foreign_and_interior_frees_are_refused()
    {
        using var f = new SlabFixture();
        SlabCache* a = f.Create("a", 64, 0, SlabFlags.ConsistencyChecks);
        SlabCache* b = f.Create("b", 64, 0, SlabFlags.ConsistencyChecks);
        byte* p = (byte*)KmemCache.Alloc(a);
        KmemCache.Free(b, p);
        KmemCache.Free(a, p + 8);
        ulong x;
        KmemCache.Free(a, &x);
        Assert.Equal(1, f.CountReports(SlabError.WrongCache));
        Assert.Equal(1, f.CountReports(SlabError.NotObjectStart));
        Assert.Equal(1, f.CountReports(SlabError.ForeignPointer));
        Assert.Equal(1UL, a->ActiveObjects);
        KmemCache.Free(a, p);
    }

    [Fact]
    public void Owner_records_use_the_capture_hook()
    {
        using var f = new SlabFixture(debug: SlabFlags.StoreUser);
        f.A->Hooks.CaptureCallers = &FakeCallers;
        SlabCache* c = f.Create("owner", 40);
        byte* p = (byte*)KmemCache.Alloc(c);
        SlabTrack* t = (SlabTrack*)(p - c->ObjectOffset + c->TrackOffset);
        Assert.Equal(2u, t->Count);
        Assert.Equal(0x1111UL, t->Callers[0]);
        KmemCache.Free(c, p);
        Assert.Equal(2u, t[1].Count);
    }

    static int FakeCallers(ulong* callers, int max)
    {
        callers[0] = 0x1111;
        callers[1] = 0x2222;
        return 2;
    }

    [Fact]
    public void Debug_everywhere_still_serves_kmalloc_correctly()
    {
        using var f = new SlabFixture(debug: SlabFlags.DebugMask);
        for (ulong size = 1; size <= 9000; size += 37)
        {
            byte* p = (byte*)f.A->Kzalloc(size);
            for (ulong i = 0; i < size; i++) Assert.Equal(0, p[i]);
            for (ulong i = 0; i < size; i++) p[i] = 0x77;
            f.A->Kfree(p);
        }
        Assert.Equal(0UL, f.A->Reports);
        Assert.Equal(SlabStatus.Ok, f.A->Shutdown());
        Assert.Equal(f.FreeFramesBefore, f.BuddyFreeFrames);
    }
}
