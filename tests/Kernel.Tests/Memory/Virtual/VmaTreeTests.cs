using System;
using System.Collections.Generic;
using Kernel.Memory.Virtual;
using Xunit;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>The augmented red-black tree alone: examples, then long random runs against a
/// sorted list with a full invariant check after every step.</summary>
public sealed unsafe class VmaTreeTests
{
    const ulong Page = 4096;
    const ulong Guard = 256 * Page;

    static VmArea* Add(ref VmaTree tree, ulong start, ulong end, uint flags = VmaFlags.Anonymous)
    {
        VmArea* v = tree.NewNode();
        v->Start = start;
        v->End = end;
        v->Flags = flags;
        v->Protection = Prot.Read | Prot.Write;
        tree.Insert(v);
        return v;
    }

    static void AssertValid(ref VmaTree tree)
    {
        VmaViolation v = tree.Validate(out ulong where);
        Assert.True(v == VmaViolation.None, $"{v} at 0x{where:x}");
    }

    [Fact]
    public void NodeFitsItsSlotWithTheLookupFieldsInTheFirstCacheLine()
    {
        Assert.True(sizeof(VmArea) <= 128, $"VmArea is {sizeof(VmArea)} bytes; VmaNodePages slots are 128");
        VmArea v = default;
        byte* b = (byte*)&v;
        Assert.True((byte*)&v.End - b < 64 && (byte*)&v.SubtreeMaxGap - b < 64, "range and gap in the first 64 bytes");
    }

    [Fact]
    public void FindReturnsFirstAreaEndingAboveTheAddress()
    {
        using var nodes = new HostVmaNodes();
        var tree = new VmaTree();
        tree.Initialize(nodes.Allocator, Guard);
        Add(ref tree, 0x10000, 0x20000);
        Add(ref tree, 0x40000, 0x50000);
        Assert.Equal(0x10000UL, tree.Find(0)->Start);
        Assert.Equal(0x10000UL, tree.Find(0x1ffff)->Start);
        Assert.Equal(0x40000UL, tree.Find(0x20000)->Start);
        Assert.True(tree.Find(0x50000) == null);
        Assert.True(tree.FindContaining(0x30000) == null);
        Assert.Equal(0x40000UL, tree.FindContaining(0x40000)->Start);
        Assert.Equal(0x10000UL, tree.FindPrevious(0x40000)->Start);
        Assert.Equal(0x40000UL, tree.FindPrevious(0x40001)->Start);
        Assert.True(tree.FindIntersection(0x20000, 0x40000) == null);
        Assert.Equal(0x40000UL, tree.FindIntersection(0x20000, 0x40001)->Start);
        AssertValid(ref tree);
        tree.Clear();
        Assert.Equal(0, nodes.Live);
    }

    [Fact]
    public void TopDownGapSearchTakesTheHighestFitWithinBounds()
    {
        using var nodes = new HostVmaNodes();
        var tree = new VmaTree();
        tree.Initialize(nodes.Allocator, Guard);
        Add(ref tree, 0x100000, 0x200000);
        Add(ref tree, 0x300000, 0x400000);  // gap below: 1 MiB
        Add(ref tree, 0x420000, 0x500000);  // gap below: 128 KiB
        Assert.True(tree.FindGapTopDown(0x10000, 0x100000, 0x500000, out ulong s, out ulong e));
        Assert.Equal((0x400000UL, 0x420000UL), (s, e));
        Assert.True(tree.FindGapTopDown(0x30000, 0x100000, 0x500000, out s, out e));
        Assert.Equal((0x200000UL, 0x300000UL), (s, e));
        // Bounds clip the gaps.
        Assert.True(tree.FindGapTopDown(0x10000, 0x100000, 0x280000, out s, out e));
        Assert.Equal((0x200000UL, 0x280000UL), (s, e));
        Assert.False(tree.FindGapTopDown(0x200000, 0x100000, 0x500000, out _, out _));
        Assert.True(tree.FindGapTopDown(0x100000, 0, 0x2ff000, out s, out e));
        Assert.Equal((0UL, 0x100000UL), (s, e));
        Assert.True(tree.FindGapBottomUp(0x10000, 0x100000, 0x600000, out s, out e));
        Assert.Equal((0x200000UL, 0x300000UL), (s, e));
        tree.Clear();
    }

    [Fact]
    public void GrowsDownAreaKeepsItsGuardGapOutOfTheSearch()
    {
        using var nodes = new HostVmaNodes();
        var tree = new VmaTree();
        tree.Initialize(nodes.Allocator, Guard);
        Add(ref tree, 0x100000, 0x200000);
        Add(ref tree, 0x200000 + Guard + 0x10000, 0x800000, VmaFlags.Anonymous | VmaFlags.GrowsDown);
        Assert.True(tree.FindGapTopDown(0x10000, 0x100000, 0x800000, out ulong s, out ulong e));
        Assert.Equal((0x200000UL, 0x210000UL), (s, e));
        Assert.False(tree.FindGapTopDown(0x20000, 0x100000, 0x800000, out _, out _));
        AssertValid(ref tree);
        tree.Clear();
    }

    /// <summary>Random inserts, removes, in-place adjusts and gap searches, checked against a
    /// sorted list and a brute-force gap scan.</summary>
    [Theory]
    [InlineData(1, 60_000)]
    [InlineData(2, 60_000)]
    [InlineData(3, 30_000)]
    public void RandomOperationsMatchASortedListModel(int seed, int steps)
    {
        using var nodes = new HostVmaNodes();
        var tree = new VmaTree();
        tree.Initialize(nodes.Allocator, 4 * Page);
        var rng = new Random(seed);
        var model = new SortedDictionary<ulong, (ulong End, bool Down)>();
        const ulong Slots = 2048; // address space of 2048 pages
        for (int step = 0; step < steps; step++)
        {
            try
            {
                int op = rng.Next(10);
                if (op < 4 || model.Count == 0)
                {
                    ulong start = (ulong)rng.Next((int)Slots) * Page;
                    ulong end = start + (ulong)rng.Next(1, 9) * Page;
                    if (end > Slots * Page || tree.FindIntersection(start, end) != null) continue;
                    bool down = rng.Next(8) == 0;
                    Add(ref tree, start, end, VmaFlags.Anonymous | (down ? VmaFlags.GrowsDown : 0));
                    model.Add(start, (end, down));
                }
                else if (op < 7)
                {
                    ulong addr = (ulong)rng.Next((int)Slots) * Page;
                    VmArea* v = tree.Find(addr);
                    if (v == null) continue;
                    model.Remove(v->Start);
                    tree.Remove(v);
                    tree.FreeNode(v);
                }
                else if (op < 8)
                {
                    // Shrink or grow one VMA in place within its neighbours.
                    VmArea* v = tree.Find((ulong)rng.Next((int)Slots) * Page);
                    if (v == null) continue;
                    ulong lo = v->Prev != null ? v->Prev->End : 0;
                    ulong hi = v->Next != null ? v->Next->Start : Slots * Page;
                    ulong s = lo + (ulong)rng.Next((int)((v->Start - lo) / Page) + 1) * Page;
                    ulong e = v->End + (ulong)rng.Next((int)((hi - v->End) / Page) + 1) * Page;
                    if (rng.Next(2) == 0 && v->End - v->Start > Page) e = v->End - Page;
                    var old = model[v->Start];
                    model.Remove(v->Start);
                    model.Add(s, (e, old.Down));
                    tree.Adjust(v, s, e);
                }
                else
                {
                    ulong length = (ulong)rng.Next(1, 40) * Page;
                    ulong low = (ulong)rng.Next((int)Slots) * Page;
                    ulong high = low + (ulong)rng.Next((int)Slots) * Page;
                    bool topDown = op == 8;
                    bool found = topDown
                        ? tree.FindGapTopDown(length, low, high, out ulong s, out ulong e)
                        : tree.FindGapBottomUp(length, low, high, out s, out e);
                    var expect = BruteForceGap(model, 4 * Page, length, low, high, topDown);
                    Assert.Equal(expect.HasValue, found);
                    if (found) Assert.Equal(expect.Value, (s, e));
                }
                Assert.Equal(model.Count, tree.Count);
                AssertValid(ref tree);
                if (step % 97 == 0)
                {
                    VmArea* v = tree.First;
                    foreach (var kv in model)
                    {
                        Assert.Equal(kv.Key, v->Start);
                        Assert.Equal(kv.Value.End, v->End);
                        v = v->Next;
                    }
                }
            }
            catch (Exception ex) when (ex is not TestFailureException)
            {
                throw new TestFailureException($"seed {seed} step {step}: {ex.Message}", ex);
            }
        }
        int height = tree.Height();
        Assert.True(height <= 2 * Math.Log2(tree.Count + 1) + 1, $"height {height} for {tree.Count}");
        tree.Clear();
        Assert.Equal(0, nodes.Live);
    }

    static (ulong, ulong)? BruteForceGap(SortedDictionary<ulong, (ulong End, bool Down)> model, ulong guard,
        ulong length, ulong low, ulong high, bool topDown)
    {
        var gaps = new List<(ulong, ulong)>();
        ulong prevEnd = 0;
        foreach (var kv in model)
        {
            ulong start = kv.Value.Down ? (kv.Key > guard ? kv.Key - guard : 0) : kv.Key;
            gaps.Add((prevEnd, start));
            prevEnd = kv.Value.End;
        }
        gaps.Add((prevEnd, ulong.MaxValue));
        if (topDown) gaps.Reverse();
        foreach (var (gs, ge) in gaps)
        {
            ulong s = Math.Max(gs, low), e = Math.Min(ge, high);
            if (e > s && e - s >= length) return (s, e);
        }
        return null;
    }
}

public sealed class TestFailureException : Exception
{
    public TestFailureException(string message, Exception inner) : base(message, inner) { }
}
