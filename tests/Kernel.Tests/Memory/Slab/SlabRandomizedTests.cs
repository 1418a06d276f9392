using System;
using System.Collections.Generic;
using Kernel.Memory.Slab;
using Kernel.Tests.Memory.Physical;
using Xunit;

namespace Kernel.Tests.Memory.Slab;

/// <summary>
/// Long seeded runs of mixed kmalloc / kfree / krealloc / kmem_cache operations against a
/// reference model (the live blocks with their sizes and fill bytes, and a shadow bitmap with
/// one bit per 8 bytes of RAM). After every operation: the new block overlaps no live block
/// (none of its bits was set), is aligned, and every block's contents are
/// intact when it is freed or resized. At the end everything is freed, the allocator shut down,
/// and every page must be back in the buddy allocator. The seed is in the failure message.
/// </summary>
[Collection(PhysicalMapCollection.Name)]
public unsafe class SlabRandomizedTests
{
    sealed class Block
    {
        public ulong Size;
        public byte Fill;
        public bool FromCache;
    }

    [Theory]
    [InlineData(1UL, 1_000_000, SlabFlags.None)]
    [InlineData(2UL, 1_000_000, SlabFlags.None)]
    [InlineData(3UL, 200_000, SlabFlags.DebugMask)]
    public void Mixed_operations_match_the_model(ulong seed, int operations, SlabFlags debug)
    {
        using var f = new SlabFixture(ramBytes: 256 * SlabFixture.MiB, debug: debug, seed: seed);
        var rng = new Random((int)seed);
        var live = new Dictionary<ulong, Block>();
        var order = new Shadow((ulong)f.Ram.Pointer, f.Ram.Bytes);
        var keys = new List<ulong>();
        SlabCache* cache = f.Create("random_objects", 72);
        {
            for (int op = 0; op < operations; op++)
            {
                int kind = rng.Next(100);
                bool grow = live.Count < 2000 || (live.Count < 20000 && kind < 55);
                if (grow && kind < 60)
                {
                    ulong size = RandomSize(rng);
                    byte* p = (byte*)(kind < 50 ? f.A->Kmalloc(size) : f.A->Kzalloc(size));
                    Check(p != null, seed, op, "kmalloc failed");
                    if (kind >= 50)
                        for (ulong i = 0; i < size; i++) if (p[i] != 0) Check(false, seed, op, "kzalloc not zeroed");
                    Add(live, order, keys, p, size, (byte)rng.Next(256), false, seed, op);
                }
                else if (grow)
                {
                    byte* p = (byte*)KmemCache.Alloc(cache);
                    Check(p != null, seed, op, "cache alloc failed");
                    Add(live, order, keys, p, 72, (byte)rng.Next(256), true, seed, op);
                }
                else if (kind < 80 && keys.Count > 0)
                {
                    int k = rng.Next(keys.Count);
                    ulong p = keys[k];
                    Block b = live[p];
                    Verify(p, b, seed, op);
                    Remove(live, order, keys, k);
                    if (b.FromCache) KmemCache.Free(cache, (void*)p);
                    else f.A->Kfree((void*)p);
                }
                else if (keys.Count > 0)
                {
                    int k = rng.Next(keys.Count);
                    ulong p = keys[k];
                    Block b = live[p];
                    if (b.FromCache) continue;
                    Verify(p, b, seed, op);
                    ulong size = RandomSize(rng);
                    byte* q = (byte*)f.A->Krealloc((void*)p, size);
                    if (size == 0)
                    {
                        Check(q == null, seed, op, "krealloc to 0 must free and return null");
                        Remove(live, order, keys, k);
                        continue;
                    }
                    Check(q != null, seed, op, "krealloc failed");
                    ulong kept = Math.Min(size, b.Size);
                    for (ulong i = 0; i < kept; i++)
                        if (q[i] != (byte)(b.Fill + i)) Check(false, seed, op, $"krealloc lost byte {i} of {b.Size} -> {size}");
                    Remove(live, order, keys, k);
                    Add(live, order, keys, q, size, (byte)rng.Next(256), false, seed, op);
                }
            }
            Check(f.A->Reports == 0, seed, operations, $"{f.A->Reports} reports from correct use");
            foreach (var kv in live)
            {
                Verify(kv.Key, kv.Value, seed, operations);
                if (kv.Value.FromCache) KmemCache.Free(cache, (void*)kv.Key);
                else f.A->Kfree((void*)kv.Key);
            }
            Check(f.A->DestroyCache(cache, out ulong leaked) == SlabStatus.Ok && leaked == 0, seed, operations, "destroy");
            Check(f.A->Shutdown() == SlabStatus.Ok, seed, operations, "shutdown");
            Check(f.BuddyFreeFrames == f.FreeFramesBefore, seed, operations, "pages not all returned");
            f.Buddy.AssertInvariants($"seed {seed}");
        }
    }

    /// <summary>One bit per 8-byte granule of the RAM block: set while a live block covers it.
    /// Blocks start 8-aligned, so two blocks overlap exactly when they share a granule.</summary>
    sealed class Shadow
    {
        readonly ulong _base;
        readonly ulong[] _bits;

        public Shadow(ulong start, ulong bytes)
        {
            _base = start;
            _bits = new ulong[bytes / 8 / 64 + 1];
        }

        public bool Claim(ulong a, ulong end)
        {
            if (a < _base || end > _base + (ulong)_bits.Length * 512)
                return false;
            ulong first = (a - _base) / 8, last = (end - _base + 7) / 8;
            for (ulong g = first; g < last; g++)
                if ((_bits[g >> 6] & (1UL << (int)(g & 63))) != 0) return false;
            for (ulong g = first; g < last; g++)
                _bits[g >> 6] |= 1UL << (int)(g & 63);
            return true;
        }

        public void Release(ulong a, ulong end)
        {
            ulong first = (a - _base) / 8, last = (end - _base + 7) / 8;
            for (ulong g = first; g < last; g++)
                _bits[g >> 6] &= ~(1UL << (int)(g & 63));
        }
    }

    static ulong RandomSize(Random rng)
    {
        int r = rng.Next(100);
        if (r < 60) return (ulong)rng.Next(0, 257);
        if (r < 90) return (ulong)rng.Next(257, 2049);
        if (r < 98) return (ulong)rng.Next(2049, 8193);
        return (ulong)rng.Next(8193, 70000);
    }

    static void Add(Dictionary<ulong, Block> live, Shadow order, List<ulong> keys,
                    byte* p, ulong size, byte fill, bool fromCache, ulong seed, int op)
    {
        ulong a = (ulong)p, end = a + Math.Max(size, 1);
        if (a % (size > 8 && !fromCache ? 16UL : 8UL) != 0) Check(false, seed, op, $"block {a:x} of {size} misaligned");
        if (live.ContainsKey(a)) Check(false, seed, op, $"block {a:x} handed out twice");
        if (!order.Claim(a, end)) Check(false, seed, op, $"block {a:x}+{size} overlaps a live block");
        for (ulong i = 0; i < size; i++) p[i] = (byte)(fill + i);
        live[a] = new Block { Size = size, Fill = fill, FromCache = fromCache };
        keys.Add(a);
    }

    static void Remove(Dictionary<ulong, Block> live, Shadow order, List<ulong> keys, int k)
    {
        ulong p = keys[k];
        keys[k] = keys[keys.Count - 1];
        keys.RemoveAt(keys.Count - 1);
        order.Release(p, p + Math.Max(live[p].Size, 1));
        live.Remove(p);
    }

    static void Verify(ulong p, Block b, ulong seed, int op)
    {
        byte* q = (byte*)p;
        for (ulong i = 0; i < b.Size; i++)
            if (q[i] != (byte)(b.Fill + i)) Check(false, seed, op, $"block {p:x} byte {i} of {b.Size} changed");
    }

    static void Check(bool ok, ulong seed, int op, string what)
    {
        if (!ok) throw new Xunit.Sdk.XunitException($"seed {seed}, operation {op}: {what}");
    }
}
