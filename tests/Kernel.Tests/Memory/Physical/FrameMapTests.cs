using System.Runtime.InteropServices;
using Kernel.Memory.Physical;
using Xunit;
using static Kernel.Tests.Memory.Physical.BuddyFixture;

namespace Kernel.Tests.Memory.Physical;

/// <summary>Descriptor layout, initialisation, pfn -> descriptor lookup, holes.</summary>
public unsafe class FrameMapTests
{
    [Fact]
    public void Descriptor_is_16_bytes_with_the_documented_layout()
    {
        Assert.Equal(24, sizeof(PageDescriptor));
        Assert.Equal(PageDescriptor.Size, sizeof(PageDescriptor));
        Assert.Equal(0, (int)Marshal.OffsetOf<PageDescriptor>(nameof(PageDescriptor.Next)));
        Assert.Equal(4, (int)Marshal.OffsetOf<PageDescriptor>(nameof(PageDescriptor.Prev)));
        Assert.Equal(8, (int)Marshal.OffsetOf<PageDescriptor>(nameof(PageDescriptor.Private)));
        Assert.Equal(12, (int)Marshal.OffsetOf<PageDescriptor>(nameof(PageDescriptor.Flags)));
        Assert.Equal(14, (int)Marshal.OffsetOf<PageDescriptor>(nameof(PageDescriptor.Order)));
        Assert.Equal(15, (int)Marshal.OffsetOf<PageDescriptor>(nameof(PageDescriptor.Zone)));
        Assert.Equal(16, sizeof(SectionEntry));
    }

    [Fact]
    public void Zone_stats_are_consecutive_so_For_indexes_them()
    {
        PhysicalMemoryStats s = default;
        Assert.True(&s.Dma == PhysicalMemoryStats.For(&s, ZoneType.Dma));
        Assert.True(&s.Dma32 == PhysicalMemoryStats.For(&s, ZoneType.Dma32));
        Assert.True(&s.Normal == PhysicalMemoryStats.For(&s, ZoneType.Normal));
    }

    [Fact]
    public void Initialize_marks_every_ram_frame_reserved_and_nothing_free()
    {
        using var f = new BuddyFixture((1 * MiB, 8 * MiB), (16 * MiB, 20 * MiB));
        Assert.Equal((7 + 4) * MiB / 4096, f.A.TotalFrames);
        Assert.Equal(0UL, f.A.ManagedFrames);
        Assert.Equal(0UL, f.A.FreeFrames);
        Assert.Equal(f.A.TotalFrames, f.A.ReservedFrames);
        Assert.Equal(0UL, f.A.AllocatePage());
        PageDescriptor* d = f.A.Descriptor(256);
        Assert.True(d != null);
        Assert.Equal(FrameFlags.Reserved, d->Flags);
        Assert.Equal((byte)ZoneType.Dma, d->Zone);
        Assert.Equal((byte)ZoneType.Dma32, f.A.Descriptor(16 * MiB / 4096)->Zone);
        f.AssertInvariants();
    }

    [Fact]
    public void Lookup_returns_null_outside_ram_and_in_holes()
    {
        using var f = new BuddyFixture((1 * MiB, 2 * MiB), (3 * MiB, 4 * MiB), (4 * GiB, 4 * GiB + 4 * MiB));
        Assert.True(f.A.Descriptor(255) == null);                    // below the first range
        Assert.True(f.A.Descriptor(256) != null);
        Assert.True(f.A.Descriptor(511) != null);
        Assert.True(f.A.Descriptor(512) == null);                    // hole inside the section array
        Assert.True(f.A.Descriptor(767) == null);
        Assert.True(f.A.Descriptor(768) != null);
        Assert.True(f.A.Descriptor(1024) == null);                   // after the array
        Assert.True(f.A.Descriptor(200_000) == null);                // a section with no RAM
        Assert.True(f.A.Descriptor(4 * GiB / 4096) != null);
        Assert.Equal((byte)ZoneType.Normal, f.A.Descriptor(4 * GiB / 4096)->Zone);
        Assert.True(f.A.Descriptor(4 * GiB / 4096 + 1024) == null);  // after the last frame
        Assert.True(f.A.Descriptor(ulong.MaxValue >> 12) == null);   // far beyond every section
    }

    [Fact]
    public void Partial_pages_at_range_edges_are_dropped_and_overlaps_count_once()
    {
        using var f = new BuddyFixture((1 * MiB + 1, 2 * MiB - 1), (1 * MiB + 512 * KiB, 3 * MiB));
        // [1 MiB + 4 KiB, 3 MiB): the first partial page is dropped, the overlap counted once.
        Assert.Equal(2 * MiB / 4096 - 1, f.A.TotalFrames);
        Assert.True(f.A.Descriptor(256) == null);
        Assert.True(f.A.Descriptor(257) != null);
        f.AssertInvariants();
    }

    [Fact]
    public void Hole_of_512_MiB_costs_no_descriptors()
    {
        // Two 64 MiB regions separated by a 512 MiB gap: metadata follows the 128 MiB of RAM,
        // not the 640 MiB span.
        ulong ram = 128 * MiB;
        using var f = new BuddyFixture((0, 64 * MiB), (576 * MiB, 640 * MiB));
        ulong ramFrames = ram / 4096;
        ulong spanFrames = 640 * MiB / 4096;
        Assert.Equal(ramFrames, f.A.TotalFrames);
        Assert.True(f.MetadataBytes <= ramFrames * (ulong)PageDescriptor.Size + 8192, $"metadata {f.MetadataBytes} bytes for {ramFrames} frames");
        Assert.True(f.MetadataBytes < spanFrames * (ulong)PageDescriptor.Size / 4, $"metadata {f.MetadataBytes} grows with the span");
        for (ulong pfn = 64 * MiB / 4096; pfn < 576 * MiB / 4096; pfn += 997)
            Assert.True(f.A.Descriptor(pfn) == null);
    }

    [Fact]
    public void Qemu_3584M_layout_costs_under_six_tenths_of_a_percent()
    {
        // QEMU pc, -m 3584M: low RAM, 3 GiB below the PCI hole, the rest above 4 GiB.
        using var f = new BuddyFixture((0, 0x9fc00), (1 * MiB, 3 * GiB), (4 * GiB, 4 * GiB + 512 * MiB));
        ulong ramBytes = f.A.TotalFrames * 4096;
        double percent = 100.0 * f.MetadataBytes / ramBytes;
        Assert.InRange(percent, 0.58, 0.60);   // 24-byte descriptors (slab owner word)
    }

    [Fact]
    public void Initialize_reports_bad_input_as_values()
    {
        var ranges = new[] { new RamRange(0, 4 * MiB) };
        byte* small = stackalloc byte[256];
        BuddyAllocator a = default;
        fixed (RamRange* r = ranges)
        {
            Assert.Equal(InitStatus.BadArguments, a.Initialize(null, 1, small, 256));
            Assert.Equal(InitStatus.BadArguments, a.Initialize(r, 1, null, 256));
            Assert.Equal(InitStatus.MetadataTooSmall, a.Initialize(r, 1, small, 256));
            var empty = new RamRange(4097, 8191);                // no whole frame
            Assert.Equal(InitStatus.NoRam, a.Initialize(&empty, 1, small, 256));
        }
        Assert.False(a.IsInitialized);
        Assert.Equal(0UL, a.AllocatePage());
        Assert.Equal(FreeStatus.NotInitialized, a.FreePage(4096).Status);
        Assert.Equal(FreeStatus.NotInitialized, a.AddFreeRange(0, 1).Status);
    }

    [Fact]
    public void AddFreeRange_makes_maximal_aligned_blocks()
    {
        using var f = new BuddyFixture((0, 32 * MiB));
        // [1, 2051): 1, 2, 4, ..., 512 then one 1024 at 1024, then 2 at 2048 and 1 at 2050.
        Assert.True(f.A.AddFreeRange(1, 2051).IsOk);
        Assert.Equal(2050UL, f.A.FreeFrames);
        ulong[] expected = { 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
        for (int o = 0; o <= 10; o++)
            Assert.Equal(expected[o], f.A.FreeBlocks(ZoneType.Dma, o));
        f.AssertInvariants();
        // The rest of the 16 MiB DMA zone and the DMA32 part: whole order-10 blocks, merged with [1,2051).
        Assert.True(f.A.AddFreeRange(2051, 8192).IsOk);
        Assert.True(f.A.AddFreeRange(0, 1).IsOk);
        for (int o = 0; o < 10; o++)
            Assert.Equal(0UL, f.A.FreeBlocks(ZoneType.Dma, o));
        Assert.Equal(4UL, f.A.FreeBlocks(ZoneType.Dma, 10));
        Assert.Equal(4UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        f.AssertInvariants();
    }

    [Fact]
    public void AddFreeRange_of_a_gigabyte_is_linear_and_exact()
    {
        // 1 GiB in one call, plus a second call ending mid-block: counts exact, all coalesced.
        using var f = new BuddyFixture((16 * MiB, 16 * MiB + 1 * GiB));
        ulong start = 16 * MiB / 4096, end = start + 1 * GiB / 4096;
        Assert.True(f.A.AddFreeRange(start, end - 3).IsOk);
        Assert.True(f.A.AddFreeRange(end - 3, end).IsOk);
        Assert.Equal(1 * GiB / 4096, f.A.FreeFrames);
        Assert.Equal(256UL, f.A.FreeBlocks(ZoneType.Dma32, 10));
        f.AssertInvariants();
    }

    [Fact]
    public void AddFreeRange_rejects_managed_frames_and_holes_without_changes()
    {
        using var f = new BuddyFixture((0, 4 * MiB), (8 * MiB, 12 * MiB));
        Assert.True(f.A.AddFreeRange(0, 100).IsOk);
        var before = f.Snapshot();
        ulong free = f.A.FreeFrames;

        FreeResult r = f.A.AddFreeRange(90, 200);                     // 90..99 already managed
        Assert.Equal(FreeStatus.DoubleFree, r.Status);
        Assert.Equal(90UL, r.Pfn);
        r = f.A.AddFreeRange(1000, 2100);                              // 1024..2047 is a hole
        Assert.Equal(FreeStatus.OutsideRam, r.Status);
        Assert.Equal(1024UL, r.Pfn);
        r = f.A.AddFreeRange(300, 200);
        Assert.Equal(FreeStatus.InvalidOrder, r.Status);

        Assert.Equal(free, f.A.FreeFrames);
        Assert.Equal(before, f.Snapshot());
        Assert.Equal(3UL, f.A.State->TotalFreeErrors);
        f.AssertInvariants();
    }
}
