using System;
using System.Collections.Generic;
using Kernel.Memory.Physical;
using Xunit;

namespace Kernel.Tests.Memory;

/// <summary>
/// Property test: random add / reserve / remove / free / allocate sequences on fresh memblocks,
/// each step checked against a page-bitmap reference model (the arrays describe exactly the
/// model's page sets, sorted, merged and non-overlapping; IterateFree yields exactly the model's
/// free pages; Allocate returns exactly the model's highest fit). A failure names its seed.
/// </summary>
public class MemblockRandomTests
{
    const ulong Page = 4096;

    sealed class Model
    {
        public readonly int Pages;
        public readonly bool[] Memory, Reserved;
        public Model(int pages) { Pages = pages; Memory = new bool[pages]; Reserved = new bool[pages]; }
        public Model Clone()
        {
            var m = new Model(Pages);
            Array.Copy(Memory, m.Memory, Pages);
            Array.Copy(Reserved, m.Reserved, Pages);
            return m;
        }
        public int Regions(bool[] set)
        {
            int n = 0;
            for (int p = 0; p < Pages; p++)
                if (set[p] && (p == 0 || !set[p - 1]))
                    n++;
            return n;
        }
    }

    /// <summary>Pages wholly inside [b, b+s) (inward) or touched by it (outward), clipped to the window.</summary>
    static (long first, long end) PageSpan(ulong b, ulong s, bool outward, int pages)
    {
        if (s == 0)
            return (0, 0);
        ulong e = b + s;
        long first = outward ? (long)(b / Page) : (long)((b + Page - 1) / Page);
        long end = outward ? (long)((e + Page - 1) / Page) : (long)(e / Page);
        if (end > pages) end = pages;
        return (first, Math.Max(first, end));
    }

    static void Set(bool[] set, (long first, long end) span, bool value)
    {
        for (long p = span.first; p < span.end; p++)
            set[p] = value;
    }

    static ulong ModelAllocate(Model m, ulong size, ulong align, ulong limit)
    {
        size = (size + Page - 1) & ~(Page - 1);
        if (align < Page) align = Page;
        ulong top = Math.Min(limit & ~(Page - 1), (ulong)m.Pages * Page);
        if (top < size) return 0;
        for (ulong a = (top - size) & ~(align - 1); a >= Page; a -= align)
        {
            bool fits = true;
            for (ulong p = a / Page; p < (a + size) / Page && fits; p++)
                fits = m.Memory[p] && !m.Reserved[p];
            if (fits)
                return a;
            if (a < align) break;
        }
        return 0;
    }

    static void Check(bool condition, Func<string> message)
    {
        if (!condition)
            Assert.Fail(message());
    }

    static void CheckArray(ref MemblockRegionArray array, bool[] set, string what, Func<string> where)
    {
        Check(array.CheckInvariants(), () => $"{what} array not sorted/merged ({where()})");
        var expected = new List<(ulong, ulong)>();
        for (int p = 0; p < set.Length; p++)
        {
            if (!set[p]) continue;
            int q = p;
            while (q < set.Length && set[q]) q++;
            expected.Add(((ulong)p * Page, (ulong)q * Page));
            p = q;
        }
        var actual = MemblockTests.Regions(ref array);
        bool same = expected.Count == actual.Count;
        for (int i = 0; same && i < expected.Count; i++)
            same = expected[i] == actual[i];
        Check(same, () => $"{what} array differs from the model ({where()}): expected [{string.Join(" ", expected)}] got [{string.Join(" ", actual)}]");
    }

    static void CheckAll(ref Memblock mb, Model m, Func<string> where)
    {
        CheckArray(ref mb.Memory, m.Memory, "memory", where);
        CheckArray(ref mb.Reserved, m.Reserved, "reserved", where);
        var free = new bool[m.Pages];
        ulong prevEnd = 0;
        bool first = true;
        ulong cursor = 0, s, e;
        while (mb.IterateFree(ref cursor, out s, out e))
        {
            Check(s < e && s % Page == 0 && e % Page == 0, () => $"free range not page aligned ({where()})");
            Check(first || s > prevEnd, () => $"free ranges not ascending and maximal ({where()})");
            for (ulong p = s / Page; p < e / Page; p++)
                free[p] = true;
            prevEnd = e;
            first = false;
        }
        ulong freePages = 0;
        for (int p = 0; p < m.Pages; p++)
        {
            bool expected = m.Memory[p] && !m.Reserved[p];
            if (expected != free[p])
                Assert.Fail($"page {p:x} free={free[p]}, model says {expected} ({where()})");
            if (expected) freePages++;
        }
        ulong freeBytes = mb.FreeBytes;
        Check(freePages * Page == freeBytes, () => $"FreeBytes {freeBytes:x} != {freePages * Page:x} ({where()})");
    }

    /// <summary>Runs one sequence of <paramref name="steps"/> operations over a window of
    /// <paramref name="pages"/> pages.</summary>
    static (int overflows, int allocations) RunSequence(int seed, int steps, int pages, ulong maxSize)
    {
        var rng = new Random(seed);
        Memblock mb = default;
        var m = new Model(pages);
        ulong window = (ulong)pages * Page;
        bool overflowed = false;
        int overflows = 0, allocations = 0;
        for (int step = 0; step < steps; step++)
        {
            int stepNow = step;
            Func<string> where = () => $"seed {seed} step {stepNow}";
            int op = rng.Next(100);
            // Unaligned, overlapping, sometimes tiny inputs; some end past the window (clipped by the model).
            ulong b = (ulong)rng.NextInt64(0, (long)window);
            ulong s = rng.Next(8) == 0 ? (ulong)rng.Next(1, 64) : (ulong)rng.NextInt64(1, (long)maxSize);
            if (b + s > window) s = window - b;
            var before = m.Clone();
            MemblockStatus st;
            if (op < 30)
            {
                st = mb.AddMemory(b, s);
                Set(m.Memory, PageSpan(b, s, false, pages), true);
            }
            else if (op < 55)
            {
                st = mb.Reserve(b, s);
                Set(m.Reserved, PageSpan(b, s, true, pages), true);
            }
            else if (op < 65)
            {
                st = mb.Remove(b, s);
                Set(m.Memory, PageSpan(b, s, true, pages), false);
            }
            else if (op < 72)
            {
                st = mb.Free(b, s);
                Set(m.Reserved, PageSpan(b, s, false, pages), false);
            }
            else
            {
                ulong size = (ulong)rng.Next(1, 16) * (rng.Next(3) == 0 ? Page : 1000);
                ulong align = rng.Next(4) switch { 0 => 0, 1 => Page, 2 => 4 * Page, _ => 16 * Page };
                ulong limit = rng.Next(3) == 0 ? 0 : (ulong)rng.NextInt64(0, (long)window + 1);
                ulong expected = ModelAllocate(m, size, align, limit == 0 ? ulong.MaxValue : limit);
                ulong address;
                st = mb.TryAllocate(size, align, limit, out address);
                if (st == MemblockStatus.TooManyReservedRegions)
                {
                    Check(expected != 0, () => $"allocation overflowed but the model found no fit ({where()})");
                    Check(mb.Reserved.Count == MemblockRegionArray.Capacity, () => $"overflow with a non-full array ({where()})");
                }
                else
                {
                    Check(expected == address, () => $"Allocate({size:x}, {align:x}, {limit:x}) = {address:x}, model {expected:x} ({where()})");
                    Check(st == (expected == 0 ? MemblockStatus.OutOfMemory : MemblockStatus.Ok), () => $"Allocate status {st} ({where()})");
                    if (address != 0)
                    {
                        Set(m.Reserved, PageSpan(address, size, true, pages), true);
                        allocations++;
                    }
                }
            }
            if (st == MemblockStatus.TooManyMemoryRegions || st == MemblockStatus.TooManyReservedRegions)
            {
                // A failed operation changes nothing; the model confirms it really needed a slot.
                bool[] set = st == MemblockStatus.TooManyMemoryRegions ? m.Memory : m.Reserved;
                Check(op >= 72 || m.Regions(set) > MemblockRegionArray.Capacity, () => $"spurious overflow ({where()})");
                m = before;
                overflows++;
                if (op < 65)
                    overflowed = true; // a dropped add/reserve/remove is remembered; Free and Allocate lose nothing
            }
            else
            {
                Check(st == MemblockStatus.Ok || st == MemblockStatus.OutOfMemory, () => $"unexpected status {st} ({where()})");
            }
            CheckAll(ref mb, m, where);
            MemblockStatus v = mb.Validate();
            if (overflowed)
                Check(v == MemblockStatus.TooManyMemoryRegions || v == MemblockStatus.TooManyReservedRegions, where);
            else if (m.Regions(m.Memory) == 0)
                Check(v == MemblockStatus.NoUsableMemory, () => $"Validate {v} ({where()})");
            else
                Check(v == (mb.FreeBytes == 0 ? MemblockStatus.NoFreeMemory : MemblockStatus.Ok), () => $"Validate {v} ({where()})");
        }
        return (overflows, allocations);
    }

    [Fact]
    public void ShortSequencesMatchThePageModel()
    {
        // Tens of thousands of fresh instances, a few dozen operations each, over 1 MiB.
        int baseSeed = Environment.TickCount;
        int allocations = 0;
        for (int i = 0; i < 20000; i++)
            allocations += RunSequence(baseSeed + i, 24, 256, 96 * 1024).allocations;
        Assert.True(allocations > 10000, $"only {allocations} allocations succeeded (base seed {baseSeed})");
    }

    [Fact]
    public void LongSequencesFillTheArrays()
    {
        // Small ranges over a wide window push both arrays to their capacity.
        int baseSeed = Environment.TickCount ^ 0x5eed;
        int overflows = 0;
        for (int i = 0; i < 40; i++)
            overflows += RunSequence(baseSeed + i, 1500, 1024, 6 * 1024).overflows;
        Assert.True(overflows > 0, $"no sequence reached the array capacity (base seed {baseSeed})");
    }
}
