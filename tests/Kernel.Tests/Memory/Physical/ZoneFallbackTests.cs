using System.Collections.Generic;
using Kernel.Memory.Physical;
using Xunit;
using static Kernel.Tests.Memory.Physical.BuddyFixture;

namespace Kernel.Tests.Memory.Physical;

/// <summary>Zone boundaries and the fallback order Normal -> DMA32 -> DMA.</summary>
public unsafe class ZoneFallbackTests
{
    // DMA: [1 MiB, 16 MiB) = 3840 frames; DMA32: [16 MiB, 24 MiB) = 2048; Normal: [4 GiB, 4 GiB + 8 MiB) = 2048.
    static BuddyFixture ThreeZones() => AllFree((1 * MiB, 24 * MiB), (4 * GiB, 4 * GiB + 8 * MiB));

    static ZoneType ZoneOf(ulong phys) => Zones.Of(phys >> 12);

    [Fact]
    public void A_range_across_zone_boundaries_is_split_by_zone()
    {
        using var f = ThreeZones();
        Assert.Equal(3840UL, f.A.ZoneFreeFrames(ZoneType.Dma));
        Assert.Equal(2048UL, f.A.ZoneFreeFrames(ZoneType.Dma32));
        Assert.Equal(2048UL, f.A.ZoneFreeFrames(ZoneType.Normal));
        f.AssertInvariants();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Normal_exhausted_falls_back_to_DMA32_then_DMA_then_fails(bool perCpu)
    {
        using var f = ThreeZones();
        var seen = new List<ZoneType>();
        ulong total = 3840 + 2048 + 2048;
        for (ulong i = 0; i < total; i++)
        {
            ulong p = perCpu ? f.A.AllocatePage() : f.A.AllocatePagesDirect(0, ZoneType.Normal);
            Assert.NotEqual(0UL, p);
            ZoneType z = ZoneOf(p);
            if (seen.Count == 0 || seen[^1] != z)
                seen.Add(z);
        }
        Assert.Equal(new[] { ZoneType.Normal, ZoneType.Dma32, ZoneType.Dma }, seen);
        Assert.Equal(0UL, f.A.AllocatePage());
        Assert.Equal(0UL, f.A.AllocatePagesDirect(0, ZoneType.Normal));
        Assert.Equal(2UL, f.A.State->AllocationFailures);
        f.AssertInvariants();
    }

    [Fact]
    public void A_DMA32_request_never_returns_Normal_memory()
    {
        using var f = ThreeZones();
        int n = 0;
        // Mixed orders until one fails, then single frames until nothing is left below 4 GiB.
        for (bool mixed = true; ; n++)
        {
            ulong p = mixed && (n & 1) == 1 ? f.A.AllocatePagesDirect(1, ZoneType.Dma32) : f.A.AllocatePages(0, ZoneType.Dma32);
            if (p == 0)
            {
                if (!mixed)
                    break;
                mixed = false;
                continue;
            }
            Assert.True(p < 4 * GiB, $"DMA32 request got {p:x}");
        }
        Assert.Equal(2048UL, f.A.ZoneFreeFrames(ZoneType.Normal));
        Assert.Equal(0UL, f.A.ZoneFreeFrames(ZoneType.Dma32));
        Assert.Equal(0UL, f.A.ZoneFreeFrames(ZoneType.Dma));
        f.AssertInvariants();
    }

    [Fact]
    public void A_DMA_request_stays_below_16_MiB()
    {
        using var f = ThreeZones();
        ulong frames = 0;
        for (;;)
        {
            ulong p = f.A.AllocatePagesDirect(3, ZoneType.Dma);
            if (p == 0)
                break;
            Assert.True(p + 8 * 4096 <= 16 * MiB);
            frames += 8;
        }
        Assert.Equal(3840UL, frames);
        Assert.Equal(2048UL, f.A.ZoneFreeFrames(ZoneType.Dma32));
        Assert.Equal(2048UL, f.A.ZoneFreeFrames(ZoneType.Normal));
    }

    [Fact]
    public void A_large_order_falls_back_when_the_preferred_zone_is_fragmented()
    {
        using var f = ThreeZones();
        // Pin one frame in each order-10 block of Normal: no order-10 block left there.
        var pins = new List<ulong>();
        for (int i = 0; i < 2048; i++)
            pins.Add(f.A.AllocatePagesDirect(0, ZoneType.Normal));
        for (int i = 0; i < 2048; i++)
            if (i % 1024 != 0)
                Assert.True(f.A.FreePagesDirect(pins[i], 0).IsOk);
        Assert.Equal(2046UL, f.A.ZoneFreeFrames(ZoneType.Normal));
        ulong p = f.A.AllocatePagesDirect(10, ZoneType.Normal);
        Assert.Equal(ZoneType.Dma32, ZoneOf(p));
        f.AssertInvariants();
    }

    [Fact]
    public void Zone_lookup_matches_the_boundaries()
    {
        Assert.Equal(ZoneType.Dma, Zones.Of(4095));
        Assert.Equal(ZoneType.Dma32, Zones.Of(4096));
        Assert.Equal(ZoneType.Dma32, Zones.Of((1UL << 20) - 1));
        Assert.Equal(ZoneType.Normal, Zones.Of(1UL << 20));
        Assert.Equal("DMA", Zones.Name(ZoneType.Dma));
        Assert.Equal("DMA32", Zones.Name(ZoneType.Dma32));
        Assert.Equal("Normal", Zones.Name(ZoneType.Normal));
    }
}
