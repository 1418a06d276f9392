using System;
using Kernel.Memory.Physical;
using Xunit;
using static Kernel.Tests.Memory.Physical.BuddyFixture;

namespace Kernel.Tests.Memory.Physical;

/// <summary>Bad frees are detected, named by frame, counted, and change nothing else.</summary>
public unsafe class FreeErrorTests
{
    // DMA32 [16 MiB, 20 MiB) all free, [20 MiB, 21 MiB) reserved; a hole; Normal [4 GiB, +4 MiB).
    static BuddyFixture Layout()
    {
        var f = new BuddyFixture((16 * MiB, 21 * MiB), (4 * GiB, 4 * GiB + 4 * MiB));
        f.AddFree(16 * MiB, 20 * MiB);
        f.AddFree(4 * GiB, 4 * GiB + 4 * MiB);
        f.A.SetPerCpuLimits(4, 16);
        return f;
    }

    static void AssertRejected(BuddyFixture f, Func<FreeResult> free, FreeStatus status, ulong pfn)
    {
        var before = f.Snapshot();
        PhysicalMemoryStats s0 = f.Stats();
        ulong errors0 = f.A.State->FreeErrors[(int)status];
        ulong total0 = f.A.State->TotalFreeErrors;

        FreeResult r = free();

        Assert.Equal(status, r.Status);
        Assert.Equal(pfn, r.Pfn);
        Assert.Equal(errors0 + 1, f.A.State->FreeErrors[(int)status]);
        Assert.Equal(total0 + 1, f.A.State->TotalFreeErrors);
        Assert.Equal(status, f.A.State->LastError);
        Assert.Equal(pfn, f.A.State->LastErrorPfn);
        Assert.Equal(before, f.Snapshot());
        PhysicalMemoryStats s1 = f.Stats();
        Assert.Equal(s0.FreeFrames, s1.FreeFrames);
        Assert.Equal(s0.PerCpuFrames, s1.PerCpuFrames);
        Assert.Equal(s0.AllocatedFrames, s1.AllocatedFrames);
        f.AssertInvariants();
    }

    [Fact]
    public void Double_free_through_the_cache_is_detected()
    {
        using var f = Layout();
        ulong p = f.A.AllocatePage();
        Assert.True(f.A.FreePage(p).IsOk);
        AssertRejected(f, () => f.A.FreePage(p), FreeStatus.DoubleFree, p >> 12);
        AssertRejected(f, () => f.A.FreePagesDirect(p, 0), FreeStatus.DoubleFree, p >> 12);
    }

    [Fact]
    public void Double_free_after_the_frame_merged_into_a_bigger_block_is_detected()
    {
        using var f = Layout();
        ulong p = f.A.AllocatePagesDirect(0, ZoneType.Dma32);
        ulong q = f.A.AllocatePagesDirect(0, ZoneType.Dma32);
        Assert.True(f.A.FreePagesDirect(q, 0).IsOk);              // q merges into an order-10 block
        Assert.True(f.A.FreePagesDirect(p, 0).IsOk);
        AssertRejected(f, () => f.A.FreePage(q), FreeStatus.DoubleFree, q >> 12);   // a tail now
        AssertRejected(f, () => f.A.FreePagesDirect(p, 0), FreeStatus.DoubleFree, p >> 12); // a head
        AssertRejected(f, () => f.A.FreePagesDirect(p, 3), FreeStatus.DoubleFree, p >> 12);
    }

    [Fact]
    public void Freeing_a_reserved_frame_is_detected()
    {
        using var f = Layout();
        ulong reserved = 20 * MiB + 4096 * 3;
        AssertRejected(f, () => f.A.FreePage(reserved), FreeStatus.ReservedFrame, reserved >> 12);
        AssertRejected(f, () => f.A.FreePagesDirect(20 * MiB, 4), FreeStatus.ReservedFrame, 20 * MiB >> 12);
    }

    [Fact]
    public void Misaligned_frees_are_detected()
    {
        using var f = Layout();
        ulong p = f.A.AllocatePagesDirect(2, ZoneType.Dma32);
        AssertRejected(f, () => f.A.FreePages(p + 4096, 2), FreeStatus.Misaligned, (p >> 12) + 1);
        AssertRejected(f, () => f.A.FreePagesDirect(p + 4096 * 2, 1), FreeStatus.OrderMismatch, (p >> 12) + 2);
        AssertRejected(f, () => f.A.FreePage(p + 8), FreeStatus.Misaligned, p >> 12);
        AssertRejected(f, () => f.A.FreePagesDirect(p + 2 * 4096, 2), FreeStatus.Misaligned, (p >> 12) + 2);
        Assert.True(f.A.FreePagesDirect(p, 2).IsOk);
    }

    [Fact]
    public void Frees_outside_ram_are_detected()
    {
        using var f = Layout();
        AssertRejected(f, () => f.A.FreePage(21 * MiB), FreeStatus.OutsideRam, 21 * MiB >> 12);       // after the range
        AssertRejected(f, () => f.A.FreePage(1 * GiB), FreeStatus.OutsideRam, 1 * GiB >> 12);         // the hole
        AssertRejected(f, () => f.A.FreePage(0), FreeStatus.OutsideRam, 0);                            // below all RAM
        AssertRejected(f, () => f.A.FreePagesDirect(64 * GiB, 10), FreeStatus.OutsideRam, 64 * GiB >> 12);
        AssertRejected(f, () => f.A.FreePage(ulong.MaxValue & ~0xFFFUL), FreeStatus.OutsideRam, ulong.MaxValue >> 12);
    }

    [Fact]
    public void Frees_with_the_wrong_order_are_detected()
    {
        using var f = Layout();
        ulong p = f.A.AllocatePagesDirect(2, ZoneType.Dma32);
        AssertRejected(f, () => f.A.FreePages(p, 1), FreeStatus.OrderMismatch, p >> 12);
        AssertRejected(f, () => f.A.FreePages(p, 3), FreeStatus.OrderMismatch, p >> 12);
        AssertRejected(f, () => f.A.FreePage(p + 3 * 4096), FreeStatus.OrderMismatch, (p >> 12) + 3);   // a tail
        AssertRejected(f, () => f.A.FreePages(p, 11), FreeStatus.InvalidOrder, p >> 12);
        AssertRejected(f, () => f.A.FreePages(p, -1), FreeStatus.InvalidOrder, p >> 12);
        Assert.True(f.A.FreePages(p, 2).IsOk);
        Assert.Equal(0UL, f.A.AllocatePages(11, ZoneType.Normal));
        Assert.Equal(0UL, f.A.AllocatePagesDirect(-1, ZoneType.Normal));
    }

    [Fact]
    public void Error_descriptions_are_named()
    {
        Assert.Equal("double free", FreeResult.Describe(FreeStatus.DoubleFree));
        Assert.Equal("free outside RAM", FreeResult.Describe(FreeStatus.OutsideRam));
        var r = new FreeResult(FreeStatus.Misaligned, 0x1234);
        Assert.Equal(0x1234000UL, r.PhysicalAddress);
        Assert.False(r.IsOk);
    }
}
