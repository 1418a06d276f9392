using System.Collections.Generic;
using System.Text;
using Kernel.Diagnostics;
using Kernel.Memory.Physical;
using Xunit;

namespace Kernel.Tests.Memory;

/// <summary>One example per documented memblock rule (kernel/Memory/Physical/Memblock.cs).</summary>
public unsafe class MemblockTests
{
    const ulong K = 1024, M = 1024 * 1024, Page = 4096;

    internal static List<(ulong, ulong)> Regions(ref MemblockRegionArray array)
    {
        var list = new List<(ulong, ulong)>();
        for (int i = 0; i < array.Count; i++)
            list.Add((array.Base(i), array.End(i)));
        return list;
    }

    internal static List<(ulong, ulong)> FreeRanges(ref Memblock mb)
    {
        var list = new List<(ulong, ulong)>();
        ulong cursor = 0, start, end;
        while (mb.IterateFree(ref cursor, out start, out end))
            list.Add((start, end));
        return list;
    }

    [Fact]
    public void EmptyMapIsUnusable()
    {
        Memblock mb = default;
        Assert.Equal(MemblockStatus.NoUsableMemory, mb.Validate());
        Assert.Equal(0UL, mb.MemoryBytes);
        Assert.Equal(0UL, mb.FreeBytes);
        Assert.Empty(FreeRanges(ref mb));
        Assert.Equal(0UL, mb.Allocate(Page, 0, 0));
        Assert.Contains("no usable RAM", Memblock.Describe(MemblockStatus.NoUsableMemory));
    }

    [Fact]
    public void UnsortedInputIsSorted()
    {
        Memblock mb = default;
        mb.AddMemory(0x500000, 0x10000);
        mb.AddMemory(0x100000, 0x10000);
        mb.AddMemory(0x300000, 0x10000);
        Assert.Equal(new[] { (0x100000UL, 0x110000UL), (0x300000UL, 0x310000UL), (0x500000UL, 0x510000UL) },
            Regions(ref mb.Memory));
        Assert.Equal(MemblockStatus.Ok, mb.Validate());
    }

    [Fact]
    public void AdjacentRegionsMerge()
    {
        Memblock mb = default;
        mb.AddMemory(0x2000, 0x1000);
        mb.AddMemory(0x4000, 0x1000);
        mb.AddMemory(0x3000, 0x1000); // touches both neighbours: all three become one
        Assert.Equal(new[] { (0x2000UL, 0x5000UL) }, Regions(ref mb.Memory));
        mb.Reserve(0x10000, 0x1000);
        mb.Reserve(0x11000, 0x1000);
        Assert.Equal(new[] { (0x10000UL, 0x12000UL) }, Regions(ref mb.Reserved));
    }

    [Fact]
    public void OverlappingRegionsMerge()
    {
        Memblock mb = default;
        mb.AddMemory(0x100000, 0x100000);
        mb.AddMemory(0x180000, 0x100000);
        mb.AddMemory(0x080000, 0x90000);
        Assert.Equal(new[] { (0x80000UL, 0x280000UL) }, Regions(ref mb.Memory));
        // One range overlapping several regions swallows them all.
        mb.AddMemory(0x400000, 0x1000);
        mb.AddMemory(0x500000, 0x1000);
        mb.AddMemory(0x600000, 0x1000);
        mb.AddMemory(0x3ff000, 0x202000);
        Assert.Equal(new[] { (0x80000UL, 0x280000UL), (0x3ff000UL, 0x601000UL) }, Regions(ref mb.Memory));
    }

    [Fact]
    public void ContainedAndContainingRegions()
    {
        Memblock mb = default;
        mb.AddMemory(0x100000, 0x100000);
        mb.AddMemory(0x140000, 0x1000);
        Assert.Equal(new[] { (0x100000UL, 0x200000UL) }, Regions(ref mb.Memory));
        mb.AddMemory(0x0, 0x1000000);
        Assert.Equal(new[] { (0x0UL, 0x1000000UL) }, Regions(ref mb.Memory));
        Assert.Equal(16 * M, mb.MemoryBytes);
    }

    [Fact]
    public void MemoryRoundsInwardReservedRoundsOutward()
    {
        Memblock mb = default;
        mb.AddMemory(0x1800, 0x2000);            // [0x1800, 0x3800) -> page [0x2000, 0x3000)
        Assert.Equal(new[] { (0x2000UL, 0x3000UL) }, Regions(ref mb.Memory));
        mb.AddMemory(0x10100, 0x100);            // tiny: no whole page, nothing added
        mb.AddMemory(0x20001, 0x1FFF);           // [0x20001, 0x22000) -> [0x21000, 0x22000)
        Assert.Equal(new[] { (0x2000UL, 0x3000UL), (0x21000UL, 0x22000UL) }, Regions(ref mb.Memory));

        mb.Reserve(0x50010, 0x10);               // one byte range -> its whole page
        mb.Reserve(0x60fff, 2);                  // straddles two pages -> both
        Assert.Equal(new[] { (0x50000UL, 0x51000UL), (0x60000UL, 0x62000UL) }, Regions(ref mb.Reserved));
    }

    [Fact]
    public void RemoveCutsHolesRoundedOutward()
    {
        Memblock mb = default;
        mb.AddMemory(0, 1 * M);
        mb.Remove(0x9fc00, 0x400);                // the EBDA-style tail: its page goes
        Assert.Equal(new[] { (0x0UL, 0x9f000UL), (0xa0000UL, 0x100000UL) }, Regions(ref mb.Memory));
        mb.Remove(0xa0000, 0x60000);              // the whole top part
        Assert.Equal(new[] { (0x0UL, 0x9f000UL) }, Regions(ref mb.Memory));
        mb.Remove(0x0, 0x1);                      // page 0
        Assert.Equal(new[] { (0x1000UL, 0x9f000UL) }, Regions(ref mb.Memory));
        mb.Remove(0x200000, 0x1000);              // not RAM: nothing happens
        Assert.Equal(new[] { (0x1000UL, 0x9f000UL) }, Regions(ref mb.Memory));
    }

    [Fact]
    public void ReservationSplitsFreeRanges()
    {
        Memblock mb = default;
        mb.AddMemory(0x100000, 0x100000);
        mb.AddMemory(0x400000, 0x100000);
        mb.Reserve(0x150000, 0x1000);
        mb.Reserve(0x1ff000, 0x201000);           // end of the first block and start of the second
        mb.Reserve(0x900000, 0x1000);             // outside RAM: counts as reserved, changes nothing free
        Assert.Equal(new[] { (0x100000UL, 0x150000UL), (0x151000UL, 0x1ff000UL), (0x400000UL, 0x500000UL) },
            FreeRanges(ref mb));
        Assert.Equal(2 * M, mb.MemoryBytes);
        Assert.Equal(0x1000UL + 0x201000 + 0x1000, mb.ReservedBytes);
        Assert.Equal(0x50000UL + 0xae000 + 0x100000, mb.FreeBytes);
        Assert.True(mb.IsFree(0x160000, 0x1000));
        Assert.False(mb.IsFree(0x150000, 1));
        Assert.False(mb.IsFree(0x300000, 0x1000));
    }

    [Fact]
    public void ReservationCoveringARegionRemovesItFromFree()
    {
        Memblock mb = default;
        mb.AddMemory(0x100000, 0x10000);
        mb.AddMemory(0x200000, 0x10000);
        mb.Reserve(0xff000, 0x12000);
        Assert.Equal(new[] { (0x200000UL, 0x210000UL) }, FreeRanges(ref mb));
        mb.Reserve(0x200000, 0x10000);
        Assert.Empty(FreeRanges(ref mb));
        Assert.Equal(MemblockStatus.NoFreeMemory, mb.Validate());
    }

    [Fact]
    public void FreeUnreservesWholePagesOnly()
    {
        Memblock mb = default;
        mb.AddMemory(0, 1 * M);
        mb.Reserve(0x10000, 0x4000);
        mb.Free(0x11800, 0x2000);                 // [0x11800, 0x13800): only page 0x12000 is whole
        Assert.Equal(new[] { (0x10000UL, 0x12000UL), (0x13000UL, 0x14000UL) }, Regions(ref mb.Reserved));
    }

    [Fact]
    public void AllocateIsTopDown()
    {
        Memblock mb = default;
        mb.AddMemory(0x100000, 0x100000);
        mb.AddMemory(0x400000, 0x10000);
        ulong a = mb.Allocate(0x1000, 0, Memblock.NoLimit);
        Assert.Equal(0x40f000UL, a);
        ulong b = mb.Allocate(0x2000, 0, 0);
        Assert.Equal(0x40d000UL, b);
        Assert.Equal(new[] { (0x40d000UL, 0x410000UL) }, Regions(ref mb.Reserved));
        // Too big for the upper block: comes from the lower one.
        ulong c = mb.Allocate(0x20000, 0, 0);
        Assert.Equal(0x1e0000UL, c);
    }

    [Fact]
    public void AllocateRoundsSizeUpToPages()
    {
        Memblock mb = default;
        mb.AddMemory(0x100000, 0x10000);
        ulong a = mb.Allocate(1, 1, 0);
        Assert.Equal(0x10f000UL, a);
        Assert.Equal(Page, mb.ReservedBytes);
        ulong b = mb.Allocate(0x1001, 8, 0);
        Assert.Equal(0x10d000UL, b);
        Assert.Equal(3 * Page, mb.ReservedBytes);
    }

    [Fact]
    public void AllocateHonoursAlignment()
    {
        Memblock mb = default;
        mb.AddMemory(0x1000, 0x7ff000);           // [4 KiB, 8 MiB)
        mb.Reserve(0x700000, 0x100000);           // [7 MiB, 8 MiB) taken
        ulong a = mb.Allocate(0x1000, 2 * M, 0);
        Assert.Equal(0x600000UL, a);              // highest 2 MiB-aligned page below 7 MiB
        ulong b = mb.Allocate(0x200000, 2 * M, 0);
        Assert.Equal(0x400000UL, b);              // [6 MiB, 7 MiB) is no longer whole
        Assert.Equal(0UL, mb.Allocate(0x1000, 3 * Page, 0)); // not a power of two
        ulong address;
        Assert.Equal(MemblockStatus.InvalidArgument, mb.TryAllocate(0x1000, 3 * Page, 0, out address));
        Assert.Equal(MemblockStatus.InvalidArgument, mb.TryAllocate(0, 0, 0, out address));
    }

    [Fact]
    public void AllocateHonoursLimit()
    {
        Memblock mb = default;
        mb.AddMemory(0, 64 * M);
        ulong a = mb.Allocate(0x3000, 0, 16 * M);
        Assert.Equal(16 * M - 0x3000, a);
        ulong b = mb.Allocate(0x1000, 0, 16 * M + 0x800); // limit rounds down to a page
        Assert.Equal(16 * M - 0x4000, b);
        Assert.Equal(0UL, mb.Allocate(0x2000, 0, 0x2000)); // page 0 is never handed out
        ulong c = mb.Allocate(0x1000, 0, 0x2000);
        Assert.Equal(0x1000UL, c);
    }

    [Fact]
    public void AllocateNeverReturnsPageZero()
    {
        Memblock mb = default;
        mb.AddMemory(0, 0x1000);
        Assert.Equal(0UL, mb.Allocate(0x1000, 0, 0));
        Assert.Equal(MemblockStatus.Ok, mb.Validate());
    }

    [Fact]
    public void ExhaustionReturnsZero()
    {
        Memblock mb = default;
        mb.AddMemory(0x100000, 0x4000);
        for (int i = 0; i < 4; i++)
            Assert.NotEqual(0UL, mb.Allocate(0x1000, 0, 0));
        Assert.Equal(0UL, mb.Allocate(0x1000, 0, 0));
        ulong address;
        Assert.Equal(MemblockStatus.OutOfMemory, mb.TryAllocate(0x1000, 0, 0, out address));
        Assert.Equal(0UL, mb.FreeBytes);
        Assert.Equal(MemblockStatus.NoFreeMemory, mb.Validate());
    }

    [Fact]
    public void TooManyMemoryRegionsIsReportedNotCrashed()
    {
        Memblock mb = default;
        for (int i = 0; i < MemblockRegionArray.Capacity; i++)
            Assert.Equal(MemblockStatus.Ok, mb.AddMemory((ulong)i * 0x10000, 0x1000));
        var before = Regions(ref mb.Memory);
        Assert.Equal(MemblockStatus.TooManyMemoryRegions, mb.AddMemory(0x10000000, 0x1000));
        Assert.Equal(before, Regions(ref mb.Memory));                 // nothing changed
        Assert.Equal(MemblockStatus.Ok, mb.AddMemory(0x1000, 0x1000)); // merging still works
        Assert.Equal(MemblockStatus.TooManyMemoryRegions, mb.Validate()); // and it is remembered
        Assert.Contains("memory map", Memblock.Describe(mb.Validate()));
        // A hole that would split a region in the full array fails the same way.
        Memblock mb2 = default;
        for (int i = 0; i < MemblockRegionArray.Capacity; i++)
            mb2.AddMemory((ulong)i * 0x10000, 0x4000);
        Assert.Equal(MemblockStatus.TooManyMemoryRegions, mb2.Remove(0x1000, 0x1000));
        Assert.Equal(MemblockStatus.Ok, mb2.Remove(0x0, 0x1000));      // trimming needs no slot
        Assert.True(mb2.Memory.CheckInvariants());
    }

    [Fact]
    public void TooManyReservedRegionsIsReportedNotCrashed()
    {
        Memblock mb = default;
        mb.AddMemory(0, 64 * M);
        for (int i = 0; i < MemblockRegionArray.Capacity; i++)
            Assert.Equal(MemblockStatus.Ok, mb.Reserve((ulong)i * 0x10000, 0x1000));
        ulong free = mb.FreeBytes;
        // An allocation that would need a new region fails cleanly and is not remembered...
        ulong address;
        Assert.Equal(MemblockStatus.TooManyReservedRegions, mb.TryAllocate(0x1000, 0, 0, out address));
        Assert.Equal(0UL, address);
        Assert.Equal(free, mb.FreeBytes);
        Assert.Equal(MemblockStatus.Ok, mb.Validate());
        // ...one that extends an existing reservation still succeeds...
        Assert.Equal(0x7f1000UL, mb.Allocate(0xf000, 0, 0x800000));
        // ...and a reservation that is dropped is remembered.
        Assert.Equal(MemblockStatus.TooManyReservedRegions, mb.Reserve(0x3000000, 0x1000));
        Assert.Equal(MemblockStatus.TooManyReservedRegions, mb.Validate());
        Assert.Contains("reservation was dropped", Memblock.Describe(mb.Validate()));
    }

    [Fact]
    public void HugeAndOverflowingRangesAreClipped()
    {
        Memblock mb = default;
        Assert.Equal(MemblockStatus.Ok, mb.AddMemory(0xffff_ffff_ffff_0000, 0x100000)); // beyond 2^52: ignored
        Assert.Equal(0, mb.Memory.Count);
        mb.AddMemory(Memblock.MaxPhysicalAddress - 0x2000, ulong.MaxValue);              // overflow: clipped
        Assert.Equal(new[] { (Memblock.MaxPhysicalAddress - 0x2000, Memblock.MaxPhysicalAddress) }, Regions(ref mb.Memory));
        mb.Reserve(Memblock.MaxPhysicalAddress - 0x1000, ulong.MaxValue);
        Assert.Equal(new[] { (Memblock.MaxPhysicalAddress - 0x2000, Memblock.MaxPhysicalAddress - 0x1000) }, FreeRanges(ref mb));
        Assert.Equal(Memblock.MaxPhysicalAddress - 0x2000, mb.Allocate(0x1000, 0, ulong.MaxValue));
        Assert.Equal(MemblockStatus.Ok, mb.AddMemory(0x1000, 0));                         // size 0: nothing
        Assert.Equal(1, mb.Memory.Count);
    }

    [Fact]
    public void QemuLikeMultibootMap()
    {
        // QEMU's e820 for -m 256M, fed unsorted, then the kernel image and the boot block reserved.
        Memblock mb = default;
        mb.AddMemory(0x100000, 0xfee0000);        // usable [1 MiB, 0xffe0000)
        mb.AddMemory(0x0, 0x9fc00);               // usable [0, 0x9fc00): last partial page dropped
        mb.Remove(0xf0000, 0x10000);              // reserved BIOS area (not RAM anyway)
        mb.Remove(0xffe0000, 0x20000);            // ACPI area
        mb.Remove(0xfffc0000, 0x40000);           // flash
        mb.Reserve(0x0, 0x1000);                  // real-mode IVT
        mb.Reserve(0x100000, 0x2345678);          // kernel image, unaligned end
        mb.Reserve(0x2446100, 0x1234);            // Multiboot2 info block: [0x2446000, 0x2448000)
        Assert.Equal(MemblockStatus.Ok, mb.Validate());
        Assert.Equal(new[] { (0x0UL, 0x9f000UL), (0x100000UL, 0xffe0000UL) }, Regions(ref mb.Memory));
        Assert.Equal(new[] { (0x1000UL, 0x9f000UL), (0x2448000UL, 0xffe0000UL) }, FreeRanges(ref mb));
        Assert.Equal(new[] { (0x0UL, 0x1000UL), (0x100000UL, 0x2448000UL) }, Regions(ref mb.Reserved));
        Assert.Equal(0xffe0000UL, mb.MemoryEnd);
        Assert.Equal(0UL, mb.MemoryStart);
    }

    [Fact]
    public void DumpListsBothArraysLikeLinux()
    {
        Memblock mb = default;
        mb.AddMemory(0x1000, 0x9e000);
        mb.AddMemory(0x100000, 0xff00000);
        mb.Reserve(0x100000, 0x200000);
        byte* buffer = stackalloc byte[2048];
        var text = new TextBuilder(buffer, 2048);
        mb.Dump(ref text);
        string s = Encoding.ASCII.GetString(buffer, text.Length);
        string expected =
            "MEMBLOCK configuration:\n" +
            " memory size = 0x000000000ff9e000 reserved size = 0x0000000000200000 free size = 0x000000000fd9e000\n" +
            " memory.cnt  = 0x2\n" +
            " memory[0x0]\t[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes\n" +
            " memory[0x1]\t[0x0000000000100000-0x000000000fffffff], 0x000000000ff00000 bytes\n" +
            " reserved.cnt  = 0x1\n" +
            " reserved[0x0]\t[0x0000000000100000-0x00000000002fffff], 0x0000000000200000 bytes\n";
        Assert.Equal(expected, s);
        Assert.False(text.Truncated);
    }

    [Fact]
    public void DumpShowsARememberedOverflow()
    {
        Memblock mb = default;
        for (int i = 0; i <= MemblockRegionArray.Capacity; i++)
            mb.Reserve((ulong)i * 0x10000, 0x1000);
        byte* buffer = stackalloc byte[16384];
        var text = new TextBuilder(buffer, 16384);
        mb.Dump(ref text);
        string s = Encoding.ASCII.GetString(buffer, text.Length);
        Assert.Contains(" reserved.cnt  = 0x80\n", s);
        Assert.EndsWith(" status: " + Memblock.Describe(MemblockStatus.TooManyReservedRegions) + "\n", s);
    }

    [Fact]
    public void IterationHandsOutEveryFreePageOnce()
    {
        // Many reservations against a few memory regions: the two-cursor walk must cover them all.
        Memblock mb = default;
        mb.AddMemory(0x0, 0x40000);
        mb.AddMemory(0x80000, 0x40000);
        for (ulong a = 0x3000; a < 0x100000; a += 0x5000)
            mb.Reserve(a, 0x1000);
        var seen = new HashSet<ulong>();
        ulong prevEnd = 0;
        foreach (var (s, e) in FreeRanges(ref mb))
        {
            Assert.True(s >= prevEnd && (s > prevEnd || prevEnd == 0), "ascending, not touching");
            for (ulong p = s; p < e; p += Page)
                Assert.True(seen.Add(p));
            prevEnd = e;
        }
        ulong expected = 0;
        for (ulong p = 0; p < 0x100000; p += Page)
        {
            bool ram = p < 0x40000 || (p >= 0x80000 && p < 0xc0000);
            bool reserved = p >= 0x3000 && (p - 0x3000) % 0x5000 == 0;
            if (ram && !reserved)
            {
                expected++;
                Assert.Contains(p, seen);
            }
        }
        Assert.Equal(expected, (ulong)seen.Count);
        Assert.Equal(expected * Page, mb.FreeBytes);
    }
}
