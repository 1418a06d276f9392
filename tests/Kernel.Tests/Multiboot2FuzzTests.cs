using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Threading.Tasks;
using Kernel.Boot.Multiboot2;
using Kernel.Tests.Support;
using Xunit;
using B = Kernel.Tests.Support.Multiboot2BlockBuilder;

namespace Kernel.Tests;

/// <summary>
/// Mutates valid Multiboot2 blocks with a fixed seed and parses each one placed right before an
/// inaccessible guard page, with `available` ending exactly there. Out-of-bounds reads fault
/// (the test host dies: a failed run); an endless walk trips the time limit; every result is
/// checked against an independent, bounds-checked reference walk and for internal consistency.
/// </summary>
public class Multiboot2FuzzTests
{
    const int Seed = 0x6d62_3220;
    const int Iterations = 20_000;

    static readonly uint[] Interesting =
    {
        0, 1, 4, 7, 8, 9, 12, 15, 16, 17, 20, 23, 24, 32, 36, 40, 64, 0x7F, 0x80, 0xFF, 0x100, 0xFFF, 0x1000,
        0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFF8, 0xFFFFFFFF, 0x36d76289,
    };

    static List<byte[]> Seeds()
    {
        var regions = new B.Region[150];
        for (int k = 0; k < regions.Length; k++) regions[k] = new B.Region((ulong)k << 16, 1 << 16, (uint)(k % 5) + 1);
        var many = new B().MemoryMap(regions);
        for (uint k = 0; k < 18; k++) many.Module(k, k + 100, "module " + k);
        return new List<byte[]>
        {
            B.Full(),
            many.ElfSections(66).End().Build(),
            new B().FramebufferIndexed(0xa0000, 320, 320, 200, 8, 4).MemoryMap(32, 0, new B.Region(0, 0x1000, 1)).AcpiNew(B.RsdpV2(5, 6)).End().Build(),
            new B().FramebufferEgaText().BasicMemInfo(1, 2).Efi32(3).AcpiOld(B.RsdpV1(4)).CommandLine(new string('q', 1100)).End().Build(),
            new B().End().Build(),
            // Each variable-size tag last, so an over-read runs into the guard page once the
            // end tag is cut off (mutation "noend" plus available = total_size).
            new B().CommandLine("x").ElfSections(3, 0).End().Build(),
            new B().MemoryMap(new B.Region(0, 0x1000, 1), new B.Region(0x1000, 0x1000, 2)).End().Build(),
            new B().Module(1, 2, "m").End().Build(),
            new B().FramebufferIndexed(0xa0000, 320, 320, 200, 8, 3).End().Build(),
            new B().FramebufferRgb(0xfd000000, 4096, 1024, 768, 32).End().Build(),
            new B().AcpiNew(B.RsdpV2(7, 8)).End().Build(),
            new B().AcpiOld(B.RsdpV1(7)).End().Build(),
            new B().CommandLine("quiet").End().Build(),
        };
    }

    [Fact]
    public async Task MutatedBlocksStayInBoundsAndConsistent()
    {
        var run = Task.Run(Fuzz);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(5)));
        Assert.True(finished == run, "fuzz run did not finish: is the tag walk looping?");
        await run; // rethrows a failed check
    }

    static unsafe void Fuzz()
    {
        var rng = new Random(Seed);
        var seeds = Seeds();
        int maxLen = 0;
        foreach (var s in seeds) maxLen = Math.Max(maxLen, s.Length);

        using var guarded = new GuardedBuffer(maxLen + 64);
        using var infoMem = new NativeBuffer(sizeof(BootInfo));
        var info = (BootInfo*)infoMem.Pointer;
        var errorsSeen = new HashSet<Multiboot2Error>();

        for (int it = 0; it < Iterations; it++)
        {
            byte[] baseBlock = seeds[rng.Next(seeds.Count)];
            byte[] data = (byte[])baseBlock.Clone();
            string what = Mutate(rng, data, baseBlock);
            int readable = ChooseReadable(rng, data, ref what);

            byte* block = guarded.PlaceAtEnd(data, readable);
            var error = Multiboot2Parser.Parse(B.Magic, block, (ulong)readable, info, out string message);
            errorsSeen.Add(error);
            try
            {
                var view = data.AsSpan(0, Math.Min(readable, data.Length)).ToArray();
                if (view.Length < readable) Array.Resize(ref view, readable); // zero-filled like the placement
                CheckAgainstReference(view, readable, error, message, info);
                CheckConsistency(info);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"seed {Seed:x} iteration {it} ({what}, available {readable}): {e.Message}\n{e.StackTrace}");
            }
        }

        // The mutations must actually reach the interesting paths, or the test proves little.
        foreach (var e in new[] { Multiboot2Error.None, Multiboot2Error.TooSmall, Multiboot2Error.TotalSizeTooLarge,
                     Multiboot2Error.BadTagSize, Multiboot2Error.TagOverrun, Multiboot2Error.NoEndTag,
                     Multiboot2Error.BadMemoryMap, Multiboot2Error.BadModule, Multiboot2Error.BadRsdp })
            Assert.True(errorsSeen.Contains(e), "fuzzing never produced " + e);
    }

    static string Mutate(Random rng, byte[] data, byte[] baseBlock)
    {
        var headers = new List<int>();
        Reference.Walk(baseBlock, baseBlock.Length, headers);
        int count = 1 + rng.Next(3);
        string what = "";
        for (int m = 0; m < count; m++)
        {
            switch (rng.Next(6))
            {
                case 5:
                {
                    // Drop the end tag: the last real tag now ends the block.
                    uint total = (uint)Math.Max(8, data.Length - 8);
                    BinaryPrimitives.WriteUInt32LittleEndian(data, total);
                    what += "noend ";
                    break;
                }
                case 0:
                {
                    int at = rng.Next(data.Length);
                    data[at] ^= (byte)(1 << rng.Next(8));
                    what += $"flip@{at} ";
                    break;
                }
                case 1:
                case 2:
                {
                    // Aim at a tag header (type, size) or the first fields after it half the time.
                    int at = rng.Next(2) == 0 && headers.Count > 0
                        ? headers[rng.Next(headers.Count)] + 4 * rng.Next(5)
                        : rng.Next(data.Length / 4) * 4;
                    if (at + 4 > data.Length) break;
                    uint v = rng.Next(3) == 0 ? (uint)rng.Next() : Interesting[rng.Next(Interesting.Length)];
                    BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), v);
                    what += $"u32@{at}={v:x} ";
                    break;
                }
                case 3:
                {
                    uint total = (uint)rng.Next(0, data.Length + 64);
                    BinaryPrimitives.WriteUInt32LittleEndian(data, total);
                    what += $"total={total} ";
                    break;
                }
                default:
                {
                    int at = rng.Next(data.Length);
                    data[at] = (byte)rng.Next(256);
                    what += $"byte@{at} ";
                    break;
                }
            }
        }
        return what;
    }

    static int ChooseReadable(Random rng, byte[] data, ref string what)
    {
        uint total = BinaryPrimitives.ReadUInt32LittleEndian(data);
        switch (rng.Next(4))
        {
            case 0:
            case 1:
                return data.Length; // built blocks are multiples of 8
            case 2:
                // Guard right after total_size: reading past the declared block faults.
                if (total <= data.Length)
                    return Math.Max(8, (int)((total + 7) & ~7u));
                return data.Length;
            default:
                what += "cut ";
                return rng.Next(0, data.Length / 8 + 1) * 8;
        }
    }

    /// <summary>Independent structural walk over a bounds-checked array.</summary>
    static class Reference
    {
        public static (Multiboot2Error Error, int Tags) Walk(byte[] d, int available, List<int> headers = null)
        {
            if (available < 8) return (Multiboot2Error.TooSmall, 0);
            long total = BinaryPrimitives.ReadUInt32LittleEndian(d);
            if (total < 16) return (Multiboot2Error.TooSmall, 0);
            if (total > available) return (Multiboot2Error.TotalSizeTooLarge, 0);
            int tags = 0;
            for (long off = 8; ;)
            {
                if (off + 8 > total) return (Multiboot2Error.NoEndTag, tags);
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan((int)off));
                long size = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan((int)off + 4));
                if (size < 8) return (Multiboot2Error.BadTagSize, tags);
                if (off + size > total) return (Multiboot2Error.TagOverrun, tags);
                headers?.Add((int)off);
                tags++;
                if (type == 0) return (size == 8 ? Multiboot2Error.None : Multiboot2Error.BadEndTag, tags);
                off += (size + 7) & ~7L;
                if (off > total) return (Multiboot2Error.NoEndTag, tags);
            }
        }

        static uint U32(byte[] d, int at) => BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(at));

        /// <summary>Offset of the first walked tag of <paramref name="type"/>, or -1.</summary>
        public static int First(byte[] d, List<int> headers, uint type)
        {
            foreach (int off in headers)
                if (U32(d, off) == type) return off;
            return -1;
        }

        /// <summary>Expected ELF section count if the first tag 9 is acceptable, else -1.</summary>
        public static long ElfSections(byte[] d, List<int> headers)
        {
            int off = First(d, headers, 9);
            if (off < 0) return -1;
            long size = U32(d, off + 4);
            if (size < 20) return -1;
            long num = U32(d, off + 8), entsize = U32(d, off + 12), shndx = U32(d, off + 16);
            if (entsize != 64 || num * 64 > size - 20 || (num != 0 && shndx >= num)) return -1;
            return num;
        }

        /// <summary>Expected memory map entry count if the first tag 6 is acceptable, else -1.</summary>
        public static long MemoryMapEntries(byte[] d, List<int> headers)
        {
            int off = First(d, headers, 6);
            if (off < 0) return -1;
            long size = U32(d, off + 4);
            if (size < 16) return -1;
            long es = U32(d, off + 8);
            if (es < 24 || es % 8 != 0 || es > 4096 || (size - 16) % es != 0) return -1;
            return (size - 16) / es;
        }

        /// <summary>Whether the first tag 8 is acceptable.</summary>
        public static bool? Framebuffer(byte[] d, List<int> headers)
        {
            int off = First(d, headers, 8);
            if (off < 0) return null;
            long size = U32(d, off + 4);
            if (size < 32) return false;
            long pitch = U32(d, off + 16), width = U32(d, off + 20);
            int bpp = d[off + 28], type = d[off + 29];
            if (type > 2 || bpp == 0 || pitch * 8 < width * bpp) return false;
            if (type == 0)
                return size >= 34 && 34 + 3L * BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(off + 32)) <= size;
            if (type == 1)
            {
                if (size < 38) return false;
                for (int k = 0; k < 6; k += 2)
                    if (d[off + 32 + k] + d[off + 33 + k] > bpp) return false;
            }
            return true;
        }

        /// <summary>Expected module count: module tags with size >= 16 and end >= start.</summary>
        public static int ValidModules(byte[] d, List<int> headers)
        {
            int n = 0;
            foreach (int off in headers)
            {
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(off));
                uint size = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(off + 4));
                if (type == 3 && size >= 16 &&
                    BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(off + 12)) >= BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(off + 8)))
                    n++;
            }
            return n;
        }
    }

    static unsafe void CheckAgainstReference(byte[] view, int readable, Multiboot2Error error, string message, BootInfo* info)
    {
        var headers = new List<int>();
        var (refError, refTags) = Reference.Walk(view, readable, headers);
        Assert.Equal(error, info->Error);
        Assert.False(string.IsNullOrEmpty(message) && error != Multiboot2Error.None, "error without message");
        Assert.Equal(refTags, info->TagCount);
        Assert.Equal(refError == Multiboot2Error.None, info->SawEndTag);
        if (Multiboot2Errors.IsStructural(error) || refError != Multiboot2Error.None)
        {
            // The first error is the structural one, unless a tag error came before it.
            if (error != refError)
                Assert.True(!Multiboot2Errors.IsStructural(error) && info->TagErrorCount > 0,
                    $"parser said {error}, reference walk {refError}");
        }
        else
        {
            Assert.Equal(error == Multiboot2Error.None, info->TagErrorCount == 0);
        }

        long elf = Reference.ElfSections(view, headers);
        Assert.Equal(elf >= 0, info->HasElfSections);
        if (elf >= 0) Assert.Equal((uint)elf, info->ElfSectionCountInTag);
        long entries = Reference.MemoryMapEntries(view, headers);
        Assert.Equal(entries >= 0, info->HasMemoryMap);
        if (entries >= 0) Assert.Equal(entries, info->MemoryMapEntriesInTag);
        if (entries > 0)
        {
            int mm = Reference.First(view, headers, 6);
            Assert.Equal(BinaryPrimitives.ReadUInt64LittleEndian(view.AsSpan(mm + 16)), info->MemoryRegionBase[0]);
        }
        Assert.Equal(Reference.Framebuffer(view, headers) == true, info->HasFramebuffer);

        int modules = Reference.ValidModules(view, headers);
        Assert.Equal(Math.Min(modules, BootInfo.MaxModules), info->ModuleCount);
        Assert.Equal(Math.Max(0, modules - BootInfo.MaxModules), info->ModulesDropped);
        if (refError == Multiboot2Error.None || refError == Multiboot2Error.NoEndTag || refError == Multiboot2Error.BadTagSize || refError == Multiboot2Error.TagOverrun || refError == Multiboot2Error.BadEndTag)
        {
            uint seen = 0;
            foreach (int off in headers)
            {
                uint t = BinaryPrimitives.ReadUInt32LittleEndian(view.AsSpan(off));
                if (t < 32) seen |= 1u << (int)t;
            }
            Assert.Equal(seen, info->TagsSeen);
        }
    }

    static unsafe void CheckConsistency(BootInfo* i)
    {
        if (i->Error != Multiboot2Error.None)
            Assert.True(i->ErrorOffset <= i->TotalSize, "error offset beyond the block"); // NoEndTag may sit at total_size
        Assert.True((long)i->TagCount * 8 <= Math.Max(i->TotalSize, 0u), "more tags than 8-byte slots");

        Assert.InRange(i->CommandLineLength, 0, BootInfo.MaxCommandLine);
        Assert.Equal(0, i->CommandLine[i->CommandLineLength]);
        for (int k = 0; k < i->CommandLineLength; k++) Assert.NotEqual(0, i->CommandLine[k]);
        Assert.InRange(i->BootloaderNameLength, 0, BootInfo.MaxBootloaderName);
        Assert.Equal(0, i->BootloaderName[i->BootloaderNameLength]);

        Assert.InRange(i->MemoryRegionCount, 0, BootInfo.MaxMemoryRegions);
        if (i->HasMemoryMap)
        {
            Assert.True(i->MemoryMapEntrySize >= 24 && i->MemoryMapEntrySize % 8 == 0);
            Assert.Equal(Math.Min(i->MemoryMapEntriesInTag, BootInfo.MaxMemoryRegions), i->MemoryRegionCount);
            Assert.Equal(i->MemoryMapEntriesInTag > BootInfo.MaxMemoryRegions, i->MemoryMapTruncated);
        }
        else Assert.Equal(0, i->MemoryRegionCount);

        Assert.InRange(i->ModuleCount, 0, BootInfo.MaxModules);
        for (int m = 0; m < i->ModuleCount; m++)
        {
            Assert.True(i->GetModule(m, out uint s, out uint e, out byte* t, out int n));
            Assert.True(e >= s, "module end < start kept");
            Assert.InRange(n, 0, BootInfo.MaxModuleString);
            Assert.Equal(0, t[n]);
        }

        if (i->HasElfSections)
        {
            Assert.Equal(64u, i->ElfSectionEntrySize);
            Assert.Equal((int)Math.Min(i->ElfSectionCountInTag, (uint)BootInfo.MaxElfSections), i->ElfSectionCount);
            Assert.True(i->ElfSectionCountInTag == 0 || i->ElfStringTableIndex < i->ElfSectionCountInTag);
        }
        else Assert.Equal(0, i->ElfSectionCount);

        if (i->HasRsdp)
        {
            i->GetRsdp(out byte* r, out int n);
            Assert.True(n == 20 || n == 36);
            Assert.True(RsdpCopy.HasSignature(r));
            Assert.Equal(0, RsdpCopy.Checksum(r, 20));
            if (n == 36) Assert.Equal(0, RsdpCopy.Checksum(r, 36));
            Assert.True(i->RsdpTag == 14 || i->RsdpTag == 15);
        }
        else Assert.Equal(0, i->RsdpLength);

        if (i->HasFramebuffer)
        {
            Assert.InRange(i->FramebufferType, (byte)0, (byte)2);
            Assert.NotEqual(0, i->FramebufferBpp);
            Assert.True((ulong)i->FramebufferPitch * 8 >= (ulong)i->FramebufferWidth * i->FramebufferBpp);
        }
    }
}
