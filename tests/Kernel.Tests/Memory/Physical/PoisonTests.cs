using Kernel.Memory.Physical;
using Xunit;
using static Kernel.Tests.Memory.Physical.BuddyFixture;

namespace Kernel.Tests.Memory.Physical;

/// <summary>Page poisoning: freed frames hold 0xaa, allocation checks and zeroes them.</summary>
[Collection(PhysicalMapCollection.Name)]
public unsafe class PoisonTests
{
    const ulong Base = 16 * MiB, Size = 8 * MiB;      // two order-10 blocks of DMA32, backed by host memory

    static bool All(byte* p, int n, byte value)
    {
        for (int i = 0; i < n; i++)
            if (p[i] != value)
                return false;
        return true;
    }

    [Fact]
    public void Freed_frames_hold_the_pattern_and_come_back_zeroed()
    {
        using var ram = new HostRam(Base, Size);
        using var f = AllFree((Base, Base + Size));
        f.A.PoisonOnFree = true;
        ulong p = f.A.AllocatePage();
        Assert.True(All(ram.At(p), 4096, 0));                     // zeroed on allocation
        ram.At(p)[100] = 42;
        Assert.True(f.A.FreePage(p).IsOk);
        Assert.True(All(ram.At(p), 4096, 0xaa));
        Assert.True((f.A.Descriptor(p >> 12)->Flags & FrameFlags.Poisoned) != 0);
        ulong q = f.A.AllocatePage();                             // LIFO: the same frame
        Assert.Equal(p, q);
        Assert.True(All(ram.At(q), 4096, 0));
        Assert.Equal(FrameFlags.Allocated, f.A.Descriptor(q >> 12)->Flags);
        Assert.Equal(0UL, f.A.State->PoisonCorruptions);
        f.AssertInvariants();
    }

    [Fact]
    public void A_write_after_free_is_reported_with_its_frame()
    {
        using var ram = new HostRam(Base, Size);
        using var f = AllFree((Base, Base + Size));
        f.A.PoisonOnFree = true;
        ulong p = f.A.AllocatePage();
        Assert.True(f.A.FreePage(p).IsOk);
        ram.At(p)[4095] = 0x00;                                   // use after free
        ulong q = f.A.AllocatePage();
        Assert.Equal(p, q);
        Assert.Equal(1UL, f.A.State->PoisonCorruptions);
        Assert.Equal(p >> 12, f.A.State->LastPoisonPfn);
        Assert.True(All(ram.At(q), 4096, 0));
    }

    [Fact]
    public void Large_blocks_are_poisoned_frame_by_frame_through_merges_and_splits()
    {
        using var ram = new HostRam(Base, Size);
        using var f = AllFree((Base, Base + Size));
        f.A.PoisonOnFree = true;
        ulong a = f.A.AllocatePagesDirect(10, ZoneType.Dma32);
        ulong b = f.A.AllocatePagesDirect(10, ZoneType.Dma32);
        Assert.NotEqual(0UL, b);
        Assert.True(All(ram.At(a), 4 << 20, 0));
        Assert.True(f.A.FreePagesDirect(a, 10).IsOk);
        Assert.True(All(ram.At(a), 4 << 20, 0xaa));
        ram.At(a + 77 * 4096)[8] = 1;                             // frame 77 of the freed block
        // Take the block back in pieces: only frame 77 is reported.
        for (int i = 0; i < 1024 / 8; i++)
            Assert.NotEqual(0UL, f.A.AllocatePagesDirect(3, ZoneType.Dma32));
        Assert.Equal(1UL, f.A.State->PoisonCorruptions);
        Assert.Equal((a >> 12) + 77, f.A.State->LastPoisonPfn);
        Assert.True(All(ram.At(a), 4 << 20, 0));
        f.AssertInvariants();
    }

    [Fact]
    public void Without_poisoning_frame_contents_are_not_touched()
    {
        using var ram = new HostRam(Base, Size);
        using var f = AllFree((Base, Base + Size));
        ulong p = f.A.AllocatePage();
        Assert.True(All(ram.At(p), 4096, 0x11));                   // HostRam's fill, untouched
        ram.At(p)[0] = 5;
        Assert.True(f.A.FreePage(p).IsOk);
        Assert.Equal(5, ram.At(p)[0]);
        Assert.Equal(p, f.A.AllocatePage());
        Assert.Equal(5, ram.At(p)[0]);
        Assert.Equal(0UL, f.A.State->PoisonCorruptions);
    }

    [Fact]
    public void Poisoned_frames_are_still_checked_after_poisoning_is_switched_off()
    {
        using var ram = new HostRam(Base, Size);
        using var f = AllFree((Base, Base + Size));
        f.A.PoisonOnFree = true;
        ulong p = f.A.AllocatePage();
        Assert.True(f.A.FreePage(p).IsOk);
        f.A.PoisonOnFree = false;
        ram.At(p)[1] = 3;
        Assert.Equal(p, f.A.AllocatePage());
        Assert.Equal(1UL, f.A.State->PoisonCorruptions);
        Assert.Equal(3, ram.At(p)[1]);                            // not zeroed: poisoning is off
        Assert.Equal(FrameFlags.Allocated, f.A.Descriptor(p >> 12)->Flags);
    }
}
