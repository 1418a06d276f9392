using System;
using System.Collections.Generic;
using Kernel.Arch.X64.Paging;
using Kernel.Memory.Virtual;
using Kernel.Tests.Paging;
using Xunit;

namespace Kernel.Tests.Memory;

/// <summary>vmalloc over real page tables in fake physical memory.</summary>
[Collection("PhysicalMap")]
public sealed unsafe class VmallocTests
{
    const ulong Start = 0xffffc90000000000, End = Start + (1UL << 30);
    const PageFlags Flags = PageFlags.Present | PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global;

    /// <summary>A root whose kernel-half slot for the vmalloc range has its PDPT, as the kernel
    /// preallocates at boot (kernel-half PDPTs are shared by every address space and never freed).</summary>
    static ulong NewKernelRoot(FakePhysicalMemory ram)
    {
        ulong root = ram.NewRoot();
        int slot = (int)((Start >> 39) & 511);
        FrameSource keep = ram.Source;
        Assert.Equal(PagingStatus.Ok, PageTables.PreallocateKernelSlots(root, slot, slot, in keep));
        return root;
    }

    static bool Mapped(ulong root, ulong va) => PageTables.Translate(root, va, out _, out _, out _) == PagingStatus.Ok;

    /// <summary>The host address behind a mapped virtual address (fake RAM is identity-mapped on the host).</summary>
    static ulong* Host(ulong root, ulong va)
    {
        Assert.Equal(PagingStatus.Ok, PageTables.Translate(root, va, out ulong phys, out _, out _));
        return (ulong*)phys;
    }

    [Fact]
    public void AllocationIsMappedZeroedAndFollowedByAGuardPage()
    {
        using var ram = new FakePhysicalMemory();
        ulong root = NewKernelRoot(ram);
        var space = new VmallocSpace();
        space.Initialize(root, Start, End);
        FrameSource frames = ram.Source;

        ulong a = space.Allocate(3 * 4096 + 1, Flags, in frames);
        Assert.Equal(Start, a);
        for (ulong p = 0; p < 4; p++)
        {
            Assert.True(PageTables.Translate(root, a + p * 4096, out ulong phys, out PageFlags f, out _) == PagingStatus.Ok);
            Assert.Equal(0UL, *(ulong*)phys);
            Assert.True((f & PageFlags.Writable) != 0 && (f & PageFlags.NoExecute) != 0);
        }
        Assert.False(Mapped(root, a + 4 * 4096));
        Assert.True(space.IsGuard(a + 4 * 4096 + 8, out ulong s, out ulong e));
        Assert.Equal(a, s);
        Assert.Equal(a + 4 * 4096, e);
        Assert.True(space.IsGuard(a - 1, out _, out _)); // the page below: where a stack overflows

        ulong b = space.Allocate(4096, Flags, in frames);
        Assert.Equal(a + 5 * 4096, b); // after a's guard page
        Assert.True(space.IsGuard(b - 1, out s, out _)); // a's guard is also the page below b:
        Assert.Equal(b, s);                              // a stack at b overflowing is named
        Assert.Equal(5UL, space.MappedPages);
    }

    [Fact]
    public void FreeReturnsEveryFrameAndTable()
    {
        using var ram = new FakePhysicalMemory();
        ulong root = NewKernelRoot(ram);
        int baseline = ram.InUse;
        var space = new VmallocSpace();
        space.Initialize(root, Start, End);
        FrameSource frames = ram.Source;
        ulong a = space.Allocate(64 * 1024, Flags, in frames);
        ulong b = space.Allocate(8192, Flags, in frames);
        Assert.True(ram.InUse > baseline + 18);
        Assert.False(space.Free(a + 4096, in frames)); // not the start of an area
        Assert.True(space.Free(a, in frames));
        Assert.True(space.Free(b, in frames));
        Assert.False(space.Free(b, in frames));
        Assert.Equal(baseline, ram.InUse);
        Assert.Equal(0, space.AreaCount);
        Assert.Empty(ram.Errors);
    }

    [Fact]
    public void ExhaustedMemoryFailsCleanly()
    {
        using var ram = new FakePhysicalMemory();
        ulong root = NewKernelRoot(ram);
        int baseline = ram.InUse;
        var space = new VmallocSpace();
        space.Initialize(root, Start, End);
        FrameSource frames = ram.Source;
        ram.AllocationsLeft = 6;
        Assert.Equal(0UL, space.Allocate(16 * 4096, Flags, in frames));
        Assert.Equal(baseline, ram.InUse);
        Assert.Equal(0, space.AreaCount);
        ram.AllocationsLeft = -1;
        Assert.NotEqual(0UL, space.Allocate(16 * 4096, Flags, in frames));
    }

    [Fact]
    public void RangeAndTableLimitsAreHonoured()
    {
        using var ram = new FakePhysicalMemory();
        ulong root = NewKernelRoot(ram);
        var space = new VmallocSpace();
        space.Initialize(root, Start, Start + 4 * 4096);
        FrameSource frames = ram.Source;
        Assert.Equal(0UL, space.Allocate(0, Flags, in frames));
        Assert.Equal(0UL, space.Allocate(4 * 4096, Flags, in frames)); // no room for the guard page
        Assert.Equal(Start, space.Allocate(3 * 4096, Flags, in frames));
        Assert.Equal(0UL, space.Allocate(4096, Flags, in frames));
    }

    [Fact]
    public void FreedHolesAreReusedFirstFit()
    {
        using var ram = new FakePhysicalMemory();
        ulong root = NewKernelRoot(ram);
        var space = new VmallocSpace();
        space.Initialize(root, Start, End);
        FrameSource frames = ram.Source;
        ulong a = space.Allocate(2 * 4096, Flags, in frames);
        ulong b = space.Allocate(2 * 4096, Flags, in frames);
        Assert.True(space.Free(a, in frames));
        Assert.Equal(a, space.Allocate(4096, Flags, in frames));        // fits in a's hole with its guard
        Assert.True(space.Allocate(2 * 4096, Flags, in frames) > b);    // does not: goes after b
    }

    [Fact]
    public void RandomAllocateAndFreeKeepsAreasDisjointAndLosesNothing()
    {
        const int Seed = 20261125;
        var random = new Random(Seed);
        using var ram = new FakePhysicalMemory(16384);
        ulong root = NewKernelRoot(ram);
        int baseline = ram.InUse;
        var space = new VmallocSpace();
        space.Initialize(root, Start, End);
        FrameSource frames = ram.Source;
        var live = new Dictionary<ulong, ulong>(); // start -> pages
        for (int step = 0; step < 4000; step++)
        {
            if (live.Count < 200 && (live.Count == 0 || random.Next(3) != 0))
            {
                ulong pages = (ulong)random.Next(1, 9);
                ulong a = space.Allocate(pages * 4096, Flags, in frames);
                Assert.True(a != 0, $"seed {Seed} step {step}: allocation failed");
                foreach (var (s, n) in live)
                    Assert.True(a + (pages + 1) * 4096 <= s || s + (n + 1) * 4096 <= a, $"seed {Seed} step {step}: overlap");
                *Host(root, a + 8) = a; // write through the mapping
                live[a] = pages;
            }
            else
            {
                ulong victim = 0;
                int k = random.Next(live.Count);
                foreach (ulong s in live.Keys) if (k-- == 0) { victim = s; break; }
                Assert.Equal(victim, *Host(root, victim + 8));
                *Host(root, victim + 8) = 0; // the fake RAM checks that freed frames are clean
                Assert.True(space.Free(victim, in frames));
                Assert.False(Mapped(root, victim));
                live.Remove(victim);
            }
        }
        foreach (ulong s in new List<ulong>(live.Keys))
        {
            *Host(root, s + 8) = 0;
            Assert.True(space.Free(s, in frames));
        }
        Assert.Equal(baseline, ram.InUse);
        Assert.Equal(0UL, space.MappedPages);
        Assert.Empty(ram.Errors);
    }
}
