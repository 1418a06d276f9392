using System;
using System.Collections.Generic;
using Kernel.Arch.X64.Paging;
using Xunit;

namespace Kernel.Tests.Paging;

/// <summary>
/// Property test: thousands of random Map / Unmap / Protect / MapRange / UnmapRange operations
/// with 4 KiB and 2 MiB pages over two 16 MiB windows (one in each half, each crossing a 1 GiB
/// boundary), some of them starved of frames, checked against a dictionary model: every status,
/// Translate of sampled pages after each step and of every page regularly, the number of leaves,
/// the whole tree's invariants and the frame count (no leak, no table left empty). A failure
/// names its seed and step.
/// </summary>
[Collection("PhysicalMap")]
public class PageTablesRandomTests
{
    const ulong K4 = 0x1000, M2 = 0x200000, G1 = 0x40000000;
    const ulong WindowSize = 16 * 1024 * 1024;
    static readonly ulong[] Windows = { G1 - WindowSize / 2, 0xffff_9000_4000_0000 - WindowSize / 2 };
    static readonly PageFlags[] FlagBits = { PageFlags.Writable, PageFlags.User, PageFlags.NoExecute, PageFlags.Global,
        PageFlags.WriteThrough, PageFlags.CacheDisable, PageFlags.Pat, PageFlags.Accessed, PageFlags.Dirty };

    struct Page
    {
        public ulong Phys;        // of this 4 KiB page
        public PageFlags Flags;   // Present included
        public PageSize Size;     // of the leaf that maps it
    }

    sealed class Model
    {
        public Dictionary<ulong, Page> Pages = new();
        public Model Clone() => new Model { Pages = new Dictionary<ulong, Page>(Pages) };

        public int Leaves
        {
            get
            {
                int n = 0;
                foreach (var kv in Pages)
                    if (kv.Value.Size == PageSize.Size4K || (kv.Key & (M2 - 1)) == 0)
                        n++;
                return n;
            }
        }

        public bool AnyMapped(ulong start, ulong length)
        {
            for (ulong a = start; a - start < length; a += K4)
                if (Pages.ContainsKey(a))
                    return true;
            return false;
        }

        /// <summary>Splits the 2 MiB leaf holding <paramref name="page"/> if [start, start + length)
        /// covers it only in part.</summary>
        public void SplitIfCut(ulong page, ulong start, ulong length)
        {
            ulong leaf = page & ~(M2 - 1);
            if (leaf < start || leaf + M2 > start + length)
                Split(page);
        }

        /// <summary>Turns the 2 MiB leaf holding <paramref name="page"/> (if any) into 4 KiB leaves.</summary>
        public void Split(ulong page)
        {
            if (!Pages.TryGetValue(page, out Page p) || p.Size != PageSize.Size2M)
                return;
            ulong leaf = page & ~(M2 - 1);
            for (ulong a = leaf; a < leaf + M2; a += K4)
            {
                Page q = Pages[a];
                q.Size = PageSize.Size4K;
                Pages[a] = q;
            }
        }
    }

    static PageFlags RandomFlags(Random rng)
    {
        PageFlags f = PageFlags.None;
        foreach (PageFlags bit in FlagBits)
            if (rng.Next(3) == 0)
                f |= bit;
        return f;
    }

    static PageFlags Protected(PageFlags old, PageFlags requested) =>
        requested | PageFlags.Present | (old & (PageFlags.Accessed | PageFlags.Dirty));

    static unsafe void Run(int seed, int steps)
    {
        var rng = new Random(seed);
        using var memory = new FakePhysicalMemory(8192);
        FrameSource frames = memory.Source;
        ulong root = memory.NewRoot();
        var model = new Model();
        int starved = 0, succeeded = 0;

        for (int step = 0; step < steps; step++)
        {
            string where = $"seed {seed} step {step}";
            ulong window = Windows[rng.Next(Windows.Length)];
            ulong page = window + (ulong)rng.Next((int)(WindowSize / K4)) * K4;
            ulong large = window + (ulong)rng.Next((int)(WindowSize / M2)) * M2;
            ulong rangeLength = Math.Min((ulong)rng.Next(1, 1200) * K4, window + WindowSize - page);
            if (rng.Next(40) == 0)
            {
                // Now and then a whole window goes: its tables are freed and must be rebuilt.
                page = window;
                rangeLength = WindowSize;
            }
            ulong phys = (ulong)rng.NextInt64(0, 1L << 28) << 12;
            bool starve = rng.Next(4) == 0;
            memory.AllocationsLeft = starve ? rng.Next(0, 3) : -1;
            var before = model.Clone();
            int op = rng.Next(100);
            PagingStatus expected, actual;
            bool oomAllowed = starve;
            string what;

            if (op < 25)
            {
                what = $"Map4K {page:x}";
                PageFlags f = RandomFlags(rng);
                expected = model.Pages.ContainsKey(page) ? PagingStatus.AlreadyMapped : PagingStatus.Ok;
                oomAllowed &= expected == PagingStatus.Ok;
                actual = PageTables.Map(root, page, phys, PageSize.Size4K, f, in frames);
                if (actual == PagingStatus.Ok)
                    model.Pages[page] = new Page { Phys = phys, Flags = f | PageFlags.Present, Size = PageSize.Size4K };
            }
            else if (op < 35)
            {
                what = $"Map2M {large:x}";
                PageFlags f = RandomFlags(rng);
                phys &= ~(M2 - 1);
                expected = model.AnyMapped(large, M2) ? PagingStatus.AlreadyMapped : PagingStatus.Ok;
                oomAllowed &= expected == PagingStatus.Ok;
                actual = PageTables.Map(root, large, phys, PageSize.Size2M, f, in frames);
                if (actual == PagingStatus.Ok)
                    for (ulong i = 0; i < 512; i++)
                        model.Pages[large + i * K4] = new Page { Phys = phys + i * K4, Flags = f | PageFlags.Present, Size = PageSize.Size2M };
            }
            else if (op < 55)
            {
                what = $"Unmap4K {page:x}";
                bool has = model.Pages.TryGetValue(page, out Page p);
                expected = has ? PagingStatus.Ok : PagingStatus.NotMapped;
                oomAllowed &= has && p.Size == PageSize.Size2M;
                actual = PageTables.Unmap(root, page, PageSize.Size4K, out ulong gone, in frames);
                if (actual == PagingStatus.Ok)
                {
                    Assert.True(gone == p.Phys, $"{where}: {what} returned 0x{gone:x}, model 0x{p.Phys:x}");
                    model.Split(page);
                    model.Pages.Remove(page);
                }
            }
            else if (op < 62)
            {
                what = $"Unmap2M {large:x}";
                bool has = model.Pages.TryGetValue(large, out Page p);
                expected = has && p.Size == PageSize.Size2M ? PagingStatus.Ok
                    : model.AnyMapped(large, M2) ? PagingStatus.SizeMismatch : PagingStatus.NotMapped;
                oomAllowed = false;
                actual = PageTables.Unmap(root, large, PageSize.Size2M, out ulong gone, in frames);
                if (actual == PagingStatus.Ok)
                {
                    Assert.True(gone == p.Phys, $"{where}: {what} returned 0x{gone:x}, model 0x{p.Phys:x}");
                    for (ulong i = 0; i < 512; i++)
                        model.Pages.Remove(large + i * K4);
                }
            }
            else if (op < 82)
            {
                PageFlags f = RandomFlags(rng);
                what = $"Protect {page:x}+{rangeLength:x} {f}";
                expected = PagingStatus.Ok;
                actual = PageTables.Protect(root, page, rangeLength, f, in frames);
                if (actual == PagingStatus.Ok)
                {
                    // A 2M leaf cut by either end and actually changing becomes 4 KiB leaves.
                    foreach (ulong edge in new[] { page, page + rangeLength - K4 })
                        if (model.Pages.TryGetValue(edge, out Page e) && Protected(e.Flags, f) != e.Flags)
                            model.SplitIfCut(edge, page, rangeLength);
                    for (ulong a = page; a < page + rangeLength; a += K4)
                        if (model.Pages.TryGetValue(a, out Page q))
                        {
                            q.Flags = Protected(q.Flags, f);
                            model.Pages[a] = q;
                        }
                }
            }
            else if (op < 90)
            {
                what = $"UnmapRange {page:x}+{rangeLength:x}";
                expected = PagingStatus.Ok;
                actual = PageTables.UnmapRange(root, page, rangeLength, in frames, null, out ulong leaves);
                if (actual == PagingStatus.Ok)
                {
                    model.SplitIfCut(page, page, rangeLength);
                    model.SplitIfCut(page + rangeLength - K4, page, rangeLength);
                    int leavesBefore = model.Leaves;
                    for (ulong a = page; a < page + rangeLength; a += K4)
                        model.Pages.Remove(a);
                    int removed = leavesBefore - model.Leaves;
                    Assert.True((ulong)removed == leaves, $"{where}: {what} removed {leaves} leaves, model {removed}");
                }
            }
            else
            {
                PageFlags f = RandomFlags(rng);
                if (rng.Next(2) == 0)
                    phys = (phys & ~(M2 - 1)) + (page & (M2 - 1)); // same alignment: 2M pages possible
                what = $"MapRange {page:x}+{rangeLength:x} -> {phys:x}";
                expected = model.AnyMapped(page, rangeLength) ? PagingStatus.AlreadyMapped : PagingStatus.Ok;
                actual = PageTables.MapRange(root, page, phys, rangeLength, f, PageSize.Size2M, in frames, out _);
                if (actual == PagingStatus.Ok)
                {
                    for (ulong done = 0; done < rangeLength;)
                    {
                        ulong v = page + done, p = phys + done;
                        bool big = ((v | p) & (M2 - 1)) == 0 && rangeLength - done >= M2;
                        ulong size = big ? M2 : K4;
                        for (ulong i = 0; i < size; i += K4)
                            model.Pages[v + i] = new Page { Phys = p + i, Flags = f | PageFlags.Present, Size = big ? PageSize.Size2M : PageSize.Size4K };
                        done += size;
                    }
                }
            }
            memory.AllocationsLeft = -1;

            if (actual == PagingStatus.OutOfMemory && oomAllowed)
            {
                starved++;
                model = before; // nothing may have changed
            }
            else
            {
                Assert.True(expected == actual, $"{where}: {what} returned {actual}, model expected {expected}");
                if (actual == PagingStatus.Ok) succeeded++;
            }

            // The whole tree: consistent, every table accounted for, none left empty.
            var tree = PageTreeChecker.Check(root, memory);
            Assert.True(tree.Problems.Count == 0, $"{where}: after {what}:\n{tree}");
            Assert.True(memory.InUse == 1 + tree.Tables, $"{where}: after {what}: {memory.InUse} frames in use, {1 + tree.Tables} reachable");
            Assert.True(memory.Errors.Count == 0, $"{where}: {string.Join("; ", memory.Errors)}");
            Assert.True(tree.Leaves == model.Leaves, $"{where}: after {what}: {tree.Leaves} leaves, model {model.Leaves}");

            bool full = step % 200 == 199 || step == steps - 1;
            int samples = full ? (int)(WindowSize / K4) : 48;
            foreach (ulong w in Windows)
                for (int s = 0; s < samples; s++)
                {
                    ulong a = w + (full ? (ulong)s : (ulong)rng.Next((int)(WindowSize / K4))) * K4;
                    CheckPage(root, model, a, where, what);
                }
        }

        // The run must have exercised both paths. Starvation only bites when an operation needs a
        // new table, so its count varies a lot between seeds (seen as low as 5 in 2500 steps):
        // ask for one, not for a rate.
        Assert.True(starved > 0 && succeeded > steps / 3, $"seed {seed}: too few starved ({starved}) or successful ({succeeded}) operations");
        foreach (ulong w in Windows)
            Assert.Equal(PagingStatus.Ok, PageTables.UnmapRange(root, w, WindowSize, in frames, null, out _));
        var end = PageTreeChecker.Check(root, memory);
        Assert.True(end.Problems.Count == 0, end.ToString());
        Assert.Equal(1, end.Tables);      // the kernel window's PDPT, shared, stays
        Assert.Equal(2, memory.InUse);    // it and the PML4
        Assert.Equal(memory.Allocations - 2, memory.Frees);
    }

    static void CheckPage(ulong root, Model model, ulong a, string where, string what)
    {
        PagingStatus st = PageTables.Translate(root, a + 0x123, out ulong phys, out PageFlags flags, out PageSize size);
        if (model.Pages.TryGetValue(a, out Page p))
        {
            if (st != PagingStatus.Ok || phys != p.Phys + 0x123 || flags != p.Flags || size != p.Size)
                Assert.Fail($"{where}: after {what}: page {a:x} is {st} {phys:x} {flags} {size}, model {p.Phys + 0x123:x} {p.Flags} {p.Size}");
        }
        else if (st != PagingStatus.NotMapped)
        {
            Assert.Fail($"{where}: after {what}: page {a:x} is {st} {phys:x}, model says not mapped");
        }
    }

    [Fact]
    public void RandomOperationsMatchTheDictionaryModel()
    {
        int baseSeed = Environment.TickCount;
        for (int i = 0; i < 4; i++)
            Run(baseSeed + i, 2500);
    }

    [Fact]
    public void FixedSeedsMatchTheDictionaryModel()
    {
        Run(1, 2500);
        Run(20240601, 2500);
    }
}
