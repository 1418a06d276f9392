using System;
using System.Collections.Generic;
using Kernel.Memory.Physical;
using Xunit;
using static Kernel.Tests.Memory.Physical.BuddyFixture;

namespace Kernel.Tests.Memory.Physical;

/// <summary>Split on allocation, coalesce on free, alignment, block ownership.</summary>
public unsafe class BuddySplitCoalesceTests
{
    // One order-10 block (4 MiB) of DMA32 memory at 16 MiB.
    static BuddyFixture OneMaxBlock() => AllFree((16 * MiB, 20 * MiB));

    [Fact]
    public void Order0_from_a_fresh_order10_block_leaves_one_block_of_each_order_0_to_9()
    {
        using var f = OneMaxBlock();
        Assert.Equal(1UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        ulong p = f.A.AllocatePagesDirect(0, ZoneType.Dma32);
        Assert.Equal(16 * MiB, p);                                       // lowest frame of the block
        for (int o = 0; o <= 9; o++)
            Assert.Equal(1UL, f.A.FreeBlocks(ZoneType.Dma32, o));
        Assert.Equal(0UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        Assert.Equal(1023UL, f.A.FreeFrames);
        // Each upper half is where the split put it: order o at base + 2^o.
        for (int o = 0; o <= 9; o++)
        {
            PageDescriptor* d = f.A.Descriptor(16 * MiB / 4096 + (1UL << o));
            Assert.Equal(FrameFlags.Free, d->Flags & FrameFlags.StateMask);
            Assert.Equal((byte)o, d->Order);
        }
        f.AssertInvariants();
    }

    [Fact]
    public void Freeing_the_split_frame_coalesces_back_to_one_order10_block()
    {
        using var f = OneMaxBlock();
        ulong p = f.A.AllocatePagesDirect(0, ZoneType.Dma32);
        Assert.True(f.A.FreePagesDirect(p, 0).IsOk);
        for (int o = 0; o <= 9; o++)
            Assert.Equal(0UL, f.A.FreeBlocks(ZoneType.Dma32, o));
        Assert.Equal(1UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        f.AssertInvariants();
    }

    [Fact]
    public void Freeing_all_1024_frames_in_random_order_merges_up_to_the_max_order()
    {
        using var f = OneMaxBlock();
        var pages = new List<ulong>();
        for (int i = 0; i < 1024; i++)
        {
            ulong p = f.A.AllocatePagesDirect(0, ZoneType.Dma32);
            Assert.NotEqual(0UL, p);
            pages.Add(p);
        }
        Assert.Equal(0UL, f.A.AllocatePagesDirect(0, ZoneType.Dma32));
        Assert.Equal(1024, new HashSet<ulong>(pages).Count);
        var rng = new Random(7);
        for (int i = pages.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (pages[i], pages[j]) = (pages[j], pages[i]);
        }
        for (int i = 0; i < pages.Count; i++)
        {
            Assert.True(f.A.FreePagesDirect(pages[i], 0).IsOk);
            if (i % 97 == 0)
                f.AssertInvariants($"after {i + 1} frees");
        }
        Assert.Equal(1UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        Assert.Equal(1024UL, f.A.FreeFrames);
        f.AssertInvariants();
    }

    [Fact]
    public void Buddies_merge_only_with_their_own_buddy()
    {
        using var f = OneMaxBlock();
        ulong a = f.A.AllocatePagesDirect(0, ZoneType.Dma32);   // pfn base
        ulong b = f.A.AllocatePagesDirect(0, ZoneType.Dma32);   // pfn base+1 (a's buddy)
        ulong c = f.A.AllocatePagesDirect(0, ZoneType.Dma32);   // pfn base+2
        Assert.Equal(a + 4096, b);
        Assert.Equal(a + 8192, c);
        Assert.True(f.A.FreePagesDirect(b, 0).IsOk);             // b alone: its buddy a is allocated
        Assert.Equal(2UL, f.A.FreeBlocks(ZoneType.Dma32, 0));     // b and base+3
        Assert.True(f.A.FreePagesDirect(c, 0).IsOk);             // c merges with base+3 into order 1
        Assert.Equal(1UL, f.A.FreeBlocks(ZoneType.Dma32, 0));
        Assert.Equal(1UL, f.A.FreeBlocks(ZoneType.Dma32, 1));
        f.AssertInvariants();
        Assert.True(f.A.FreePagesDirect(a, 0).IsOk);             // a+b, then +[2,4), ... up to 10
        Assert.Equal(1UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        f.AssertInvariants();
    }

    [Fact]
    public void Every_order_is_aligned_to_its_size_and_freed_blocks_merge()
    {
        using var f = AllFree((16 * MiB, 32 * MiB));
        var got = new List<(ulong, int)>();
        for (int o = 10; o >= 0; o--)
        {
            ulong p = f.A.AllocatePagesDirect(o, ZoneType.Dma32);
            Assert.NotEqual(0UL, p);
            Assert.Equal(0UL, (p >> 12) & ((1UL << o) - 1));
            PageDescriptor* d = f.A.Descriptor(p >> 12);
            Assert.Equal(FrameFlags.Allocated, d->Flags & FrameFlags.StateMask);
            Assert.Equal((byte)o, d->Order);
            got.Add((p, o));
        }
        f.AssertInvariants();
        foreach (var (p, o) in got)
            Assert.True(f.A.FreePagesDirect(p, o).IsOk);
        Assert.Equal(4UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        f.AssertInvariants();
    }

    [Fact]
    public void Blocks_do_not_merge_across_a_hole_or_reserved_frames()
    {
        // RAM [16 MiB, 18 MiB) and [18 MiB + 4 KiB, 20 MiB): frame 4608 missing; also keep 4097 reserved.
        using var f = new BuddyFixture((16 * MiB, 18 * MiB), (18 * MiB + 4096, 20 * MiB));
        Assert.True(f.A.AddFreeRange(4096, 4097).IsOk);
        Assert.True(f.A.AddFreeRange(4098, 4608).IsOk);
        Assert.True(f.A.AddFreeRange(4609, 5120).IsOk);
        Assert.Equal(0UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        Assert.Equal(0UL, f.A.FreeBlocks(ZoneType.Dma32, 9));
        Assert.Equal(1022UL, f.A.FreeFrames);
        f.AssertInvariants();
        // An order-9 block needs 512 aligned frames: none exists.
        Assert.Equal(0UL, f.A.AllocatePagesDirect(9, ZoneType.Dma32));
        Assert.Equal(1UL, f.A.State->AllocationFailures);
    }

    [Fact]
    public void Owner_bits_and_private_word_are_cleared_when_a_block_comes_back()
    {
        using var f = OneMaxBlock();
        ulong p = f.A.AllocatePagesDirect(2, ZoneType.Dma32);
        PageDescriptor* d = f.A.Descriptor(p >> 12);
        d->Flags |= (FrameFlags)0x0100;                           // an owner's bit (slab, say)
        d->Private = 0xdeadbeef;
        d->Next = 12345;                                         // owners may use the links
        Assert.True(f.A.FreePagesDirect(p, 2).IsOk);
        f.AssertInvariants();
        ulong q = f.A.AllocatePagesDirect(2, ZoneType.Dma32);
        Assert.Equal(p, q);
        Assert.Equal(FrameFlags.Allocated, d->Flags);
        Assert.Equal(0u, d->Private);
    }

    [Fact]
    public void Independent_allocators_do_not_share_state()
    {
        using var f1 = OneMaxBlock();
        using var f2 = OneMaxBlock();
        ulong p = f1.A.AllocatePage();
        Assert.NotEqual(0UL, p);
        Assert.Equal(1024UL, f2.A.FreeFrames);
        Assert.Equal(FreeStatus.DoubleFree, f2.A.FreePage(p).Status);
        Assert.True(f1.A.FreePage(p).IsOk);
        // A copy of the handle is the same allocator.
        BuddyAllocator copy = f1.A;
        ulong q = copy.AllocatePagesDirect(3, ZoneType.Normal);
        Assert.Equal(FrameFlags.Allocated, f1.A.Descriptor(q >> 12)->Flags & FrameFlags.StateMask);
    }
}
