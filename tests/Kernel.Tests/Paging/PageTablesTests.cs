using System;
using System.Collections.Generic;
using System.Text;
using Kernel.Arch.X64.Paging;
using Kernel.Diagnostics;
using Kernel.Platform;
using Xunit;

namespace Kernel.Tests.Paging;

/// <summary>Examples for each documented page-table rule (kernel/Arch/X64/Paging/README.md).</summary>
[Collection("PhysicalMap")]
public unsafe class PageTablesTests : IDisposable
{
    const ulong K4 = 0x1000, M2 = 0x200000, G1 = 0x40000000;
    const PageFlags RW = PageFlags.Writable;
    const PageFlags KernelData = PageFlags.Writable | PageFlags.Global | PageFlags.NoExecute;

    readonly FakePhysicalMemory _memory = new();
    readonly FrameSource _frames;
    readonly ulong _root;

    public PageTablesTests()
    {
        _frames = _memory.Source;
        _root = _memory.NewRoot();
    }

    public void Dispose() => _memory.Dispose();

    PagingStatus Map(ulong virt, ulong phys, PageSize size, PageFlags flags) =>
        PageTables.Map(_root, virt, phys, size, flags, in _frames);

    PagingStatus Unmap(ulong virt, PageSize size, out ulong phys) =>
        PageTables.Unmap(_root, virt, size, out phys, in _frames);

    PagingStatus Protect(ulong virt, ulong length, PageFlags flags) =>
        PageTables.Protect(_root, virt, length, flags, in _frames);

    (PagingStatus status, ulong phys, PageFlags flags, PageSize size) Translate(ulong virt)
    {
        var st = PageTables.Translate(_root, virt, out ulong phys, out PageFlags flags, out PageSize size);
        return (st, phys, flags, size);
    }

    ulong RawEntry(ulong virt, int level)
    {
        ulong table = _root;
        for (int l = 4; ; l--)
        {
            ulong v = ((ulong*)table)[PageTableEntry.Index(virt, l)];
            if (l == level) return v;
            table = PageTableEntry.TableAddress(v);
        }
    }

    void AssertTreeHealthy(int extraRoots = 0)
    {
        var r = PageTreeChecker.Check(_root, _memory);
        Assert.True(r.Problems.Count == 0, r.ToString());
        Assert.Equal(1 + extraRoots + r.Tables, _memory.InUse);
        Assert.Empty(_memory.Errors);
    }

    void AssertMapped(ulong virt, ulong phys, PageFlags flags, PageSize size)
    {
        var t = Translate(virt);
        Assert.Equal(PagingStatus.Ok, t.status);
        Assert.Equal(phys, t.phys);
        Assert.Equal(flags | PageFlags.Present, t.flags);
        Assert.Equal(size, t.size);
    }

    // ---- map / unmap / translate ----

    [Fact]
    public void Map4KTranslatesWithOffsetAndUsesThreeTables()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x400000, 0x12345000, PageSize.Size4K, RW | PageFlags.User));
        AssertMapped(0x400000, 0x12345000, RW | PageFlags.User, PageSize.Size4K);
        AssertMapped(0x400abc, 0x12345abc, RW | PageFlags.User, PageSize.Size4K);
        Assert.Equal(PagingStatus.NotMapped, Translate(0x401000).status);
        Assert.Equal(PagingStatus.NotMapped, Translate(0x3ff000).status);
        Assert.Equal(4, _memory.InUse); // PML4 + PDPT + PD + PT
        AssertTreeHealthy();
    }

    [Fact]
    public void Map2MCoversAllItsPages()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x40000000 + 4 * M2, 0x80000000, PageSize.Size2M, RW));
        for (ulong i = 0; i < 512; i++)
            AssertMapped(0x40800000 + i * K4 + 7, 0x80000000 + i * K4 + 7, RW, PageSize.Size2M);
        Assert.Equal(PagingStatus.NotMapped, Translate(0x40800000 + M2).status);
        Assert.Equal(3, _memory.InUse); // PML4 + PDPT + PD
        ulong pde = RawEntry(0x40800000, 2);
        Assert.NotEqual(0UL, pde & PageTableEntry.PageSizeBit);
        AssertTreeHealthy();
    }

    [Fact]
    public void Map1GUsesThePdptPsBit()
    {
        ulong virt = 0xffff_8880_0000_0000;
        Assert.Equal(PagingStatus.Ok, Map(virt, 2 * G1, PageSize.Size1G, KernelData));
        AssertMapped(virt + 0x3fff_ffff, 2 * G1 + 0x3fff_ffff, KernelData, PageSize.Size1G);
        Assert.NotEqual(0UL, RawEntry(virt, 3) & PageTableEntry.PageSizeBit);
        Assert.Equal(2, _memory.InUse);
        AssertTreeHealthy();
    }

    [Fact]
    public void MapRefusesWhatIsAlreadyMapped()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x200000, 0x1000000, PageSize.Size2M, RW));
        Assert.Equal(PagingStatus.Ok, Map(0x400000, 0x2000000, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.Ok, Map(G1, 0, PageSize.Size1G, RW));
        int before = _memory.InUse;
        Assert.Equal(PagingStatus.AlreadyMapped, Map(0x200000, 0x5000000, PageSize.Size2M, RW)); // same page
        Assert.Equal(PagingStatus.AlreadyMapped, Map(0x205000, 0x5000000, PageSize.Size4K, RW)); // inside a 2M page
        Assert.Equal(PagingStatus.AlreadyMapped, Map(0x400000, 0x5000000, PageSize.Size4K, RW)); // same 4K page
        Assert.Equal(PagingStatus.AlreadyMapped, Map(0x400000, 0x5000000, PageSize.Size2M, RW)); // over a 4K page
        Assert.Equal(PagingStatus.AlreadyMapped, Map(G1 + M2, 0x5000000, PageSize.Size2M, RW));  // inside a 1G page
        Assert.Equal(PagingStatus.AlreadyMapped, Map(0, 0, PageSize.Size1G, RW));                 // over smaller pages
        Assert.Equal(before, _memory.InUse);
        AssertMapped(0x205000, 0x1005000, RW, PageSize.Size2M);
        AssertMapped(0x400000, 0x2000000, RW, PageSize.Size4K);
        AssertTreeHealthy();
    }

    [Fact]
    public void BadArgumentsAreStatusesNotCrashes()
    {
        Assert.Equal(PagingStatus.NonCanonical, Map(0x0000_8000_0000_0000, 0, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.NonCanonical, Map(0xffff_7fff_ffff_f000, 0, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.Unaligned, Map(0x1234, 0, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.Unaligned, Map(0x1000, 0x800, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.Unaligned, Map(0x201000, 0, PageSize.Size2M, RW));
        Assert.Equal(PagingStatus.Unaligned, Map(0x200000, 0x1000, PageSize.Size2M, RW));
        Assert.Equal(PagingStatus.InvalidArgument, Map(0x1000, 1UL << 52, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.InvalidArgument, Map(0x1000, 0, (PageSize)0x8000, RW));
        Assert.Equal(PagingStatus.InvalidArgument, Map(0x1000, 0, PageSize.Size4K, (PageFlags)0x8000));
        Assert.Equal(PagingStatus.InvalidArgument, PageTables.Map(0, 0x1000, 0, PageSize.Size4K, RW, in _frames));
        Assert.Equal(PagingStatus.InvalidArgument, PageTables.Map(0x1234, 0x1000, 0, PageSize.Size4K, RW, in _frames));
        Assert.Equal(PagingStatus.NonCanonical, Translate(0x0001_0000_0000_0000).status);
        Assert.Equal(PagingStatus.NonCanonical, Unmap(0x0000_8000_0000_0000, PageSize.Size4K, out _));
        Assert.Equal(PagingStatus.Unaligned, Unmap(0x1800, PageSize.Size4K, out _));
        Assert.Equal(PagingStatus.Unaligned, Protect(0x1800, 0x1000, RW));
        Assert.Equal(PagingStatus.Unaligned, Protect(0x1000, 0x800, RW));
        Assert.Equal(PagingStatus.InvalidArgument, Protect(0x1000, 0, RW));
        Assert.Equal(PagingStatus.NonCanonical, Protect(0x0000_7fff_ffff_f000, 0x2000, RW)); // runs into the hole
        Assert.Equal(PagingStatus.NonCanonical, Protect(0xffff_ffff_ffff_f000, 0x2000, RW)); // wraps past 2^64
        Assert.Equal(1, _memory.InUse);
        foreach (PagingStatus s in Enum.GetValues<PagingStatus>())
            Assert.False(string.IsNullOrEmpty(PageTables.Describe(s)));
    }

    [Fact]
    public void UnmapReturnsThePhysicalPageAndFreesEmptyTables()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x7fff_ffff_f000, 0xabc000, PageSize.Size4K, RW | PageFlags.User));
        Assert.Equal(4, _memory.InUse);
        Assert.Equal(PagingStatus.Ok, Unmap(0x7fff_ffff_f000, PageSize.Size4K, out ulong phys));
        Assert.Equal(0xabc000UL, phys);
        Assert.Equal(PagingStatus.NotMapped, Translate(0x7fff_ffff_f000).status);
        Assert.Equal(1, _memory.InUse); // PT, PD and PDPT freed, the PML4 stays
        Assert.Equal(0UL, ((ulong*)_root)[255]);
        Assert.Equal(PagingStatus.NotMapped, Unmap(0x7fff_ffff_f000, PageSize.Size4K, out _));
        AssertTreeHealthy();
    }

    [Fact]
    public void UnmapOfAWholeLargePage()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x600000, 0x4000000, PageSize.Size2M, RW));
        Assert.Equal(PagingStatus.Ok, Unmap(0x600000, PageSize.Size2M, out ulong phys));
        Assert.Equal(0x4000000UL, phys);
        Assert.Equal(1, _memory.InUse);
        Assert.Equal(PagingStatus.Ok, Map(3 * G1, 5 * G1, PageSize.Size1G, RW));
        Assert.Equal(PagingStatus.Ok, Unmap(3 * G1, PageSize.Size1G, out phys));
        Assert.Equal(5 * G1, phys);
        Assert.Equal(1, _memory.InUse);
    }

    [Fact]
    public void UnmapOfALargeSizeOverSmallPagesIsASizeMismatch()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x600000, 0x4000000, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.SizeMismatch, Unmap(0x600000, PageSize.Size2M, out _));
        Assert.Equal(PagingStatus.SizeMismatch, Unmap(0, PageSize.Size1G, out _));
        AssertMapped(0x600000, 0x4000000, RW, PageSize.Size4K);
        Assert.Equal(PagingStatus.NotMapped, Unmap(0x800000, PageSize.Size2M, out _));
        AssertTreeHealthy();
    }

    [Fact]
    public void FlagsRoundTripAtEverySize()
    {
        PageFlags[] all = { PageFlags.Writable, PageFlags.User, PageFlags.NoExecute, PageFlags.Global, PageFlags.WriteThrough,
            PageFlags.CacheDisable, PageFlags.Pat, PageFlags.Accessed, PageFlags.Dirty };
        for (int combo = 0; combo < 1 << all.Length; combo++)
        {
            PageFlags flags = PageFlags.None;
            for (int b = 0; b < all.Length; b++)
                if ((combo & (1 << b)) != 0) flags |= all[b];
            foreach (PageSize size in new[] { PageSize.Size4K, PageSize.Size2M, PageSize.Size1G })
            {
                ulong virt = size == PageSize.Size1G ? 4 * G1 : 8 * M2;
                ulong phys = 7 * G1;
                Assert.Equal(PagingStatus.Ok, Map(virt, phys, size, flags));
                AssertMapped(virt, phys, flags, size);
                Assert.Equal(PagingStatus.Ok, Unmap(virt, size, out ulong back));
                Assert.Equal(phys, back);
            }
        }
        Assert.Equal(1, _memory.InUse);
    }

    [Fact]
    public void RawBitsFollowTheSdm()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x1000, 0x5000, PageSize.Size4K, RW | PageFlags.User | PageFlags.Pat | PageFlags.NoExecute | PageFlags.Global));
        ulong pte = RawEntry(0x1000, 1);
        Assert.Equal(0x5000UL | 1 | 2 | 4 | (1UL << 7) | (1UL << 8) | (1UL << 63), pte);
        Assert.Equal(PagingStatus.Ok, Map(0x400000, 0x800000, PageSize.Size2M, PageFlags.Pat | PageFlags.WriteThrough | PageFlags.CacheDisable));
        ulong pde = RawEntry(0x400000, 2);
        Assert.Equal(0x800000UL | 1 | 8 | 16 | (1UL << 7) | (1UL << 12), pde);
        ulong table = RawEntry(0x1000, 4);
        Assert.Equal(1UL | 2 | 4 | 32, table & 0xFFF); // P RW US A: permissive, the leaf decides
    }

    // ---- splitting ----

    [Fact]
    public void UnmapInsideA2MPageSplitsItAndKeepsTheOther511()
    {
        PageFlags flags = KernelData | PageFlags.Pat | PageFlags.Dirty;
        ulong virt = 0xffff_8880_0020_0000, phys = 0x3400000;
        Assert.Equal(PagingStatus.Ok, Map(virt, phys, PageSize.Size2M, flags));
        int before = _memory.InUse;
        long inv = Tlb.Invalidations;
        Assert.Equal(PagingStatus.Ok, Unmap(virt + 37 * K4, PageSize.Size4K, out ulong gone));
        Assert.Equal(phys + 37 * K4, gone);
        Assert.Equal(1, Tlb.Invalidations - inv);
        Assert.Equal(before + 1, _memory.InUse); // the new PT
        for (ulong i = 0; i < 512; i++)
        {
            if (i == 37)
                Assert.Equal(PagingStatus.NotMapped, Translate(virt + i * K4).status);
            else
                AssertMapped(virt + i * K4, phys + i * K4, flags, PageSize.Size4K);
        }
        // PAT moved from bit 12 to bit 7 in the pieces.
        Assert.NotEqual(0UL, RawEntry(virt, 1) & PageTableEntry.Pat4KBit);
        AssertTreeHealthy();
    }

    [Fact]
    public void ProtectInsideA2MPageSplitsIt()
    {
        ulong virt = 0x4000_0000, phys = 0x1_0000_0000;
        Assert.Equal(PagingStatus.Ok, Map(virt, phys, PageSize.Size2M, RW | PageFlags.User | PageFlags.Accessed));
        long inv = Tlb.Invalidations, flushes = Tlb.Flushes;
        Assert.Equal(PagingStatus.Ok, Protect(virt + 511 * K4, K4, PageFlags.User | PageFlags.NoExecute));
        Assert.Equal(2, Tlb.Invalidations - inv); // the large entry after the split, then the changed page
        Assert.Equal(0, Tlb.Flushes - flushes);
        for (ulong i = 0; i < 512; i++)
        {
            if (i == 511)
                AssertMapped(virt + i * K4, phys + i * K4, PageFlags.User | PageFlags.NoExecute | PageFlags.Accessed, PageSize.Size4K);
            else
                AssertMapped(virt + i * K4, phys + i * K4, RW | PageFlags.User | PageFlags.Accessed, PageSize.Size4K);
        }
        AssertTreeHealthy();
    }

    [Fact]
    public void ProtectThatChangesNothingDoesNotSplit()
    {
        Assert.Equal(PagingStatus.Ok, Map(0, 0x200000, PageSize.Size2M, RW));
        int before = _memory.InUse;
        long inv = Tlb.Invalidations;
        Assert.Equal(PagingStatus.Ok, Protect(0x3000, 0x5000, RW));
        Assert.Equal(before, _memory.InUse);
        Assert.Equal(inv, Tlb.Invalidations);
        AssertMapped(0x3000, 0x203000, RW, PageSize.Size2M);
    }

    [Fact]
    public void ProtectCoveringWholeLargePagesKeepsThemLarge()
    {
        Assert.Equal(PagingStatus.Ok, Map(0, 0, PageSize.Size2M, RW));
        Assert.Equal(PagingStatus.Ok, Map(M2, M2, PageSize.Size2M, RW));
        Assert.Equal(PagingStatus.Ok, Map(2 * M2, 2 * M2, PageSize.Size2M, RW));
        int before = _memory.InUse;
        long inv = Tlb.Invalidations;
        // [1 MiB, 5 MiB): splits the first and last 2M pages, rewrites the middle one whole.
        Assert.Equal(PagingStatus.Ok, Protect(0x100000, 0x400000, PageFlags.None));
        Assert.Equal(before + 2, _memory.InUse);
        AssertMapped(0x0ff000, 0x0ff000, RW, PageSize.Size4K);
        AssertMapped(0x100000, 0x100000, PageFlags.None, PageSize.Size4K);
        AssertMapped(M2 + 0x1000, M2 + 0x1000, PageFlags.None, PageSize.Size2M);
        AssertMapped(0x4ff000, 0x4ff000, PageFlags.None, PageSize.Size4K);
        AssertMapped(0x500000, 0x500000, RW, PageSize.Size4K);
        // More than 32 pages, none global: one full flush instead of page-by-page work
        // (the two post-split invalidations still happen).
        Assert.Equal(2, Tlb.Invalidations - inv);
        AssertTreeHealthy();
    }

    [Fact]
    public void A1GPageSplitsTwiceForOne4KPage()
    {
        ulong virt = 0xffff_c000_4000_0000, phys = 3 * G1;
        Assert.Equal(PagingStatus.Ok, Map(virt, phys, PageSize.Size1G, KernelData));
        int before = _memory.InUse;
        ulong target = virt + 300 * M2 + 9 * K4;
        Assert.Equal(PagingStatus.Ok, Unmap(target, PageSize.Size4K, out ulong gone));
        Assert.Equal(phys + 300 * M2 + 9 * K4, gone);
        Assert.Equal(before + 2, _memory.InUse); // a PD of 2M pages and one PT
        AssertMapped(virt, phys, KernelData, PageSize.Size2M);
        AssertMapped(virt + 511 * M2 + 0x1234, phys + 511 * M2 + 0x1234, KernelData, PageSize.Size2M);
        AssertMapped(target - K4, gone - K4, KernelData, PageSize.Size4K);
        AssertMapped(target + K4, gone + K4, KernelData, PageSize.Size4K);
        Assert.Equal(PagingStatus.NotMapped, Translate(target).status);
        for (ulong i = 0; i < 512; i++)
            if (i != 300)
                AssertMapped(virt + i * M2 + 0x5000, phys + i * M2 + 0x5000, KernelData, PageSize.Size2M);
        AssertTreeHealthy();
    }

    [Fact]
    public void ProtectWithBothEndsInsideOne1GPage()
    {
        ulong virt = G1, phys = 2 * G1;
        Assert.Equal(PagingStatus.Ok, Map(virt, phys, PageSize.Size1G, RW));
        int before = _memory.InUse;
        // [1G + 4K, 1G + 2M + 8K): 1G -> 2M split, then both end 2M pages -> 4K.
        Assert.Equal(PagingStatus.Ok, Protect(virt + K4, M2 + K4, PageFlags.NoExecute));
        Assert.Equal(before + 3, _memory.InUse);
        AssertMapped(virt, phys, RW, PageSize.Size4K);
        AssertMapped(virt + K4, phys + K4, PageFlags.NoExecute, PageSize.Size4K);
        AssertMapped(virt + M2 + K4, phys + M2 + K4, PageFlags.NoExecute, PageSize.Size4K);
        AssertMapped(virt + M2 + 2 * K4, phys + M2 + 2 * K4, RW, PageSize.Size4K);
        AssertMapped(virt + 2 * M2, phys + 2 * M2, RW, PageSize.Size2M);
        AssertTreeHealthy();
    }

    // ---- table freeing ----

    [Fact]
    public void ScatteredPagesLeaveNoTablesBehind()
    {
        var rng = new Random(1234);
        var pages = new List<ulong>();
        for (int i = 0; i < 300; i++)
        {
            // Spread over several PML4 slots, PDPTs and PDs of the user half.
            ulong virt = ((ulong)rng.NextInt64(0, 1L << 35) << 12) & 0x0000_7fff_ffff_f000;
            if (Translate(virt).status == PagingStatus.Ok) continue;
            Assert.Equal(PagingStatus.Ok, Map(virt, (ulong)i << 12, PageSize.Size4K, RW | PageFlags.User));
            pages.Add(virt);
        }
        Assert.True(_memory.InUse > 300);
        AssertTreeHealthy();
        foreach (ulong virt in pages)
            Assert.Equal(PagingStatus.Ok, Unmap(virt, PageSize.Size4K, out _));
        Assert.Equal(1, _memory.InUse);
        Assert.Equal(_memory.Allocations - 1, _memory.Frees);
        AssertTreeHealthy();
    }

    [Fact]
    public void KernelHalfPdptsAreKept()
    {
        ulong virt = 0xffff_9000_1234_5000; // PML4 slot 288
        Assert.Equal(PagingStatus.Ok, Map(virt, 0x9000, PageSize.Size4K, KernelData));
        Assert.Equal(PagingStatus.Ok, PageTables.CreateRoot(_root, in _frames, out ulong other));
        Assert.Equal(PagingStatus.Ok, Unmap(virt, PageSize.Size4K, out _));
        Assert.Equal(3, _memory.InUse); // both PML4s + the PDPT of slot 288; PD and PT freed
        ulong slot = ((ulong*)_root)[288];
        Assert.True(PageTableEntry.IsPresent(slot));
        Assert.Equal(slot, ((ulong*)other)[288]);
        // A later mapping in that slot is seen through the other address space's PML4 too.
        Assert.Equal(PagingStatus.Ok, Map(virt + G1, 0xa000, PageSize.Size4K, KernelData));
        Assert.Equal(PagingStatus.Ok, PageTables.Translate(other, virt + G1, out ulong phys, out _, out _));
        Assert.Equal(0xa000UL, phys);
        AssertTreeHealthy(extraRoots: 1);
    }

    [Fact]
    public void PreallocatedKernelSlotsAreSharedByLaterRoots()
    {
        Assert.Equal(PagingStatus.Ok, PageTables.PreallocateKernelSlots(_root, 256, 511, in _frames));
        Assert.Equal(257, _memory.InUse);
        Assert.Equal(PagingStatus.InvalidArgument, PageTables.PreallocateKernelSlots(_root, 255, 300, in _frames));
        Assert.Equal(PagingStatus.Ok, PageTables.CreateRoot(_root, in _frames, out ulong process));
        Assert.Equal(PagingStatus.Ok, Map(0xffff_ffff_8000_0000, 0x200000, PageSize.Size2M, KernelData));
        Assert.Equal(PagingStatus.Ok, PageTables.Translate(process, 0xffff_ffff_8000_1000, out ulong phys, out _, out _));
        Assert.Equal(0x201000UL, phys);
        // User mappings stay private to each address space.
        Assert.Equal(PagingStatus.Ok, PageTables.Map(process, 0x400000, 0x200000, PageSize.Size4K, RW | PageFlags.User, in _frames));
        Assert.Equal(PagingStatus.NotMapped, Translate(0x400000).status);
        AssertTreeHealthy(extraRoots: 1 + 3); // the process root and its user-half tables
    }

    [Fact]
    public void KeepingSourceNeverFreesTables()
    {
        FrameSource keep = _memory.KeepingSource;
        Assert.Equal(PagingStatus.Ok, PageTables.Map(_root, 0x1000, 0x1000, PageSize.Size4K, RW, in keep));
        Assert.Equal(PagingStatus.Ok, PageTables.Unmap(_root, 0x1000, PageSize.Size4K, out _, in keep));
        Assert.Equal(4, _memory.InUse);
        Assert.Empty(PageTreeChecker.Check(_root, _memory, allowEmptyTables: true).Problems);
        // A later unmap with a freeing source cleans them up when it empties them again.
        Assert.Equal(PagingStatus.Ok, Map(0x2000, 0x1000, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.Ok, Unmap(0x2000, PageSize.Size4K, out _));
        Assert.Equal(1, _memory.InUse);
    }

    // ---- out of frames ----

    [Fact]
    public void MapOutOfFramesAtEveryStepChangesNothing()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x1000, 0x1000, PageSize.Size4K, RW));
        for (int left = 0; left < 3; left++)
        {
            // 0x8000000000 needs a new PDPT, PD and PT: fail at the first, second, third.
            int before = _memory.InUse;
            _memory.AllocationsLeft = left;
            Assert.Equal(PagingStatus.OutOfMemory, Map(0x80_0000_0000, 0x2000, PageSize.Size4K, RW));
            _memory.AllocationsLeft = -1;
            Assert.Equal(before, _memory.InUse);
            Assert.Equal(PagingStatus.NotMapped, Translate(0x80_0000_0000).status);
            AssertTreeHealthy();
        }
        Assert.Equal(PagingStatus.Ok, Map(0x80_0000_0000, 0x2000, PageSize.Size4K, RW));
        FrameSource none = default;
        Assert.Equal(PagingStatus.OutOfMemory, PageTables.Map(_root, 0x100_0000_0000, 0, PageSize.Size4K, RW, in none));
        AssertTreeHealthy();
    }

    [Fact]
    public void SplitOutOfFramesChangesNothing()
    {
        Assert.Equal(PagingStatus.Ok, Map(G1, 0, PageSize.Size1G, RW));
        Assert.Equal(PagingStatus.Ok, Map(0, 0, PageSize.Size2M, RW));
        int before = _memory.InUse;
        long inv = Tlb.Invalidations;
        _memory.AllocationsLeft = 1; // the 1G page needs two splits
        Assert.Equal(PagingStatus.OutOfMemory, Unmap(G1 + 0x5000, PageSize.Size4K, out _));
        _memory.AllocationsLeft = 0;
        Assert.Equal(PagingStatus.OutOfMemory, Unmap(0x5000, PageSize.Size4K, out _));
        Assert.Equal(PagingStatus.OutOfMemory, Protect(0x5000, K4, PageFlags.None));
        Assert.Equal(PagingStatus.OutOfMemory, PageTables.UnmapRange(_root, 0x1000, 0x3000, in _frames, null, out _));
        _memory.AllocationsLeft = 2; // Protect's head needs two splits, its tail one more
        Assert.Equal(PagingStatus.OutOfMemory, Protect(G1 + K4, M2, PageFlags.None));
        _memory.AllocationsLeft = -1;
        Assert.Equal(before, _memory.InUse);
        Assert.Equal(inv, Tlb.Invalidations);
        AssertMapped(G1 + 0x5000, 0x5000, RW, PageSize.Size1G);
        AssertMapped(0x5000, 0x5000, RW, PageSize.Size2M);
        AssertTreeHealthy();
        Assert.Equal(PagingStatus.Ok, Protect(G1 + K4, M2, PageFlags.None));
        Assert.Equal(before + 3, _memory.InUse);
        AssertTreeHealthy();
    }

    [Fact]
    public void MapRangeOutOfFramesRollsBack()
    {
        ulong virt = 0xffff_8880_0000_0000 + 511 * G1 + 510 * M2;
        // 4 KiB pages over four PTs, crossing into the next PML4 slot: eight tables in all.
        bool mapped = false;
        for (int left = 0; left < 16 && !mapped; left++)
        {
            _memory.AllocationsLeft = left;
            PagingStatus st = PageTables.MapRange(_root, virt, 0x100000, 3 * M2 + 0x5000, RW,
                PageSize.Size4K, in _frames, out ulong failedAt);
            _memory.AllocationsLeft = -1;
            var r = PageTreeChecker.Check(_root, _memory);
            Assert.True(r.Problems.Count == 0, r.ToString());
            Assert.Equal(1 + r.Tables, _memory.InUse); // nothing leaked
            if (st == PagingStatus.Ok)
            {
                mapped = true;
                Assert.Equal(3 * 512 + 5, r.Leaves);
                break;
            }
            Assert.Equal(PagingStatus.OutOfMemory, st);
            Assert.True(failedAt >= virt && failedAt < virt + 3 * M2 + 0x5000);
            Assert.Equal(0, r.Leaves);              // rolled back
            Assert.True(r.Tables <= 2, "only the shared kernel PDPTs may stay");
        }
        Assert.True(mapped);
    }

    // ---- TLB ----

    [Fact]
    public void TlbInvalidationsFollowTheRules()
    {
        long inv = Tlb.Invalidations, flushes = Tlb.Flushes;
        Assert.Equal(PagingStatus.Ok, Map(0x10000, 0x10000, PageSize.Size4K, RW));
        Assert.Equal(inv, Tlb.Invalidations); // a new entry needs none
        Assert.Equal(PagingStatus.Ok, Protect(0x10000, K4, PageFlags.None));
        Assert.Equal(inv + 1, Tlb.Invalidations);
        Assert.Equal(PagingStatus.Ok, Protect(0x10000, K4, PageFlags.None)); // no change, no work
        Assert.Equal(inv + 1, Tlb.Invalidations);
        Assert.Equal(PagingStatus.Ok, Unmap(0x10000, PageSize.Size4K, out _));
        Assert.Equal(inv + 2, Tlb.Invalidations);

        // 64 pages: above the threshold a single flush replaces 64 invalidations...
        Assert.Equal(PagingStatus.Ok, PageTables.MapRange(_root, 0x100000, 0x100000, 64 * K4, RW, PageSize.Size2M, in _frames, out _));
        inv = Tlb.Invalidations;
        Assert.Equal(PagingStatus.Ok, Protect(0x100000, 64 * K4, PageFlags.None));
        Assert.Equal(inv, Tlb.Invalidations);
        Assert.Equal(flushes + 1, Tlb.Flushes);
        // ...but not for global pages, which a CR3 reload keeps.
        ulong kernel = 0xffff_c000_0000_0000;
        Assert.Equal(PagingStatus.Ok, PageTables.MapRange(_root, kernel, 0x100000, 64 * K4, KernelData, PageSize.Size2M, in _frames, out _));
        inv = Tlb.Invalidations;
        Assert.Equal(PagingStatus.Ok, Protect(kernel, 64 * K4, PageFlags.Global));
        Assert.Equal(inv + 64, Tlb.Invalidations);
        Assert.Equal(flushes + 1, Tlb.Flushes);
        // A whole 2M page: one invalidation covers it.
        Assert.Equal(PagingStatus.Ok, Map(0x40000000, 0, PageSize.Size2M, RW | PageFlags.Global));
        inv = Tlb.Invalidations;
        Assert.Equal(PagingStatus.Ok, Protect(0x40000000, M2, PageFlags.Global));
        Assert.Equal(inv + 1, Tlb.Invalidations);
        // Unmapping many pages with a callback invalidates each before telling the caller.
        inv = Tlb.Invalidations;
        Assert.Equal(PagingStatus.Ok, PageTables.UnmapRange(_root, kernel, 64 * K4, in _frames, &CountUnmapped, out ulong leaves));
        Assert.Equal(64UL, leaves);
        Assert.True(Tlb.Invalidations - inv >= 64);
    }

    static int s_unmappedCalls;
    static void CountUnmapped(ulong virt, ulong phys, PageSize size) => s_unmappedCalls++;

    // ---- ranges ----

    [Fact]
    public void MapRangeUsesTheLargestPagesAlignmentAllows()
    {
        ulong virt = 0xffff_8880_0000_0000 + G1 - 3 * M2 - 2 * K4;
        ulong phys = G1 - 3 * M2 - 2 * K4;
        ulong length = 2 * K4 + 3 * M2 + G1 + M2 + 3 * K4;
        Assert.Equal(PagingStatus.Ok, PageTables.MapRange(_root, virt, phys, length, KernelData, PageSize.Size1G, in _frames, out _));
        AssertMapped(virt, phys, KernelData, PageSize.Size4K);
        AssertMapped(virt + 2 * K4, phys + 2 * K4, KernelData, PageSize.Size2M);
        AssertMapped(virt + 2 * K4 + 3 * M2, phys + 2 * K4 + 3 * M2, KernelData, PageSize.Size1G);
        AssertMapped(virt + 2 * K4 + 3 * M2 + G1, phys + 2 * K4 + 3 * M2 + G1, KernelData, PageSize.Size2M);
        AssertMapped(virt + length - K4, phys + length - K4, KernelData, PageSize.Size4K);
        Assert.Equal(PagingStatus.NotMapped, Translate(virt + length).status);
        var r = PageTreeChecker.Check(_root, _memory);
        Assert.Equal(2 + 3 + 1 + 1 + 3, r.Leaves);
        AssertTreeHealthy();

        // Without 1G pages the same range is all 2M in the middle.
        ulong other = 0xffff_9000_0000_0000 + G1 - 3 * M2 - 2 * K4;
        Assert.Equal(PagingStatus.Ok, PageTables.MapRange(_root, other, phys, length, KernelData, PageSize.Size2M, in _frames, out _));
        AssertMapped(other + 2 * K4 + 3 * M2 + 5, phys + 2 * K4 + 3 * M2 + 5, KernelData, PageSize.Size2M);
        // Virtual and physical alignment differ: 4 KiB pages only.
        ulong third = 0xffff_a000_0000_0000;
        Assert.Equal(PagingStatus.Ok, PageTables.MapRange(_root, third, 0x1000, 4 * M2, RW, PageSize.Size1G, in _frames, out _));
        AssertMapped(third + M2, 0x1000 + M2, RW, PageSize.Size4K);
    }

    [Fact]
    public void MapRangeOverAnExistingPageFailsAndRollsBack()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x600000 + 5 * K4, 0, PageSize.Size4K, RW));
        int before = _memory.InUse;
        Assert.Equal(PagingStatus.AlreadyMapped,
            PageTables.MapRange(_root, 0x200000, 0x200000, 0x800000, RW, PageSize.Size2M, in _frames, out ulong failedAt));
        Assert.Equal(0x600000UL, failedAt);
        Assert.Equal(PagingStatus.NotMapped, Translate(0x200000).status);
        Assert.Equal(before, _memory.InUse);
        AssertTreeHealthy();
    }

    [Fact]
    public void UnmapRangeReportsEveryLeafAndFreesTables()
    {
        Assert.Equal(PagingStatus.Ok, Map(0x200000, 0x1000000, PageSize.Size2M, RW));
        Assert.Equal(PagingStatus.Ok, Map(0x400000, 0x7000, PageSize.Size4K, RW));
        Assert.Equal(PagingStatus.Ok, Map(0x80_0000_0000, 0x8000, PageSize.Size4K, RW));
        s_log = new List<(ulong, ulong, PageSize)>();
        // Cuts the 2M page in half: its lower half stays.
        Assert.Equal(PagingStatus.Ok, PageTables.UnmapRange(_root, 0x300000, 0x80_0000_0000, in _frames, &Log, out ulong leaves));
        Assert.Equal(256UL + 1 + 1, leaves);
        Assert.Equal(258, s_log.Count);
        Assert.Contains((0x400000UL, 0x7000UL, PageSize.Size4K), s_log);
        Assert.Contains((0x80_0000_0000UL, 0x8000UL, PageSize.Size4K), s_log);
        Assert.Contains((0x3ff000UL, 0x11ff000UL, PageSize.Size4K), s_log);
        AssertMapped(0x2ff000, 0x10ff000, RW, PageSize.Size4K);
        Assert.Equal(PagingStatus.NotMapped, Translate(0x300000).status);
        AssertTreeHealthy();
        // The whole user half: back to an empty PML4.
        Assert.Equal(PagingStatus.Ok, PageTables.UnmapRange(_root, 0, 1UL << 47, in _frames, null, out leaves));
        Assert.Equal(256UL, leaves);
        Assert.Equal(1, _memory.InUse);
    }

    static List<(ulong, ulong, PageSize)> s_log;
    static void Log(ulong virt, ulong phys, PageSize size) => s_log.Add((virt, phys, size));

    [Fact]
    public void TheLastPageOfTheAddressSpace()
    {
        ulong top = 0xffff_ffff_ffff_f000;
        Assert.Equal(PagingStatus.Ok, Map(top, 0x5000, PageSize.Size4K, KernelData));
        Assert.Equal(PagingStatus.Ok, Protect(top, K4, PageFlags.None));
        AssertMapped(top + 0xfff, 0x5fff, PageFlags.None, PageSize.Size4K);
        Assert.Equal(PagingStatus.Ok, PageTables.UnmapRange(_root, 0xffff_ffff_ffe0_0000, M2, in _frames, null, out ulong leaves));
        Assert.Equal(1UL, leaves);
        Assert.Equal(2, _memory.InUse); // the kernel PDPT stays
        AssertTreeHealthy();
    }

    // ---- text ----

    [Fact]
    public void WalkDescribesEachLevel()
    {
        ulong virt = 0xffff_8880_0020_1234;
        Assert.Equal(PagingStatus.Ok, Map(0xffff_8880_0020_0000, 0x200000, PageSize.Size2M, KernelData | PageFlags.Accessed | PageFlags.Dirty));
        string s = WalkText(virt);
        ulong pdpt = PageTableEntry.TableAddress(((ulong*)_root)[273]);
        ulong pd = PageTableEntry.TableAddress(((ulong*)pdpt)[0]);
        string expected =
            $"walk 0xffff888000201234 root 0x{_root:x16}\n" +
            $"  PML4[273] = 0x{pdpt | 0x23:x16}  table 0x{pdpt:x16}  P RW A\n" +
            $"  PDPT[0]   = 0x{pd | 0x23:x16}  table 0x{pd:x16}  P RW A\n" +
            "  PD[1]     = 0x80000000002001e3  2M page 0x0000000000200000  P RW A D PS G NX\n" +
            "physical 0x0000000000201234 (2M page)\n";
        Assert.Equal(expected, s);

        string missing = WalkText(0x1000);
        Assert.EndsWith("  PML4[0]   = 0x0000000000000000  not present\nnot mapped\n", missing);
        Assert.Contains("not canonical", WalkText(0x0000_8000_0000_0000));
    }

    string WalkText(ulong virt)
    {
        byte* buffer = stackalloc byte[1024];
        var text = new TextBuilder(buffer, 1024);
        PageTables.Walk(_root, virt, ref text);
        return Encoding.ASCII.GetString(buffer, text.Length);
    }
}
