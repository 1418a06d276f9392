using System.Runtime.InteropServices;
using Kernel.Memory;
using Kernel.Memory.Slab;
using Kernel.Tests.Memory.Physical;
using Xunit;

namespace Kernel.Tests.Memory.Slab;

/// <summary>kmalloc, kzalloc, kfree, krealloc, ksize: classes, large blocks, bad pointers.</summary>
[Collection(PhysicalMapCollection.Name)]
public unsafe class KmallocTests
{
    [Theory]
    [InlineData(0, 8)]
    [InlineData(1, 8)]
    [InlineData(8, 8)]
    [InlineData(9, 16)]
    [InlineData(33, 64)]
    [InlineData(65, 96)]
    [InlineData(96, 96)]
    [InlineData(97, 128)]
    [InlineData(129, 192)]
    [InlineData(193, 256)]
    [InlineData(257, 512)]
    [InlineData(1000, 1024)]
    [InlineData(2048, 2048)]
    [InlineData(4097, 8192)]
    [InlineData(8192, 8192)]
    public void Sizes_map_to_Linux_classes(ulong size, ulong cls)
    {
        using var f = new SlabFixture();
        void* p = f.A->Kmalloc(size);
        Assert.True(p != null);
        Assert.Equal(cls, f.A->Ksize(p));
        Assert.Equal(cls, (ulong)f.A->KmallocCache(size)->ObjectSize);
        Assert.Equal(0UL, (ulong)p % (cls == 8 ? 8UL : 16UL));
        f.A->Kfree(p);
    }

    [Fact]
    public void Above_8_KiB_comes_from_pages_and_kfree_knows_the_order()
    {
        using var f = new SlabFixture();
        ulong before = f.BuddyFreeFrames;
        void* p = f.A->Kmalloc(8193);
        Assert.Equal(0UL, (ulong)p & 4095);
        Assert.Equal(16384UL, f.A->Ksize(p));
        void* q = f.A->Kmalloc(1 << 20);
        Assert.Equal(1UL << 20, f.A->Ksize(q));
        Assert.Equal(2UL, f.A->LargeBlocks);
        Assert.Equal(4UL + 256, f.A->LargePages);
        f.A->Kfree(p);
        f.A->Kfree(q);
        Assert.Equal(0UL, f.A->LargePages);
        Assert.Equal(before, f.BuddyFreeFrames);
        Assert.True(f.A->Kmalloc(8UL << 20) == null);   // above the buddy's largest order
    }

    [Fact]
    public void Kzalloc_zeroes_and_kfree_null_is_a_no_op()
    {
        using var f = new SlabFixture();
        byte* p = (byte*)f.A->Kmalloc(200);
        for (int i = 0; i < 200; i++) p[i] = 0xee;
        f.A->Kfree(p);
        byte* z = (byte*)f.A->Kzalloc(200);
        for (int i = 0; i < 200; i++) Assert.Equal(0, z[i]);
        f.A->Kfree(null);
        Assert.Equal(0UL, f.A->Reports);
        f.A->Kfree(z);
    }

    [Fact]
    public void Foreign_and_interior_pointers_are_reported_and_change_nothing()
    {
        using var f = new SlabFixture();
        byte* p = (byte*)f.A->Kmalloc(64);
        SlabCache* c = f.A->KmallocCache(64);
        ulong active = c->ActiveObjects;
        byte* host = (byte*)NativeMemory.Alloc(64);
        f.A->Kfree(host);                              // not in "RAM" at all
        Assert.Equal(1, f.CountReports(SlabError.ForeignPointer));
        f.A->Kfree(p + 8);                             // inside an object
        Assert.Equal(1, f.CountReports(SlabError.NotObjectStart));
        byte* big = (byte*)f.A->Kmalloc(20000);
        f.A->Kfree(big + 4096);                        // inside a large block
        Assert.Equal(2, f.CountReports(SlabError.ForeignPointer));
        ulong page = f.Buddy.A.AllocatePage();         // a page the buddy gave someone else
        f.A->Kfree(PhysicalMap.ToVirtual(page));
        Assert.Equal(3, f.CountReports(SlabError.ForeignPointer));
        Assert.Equal(active, c->ActiveObjects);
        Assert.Equal(0UL, f.A->Ksize(p + 8));
        Assert.True(f.A->Krealloc(host, 10) == null);
        Assert.Equal(4, f.CountReports(SlabError.ForeignPointer));
        f.A->Kfree(p);
        f.A->Kfree(big);
        f.Buddy.A.FreePage(page);
        NativeMemory.Free(host);
        Assert.Contains("free of a pointer the allocator never returned", f.ReportTexts[0]);
    }

    [Fact]
    public void Krealloc_keeps_contents_grows_in_place_when_it_fits_and_frees_at_zero()
    {
        using var f = new SlabFixture();
        byte* p = (byte*)f.A->Krealloc(null, 20);
        for (int i = 0; i < 20; i++) p[i] = (byte)i;
        Assert.True(f.A->Krealloc(p, 30) == p);        // still class 32
        byte* q = (byte*)f.A->Krealloc(p, 5000);
        for (int i = 0; i < 20; i++) Assert.Equal((byte)i, q[i]);
        for (int i = 0; i < 5000; i++) q[i] = (byte)(i * 7);
        byte* r = (byte*)f.A->Krealloc(q, 100000);
        for (int i = 0; i < 5000; i++) Assert.Equal((byte)(i * 7), r[i]);
        byte* s = (byte*)f.A->Krealloc(r, 10);
        Assert.True(s == r);                            // shrinking stays in place
        Assert.True(f.A->Krealloc(s, 0) == null);
        Assert.Equal(0UL, f.A->LargeBlocks);
        Assert.Equal(0UL, f.A->Reports);
    }

    [Fact]
    public void Slabinfo_lists_every_cache_with_its_counts()
    {
        using var f = new SlabFixture();
        SlabCache* c = f.Create("my_objects", 200);
        void* a = KmemCache.Alloc(c);
        void* k = f.A->Kmalloc(100);
        string text = f.SlabInfo();
        Assert.StartsWith("# name", text);
        foreach (string name in new[] { "kmem_cache", "kmalloc-8 ", "kmalloc-96", "kmalloc-192", "kmalloc-8k", "my_objects" })
            Assert.Contains(name, text);
        string line = System.Array.Find(text.Split('\n'), l => l.StartsWith("my_objects"));
        string[] cols = line.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1", cols[1]);                                 // active
        Assert.Equal(c->TotalObjects.ToString(), cols[2]);         // total
        Assert.Equal("200", cols[3]);
        Assert.Equal(c->ObjectsPerSlab.ToString(), cols[5]);
        Assert.Equal("-", cols[9]);
        KmemCache.Free(c, a);
        f.A->Kfree(k);
    }

    [Theory]
    [InlineData("", SlabFlags.DebugMask, true)]
    [InlineData("FZPU", SlabFlags.DebugMask, true)]
    [InlineData("fz", SlabFlags.ConsistencyChecks | SlabFlags.RedZone, true)]
    [InlineData("P,kmalloc-64", SlabFlags.Poison, true)]
    [InlineData("-", SlabFlags.None, true)]
    [InlineData("FQ", SlabFlags.ConsistencyChecks, false)]
    public void Slab_debug_option_is_parsed_the_Linux_way(string value, SlabFlags expected, bool ok)
    {
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(value);
        fixed (byte* b = bytes)
        {
            Assert.Equal(ok, SlabDebugOption.Parse(bytes.Length == 0 ? null : b, bytes.Length, out SlabFlags flags));
            Assert.Equal(expected, flags);
        }
    }
}
