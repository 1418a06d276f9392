using System.Collections.Generic;
using Kernel.Memory.Physical;
using Xunit;
using static Kernel.Tests.Memory.Physical.BuddyFixture;

namespace Kernel.Tests.Memory.Physical;

/// <summary>The per-CPU page cache: batch refill, drain past high, orders 1..3, fallback drain.</summary>
public unsafe class PerCpuCacheTests
{
    // 8 MiB of DMA32 (2048 frames) at 16 MiB.
    static BuddyFixture Small(int batch, int high)
    {
        var f = AllFree((16 * MiB, 24 * MiB));
        f.A.SetPerCpuLimits(batch, high);
        return f;
    }

    [Fact]
    public void Default_batch_and_high_follow_the_zone_size_like_Linux()
    {
        using var f = AllFree((16 * MiB, 16 * MiB + 1 * GiB), (4 * GiB, 4 * GiB + 16 * MiB));
        Assert.Equal(63, f.A.PerCpu(0, ZoneType.Dma32)->Batch);      // 1 MiB worth / 4, rounded to 2^n-1
        Assert.Equal(6 * 63, f.A.PerCpu(0, ZoneType.Dma32)->High);
        Assert.Equal(1, f.A.PerCpu(0, ZoneType.Normal)->Batch);      // 4096 frames: 4/4 = 1
        Assert.Equal(63, PerCpuPages.BatchFor(1UL << 30));
        Assert.Equal(15, PerCpuPages.BatchFor(64 * 1024));
    }

    [Fact]
    public void First_order0_allocation_pulls_one_batch_from_the_buddy_lists()
    {
        using var f = Small(16, 64);
        ulong free0 = f.A.FreeFrames;
        ulong first = f.A.AllocatePage();
        Assert.NotEqual(0UL, first);
        Assert.Equal(free0 - 16, f.A.FreeFrames);
        Assert.Equal(15UL, f.A.PerCpuFrames);
        Assert.Equal(1UL, f.A.State->PerCpuRefills);
        // The next 15 come from the cache without touching the zone lists.
        for (int i = 0; i < 15; i++)
            Assert.NotEqual(0UL, f.A.AllocatePage());
        Assert.Equal(free0 - 16, f.A.FreeFrames);
        Assert.Equal(0UL, f.A.PerCpuFrames);
        Assert.Equal(1UL, f.A.State->PerCpuRefills);
        // The 17th refills again.
        Assert.NotEqual(0UL, f.A.AllocatePage());
        Assert.Equal(free0 - 32, f.A.FreeFrames);
        Assert.Equal(2UL, f.A.State->PerCpuRefills);
        f.AssertInvariants();
    }

    [Fact]
    public void Freeing_past_high_returns_one_batch_of_the_coldest_frames()
    {
        using var f = Small(16, 64);
        var pages = new List<ulong>();
        for (int i = 0; i < 100; i++)
            pages.Add(f.A.AllocatePagesDirect(0, ZoneType.Dma32));
        ulong free0 = f.A.FreeFrames;
        for (int i = 0; i < 64; i++)
            Assert.True(f.A.FreePage(pages[i]).IsOk);
        Assert.Equal(64UL, f.A.PerCpuFrames);                   // at high, not over it
        Assert.Equal(free0, f.A.FreeFrames);
        Assert.True(f.A.FreePage(pages[64]).IsOk);              // 65 > high: drain one batch
        Assert.Equal(65UL - 16, f.A.PerCpuFrames);
        Assert.Equal(free0 + 16, f.A.FreeFrames);
        // The batch that left is the first 16 freed (the cold tail); the rest are still cached.
        for (int i = 0; i < 65; i++)
        {
            PageDescriptor* d = f.A.Descriptor(pages[i] >> 12);
            Assert.Equal(i >= 16, (d->Flags & FrameFlags.PerCpu) != 0);
        }
        f.AssertInvariants();
    }

    [Fact]
    public void Orders_1_to_3_are_cached_with_batch_shifted_by_the_order()
    {
        using var f = Small(16, 64);
        ulong p = f.A.AllocatePages(2, ZoneType.Dma32);          // refill 16 >> 2 = 4 blocks of 4
        Assert.NotEqual(0UL, p);
        Assert.Equal(0UL, (p >> 12) & 3);
        Assert.Equal(12UL, f.A.PerCpuFrames);
        Assert.Equal(3, f.A.PerCpu(0, ZoneType.Dma32)->Blocks[2]);
        ulong q = f.A.AllocatePages(3, ZoneType.Dma32);          // refill 2 blocks of 8
        Assert.Equal(12UL + 8, f.A.PerCpuFrames);
        Assert.True(f.A.FreePages(p, 2).IsOk);
        Assert.True(f.A.FreePages(q, 3).IsOk);
        Assert.Equal(12UL + 8 + 4 + 8, f.A.PerCpuFrames);
        // Order 4 and up bypass the cache.
        ulong r = f.A.AllocatePages(4, ZoneType.Dma32);
        Assert.NotEqual(0UL, r);
        Assert.Equal(32UL, f.A.PerCpuFrames);
        Assert.True(f.A.FreePages(r, 4).IsOk);
        Assert.Equal(32UL, f.A.PerCpuFrames);
        f.AssertInvariants();
        f.A.DrainPerCpu();
        Assert.Equal(0UL, f.A.PerCpuFrames);
        Assert.Equal(2UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        f.AssertInvariants();
    }

    [Fact]
    public void A_frame_is_cached_on_its_own_zone_list()
    {
        using var f = AllFree((1 * MiB, 24 * MiB));
        f.A.SetPerCpuLimits(4, 100);
        ulong p = f.A.AllocatePagesDirect(0, ZoneType.Dma);
        Assert.True(p < 16 * MiB);
        Assert.True(f.A.FreePage(p).IsOk);
        Assert.Equal(1, f.A.PerCpu(0, ZoneType.Dma)->Count);
        Assert.Equal(0, f.A.PerCpu(0, ZoneType.Dma32)->Count);
        // A Normal-preferred allocation (no Normal RAM) takes DMA32, not the cached DMA frame.
        ulong q = f.A.AllocatePage();
        Assert.Equal(ZoneType.Dma32, Zones.Of(q >> 12));
        f.AssertInvariants();
    }

    [Fact]
    public void An_allocation_that_fails_drains_the_cache_and_retries()
    {
        using var f = AllFree((16 * MiB, 20 * MiB));               // one order-10 block
        f.A.SetPerCpuLimits(8, 1000);
        ulong p = f.A.AllocatePage();                             // splits the block, caches 7
        Assert.True(f.A.FreePage(p).IsOk);                        // 8 cached, nothing of order 10 free
        Assert.Equal(0UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        ulong big = f.A.AllocatePagesDirect(10, ZoneType.Dma32);
        Assert.Equal(16 * MiB, big);
        Assert.Equal(0UL, f.A.PerCpuFrames);
        Assert.Equal(0UL, f.A.State->AllocationFailures);
        f.AssertInvariants();
    }

    [Fact]
    public void Lowering_high_shrinks_the_cache_on_the_next_free()
    {
        using var f = Small(8, 1000);
        var pages = new List<ulong>();
        for (int i = 0; i < 200; i++)
            pages.Add(f.A.AllocatePagesDirect(0, ZoneType.Dma32));
        for (int i = 0; i < 199; i++)
            f.A.FreePage(pages[i]);
        Assert.Equal(199UL, f.A.PerCpuFrames);
        f.A.SetPerCpuLimits(8, 50);
        Assert.True(f.A.FreePage(pages[199]).IsOk);
        Assert.True(f.A.PerCpuFrames <= 50, $"cached {f.A.PerCpuFrames}");
        f.AssertInvariants();
    }
}
