using System.Text;
using Kernel.Diagnostics;
using Kernel.Memory.Physical;
using Xunit;
using static Kernel.Tests.Memory.Physical.BuddyFixture;

namespace Kernel.Tests.Memory.Physical;

/// <summary>Exact /proc/meminfo- and /proc/buddyinfo-style output for a small known layout.</summary>
public unsafe class PhysicalTextTests
{
    delegate void Writer(ref TextBuilder t, PhysicalMemoryStats* s);

    static string Render(BuddyFixture f, Writer w, int capacity = 4096)
    {
        PhysicalMemoryStats s = f.Stats();
        byte[] buf = new byte[capacity];
        fixed (byte* p = buf)
        {
            var t = new TextBuilder(p, capacity);
            w(ref t, &s);
            return Encoding.ASCII.GetString(buf, 0, t.Length);
        }
    }

    // DMA [1 MiB, 16 MiB) with [1 MiB, 2 MiB) kept reserved; DMA32 [16 MiB, 20 MiB); no Normal RAM.
    static BuddyFixture Layout()
    {
        var f = new BuddyFixture((1 * MiB, 20 * MiB));
        f.AddFree(2 * MiB, 20 * MiB);
        f.A.SetPerCpuLimits(4, 16);
        return f;
    }

    [Fact]
    public void Buddyinfo_matches_Linux_format_and_counts()
    {
        using var f = Layout();
        // DMA: [512, 4096) pfns = 512 (order 9) + 3 x 1024 (order 10). DMA32: one order-10 block.
        string expected =
            "Node 0, zone      DMA      0      0      0      0      0      0      0      0      0      1      3 \n" +
            "Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0      1 \n";
        Assert.Equal(expected, Render(f, BuddyInfoText.Write));

        f.A.AllocatePagesDirect(0, ZoneType.Dma32);              // split the DMA32 block 1,1,...,1,0
        expected =
            "Node 0, zone      DMA      0      0      0      0      0      0      0      0      0      1      3 \n" +
            "Node 0, zone    DMA32      1      1      1      1      1      1      1      1      1      1      0 \n";
        Assert.Equal(expected, Render(f, BuddyInfoText.Write));
    }

    [Fact]
    public void Meminfo_lines_are_label_16_value_8_kB()
    {
        using var f = Layout();
        f.A.AllocatePage();                                       // 4 frames pulled, 1 used, 3 cached
        f.A.AllocatePagesDirect(4, ZoneType.Dma);                // 16 frames = 64 kB
        string expected =
            "MemTotal:          18432 kB\n" +
            "MemFree:           18352 kB\n" +
            "MemAvailable:      18364 kB\n" +
            "PerCpuCached:         12 kB\n" +
            "Allocated:            68 kB\n" +
            "Reserved:           1024 kB\n" +
            "MemPresent:        19456 kB\n";
        Assert.Equal(expected, Render(f, MemInfoText.Write));
    }

    [Fact]
    public void Output_is_truncated_not_overrun_when_the_buffer_is_small()
    {
        using var f = Layout();
        string s = Render(f, BuddyInfoText.Write, 20);
        Assert.Equal("Node 0, zone      D", s[..19] + "");
        Assert.Equal(20, s.Length);
    }
}
