using System;
using Kernel.Tasks.Elf;
using Kernel.Tests.Support;
using Xunit;

namespace Kernel.Tests.Tasks;

public unsafe class ElfImageTests
{
    const int ENOEXEC = -8, EINVAL = -22;

    /// <summary>Parses a file that ends exactly at a guard page.</summary>
    private static (int result, ElfImage image) Parse(byte[] file, int? length = null)
    {
        int n = length ?? file.Length;
        using var guarded = new GuardedBuffer(Math.Max(4096, (n + 4095) & ~4095));
        int readable = (n + 7) & ~7;
        byte* dst = guarded.PlaceAtEnd(ReadOnlySpan<byte>.Empty, readable);
        byte* start = dst + (readable - n);
        for (int i = 0; i < n; i++) start[i] = file[i];
        ElfImage image = default;
        int r = image.Parse(start, (ulong)n);
        return (r, image);
    }

    [Fact]
    public void AcceptsATypicalStaticProgram()
    {
        var (r, image) = Parse(ElfBuilder.Typical().Build());
        Assert.True(r == 0, image.Message);
        Assert.Equal(3, image.SegmentCount);
        Assert.Equal(0x401000UL, image.Entry);
        Assert.Equal(0x400040UL, image.ProgramHeaderAddress); // inside the first PT_LOAD
        Assert.Equal(4, image.ProgramHeaderCount);
        Assert.False(image.ExecutableStack);
        Assert.Equal(0x3000UL, image.Segment(2)->MemorySize);
        Assert.Equal(0x100UL, image.Segment(2)->FileSize);
        Assert.Equal(6u, image.Segment(2)->Flags);
    }

    [Fact]
    public void ExecutableStackFollowsGnuStack()
    {
        var b = ElfBuilder.Typical();
        b.Headers[3].Flags = 7;
        Assert.True(Parse(b.Build()).image.ExecutableStack);
    }

    [Fact]
    public void StaticPieIsLoadedAtTheDynamicBase()
    {
        var b = ElfBuilder.Typical();
        b.Type = 3;
        foreach (var h in b.Headers) if (h.Type == 1) h.Vaddr -= 0x400000;
        b.Entry = 0x1000;
        var (r, image) = Parse(b.Build());
        Assert.True(r == 0, image.Message);
        Assert.Equal(ElfImage.DynamicBase + 0x1000, image.Entry);
        Assert.Equal(ElfImage.DynamicBase, image.Segment(0)->VirtualAddress);
    }

    public static TheoryData<string, Action<ElfBuilder>, int, string> Malformed => new()
    {
        { "bad class", b => b.Class = 1, ENOEXEC, "64-bit" },
        { "big endian", b => b.Data = 2, ENOEXEC, "little-endian" },
        { "ident version", b => b.IdentVersion = 0, ENOEXEC, "EI_VERSION" },
        { "os abi", b => b.OsAbi = 9, ENOEXEC, "OS ABI" },
        { "relocatable", b => b.Type = 1, ENOEXEC, "e_type" },
        { "core", b => b.Type = 4, ENOEXEC, "e_type" },
        { "arm64", b => b.Machine = 183, ENOEXEC, "x86-64" },
        { "version", b => b.Version = 2, ENOEXEC, "e_version" },
        { "ehsize", b => b.HeaderSize = 52, ENOEXEC, "e_ehsize" },
        { "phentsize", b => b.PhEntSize = 32, ENOEXEC, "e_phentsize" },
        { "no headers", b => b.PhNumOverride = 0, ENOEXEC, "e_phnum is 0" },
        { "too many headers", b => b.PhNumOverride = 65535, ENOEXEC, "too many" },
        { "headers past the end", b => b.PhOff = 0x2f80, ENOEXEC, "beyond the end" },
        { "headers offset wraps", b => b.PhOff = ulong.MaxValue - 10, ENOEXEC, "beyond the end" },
        { "misaligned headers", b => b.PhOff = 65, EINVAL, "misaligned" },
        { "interpreter", b => b.Headers.Add(new ElfBuilder.Header { Type = 3, Offset = 0x200, FileSize = 10 }), ENOEXEC, "PT_INTERP" },
        { "filesz over memsz", b => b.Headers[2].FileSize = 0x4000, EINVAL, "p_filesz" },
        { "data past the end", b => b.Headers[1].Offset = 0x2900, EINVAL, "beyond the end" },
        { "data far past the end", b => b.Headers[1].Offset = 0x10000, EINVAL, "beyond the end" },
        { "offset wraps", b => { b.Headers[1].Offset = ulong.MaxValue & ~0xfffUL; }, EINVAL, "beyond the end" },
        { "alignment not a power of two", b => b.Headers[1].Align = 0x3000, EINVAL, "power of two" },
        { "page offsets differ", b => b.Headers[1].Vaddr = 0x401800, EINVAL, "modulo" },
        { "page zero", b => { b.Headers[0].Vaddr = 0; }, EINVAL, "outside the user" },
        { "kernel address", b => { b.Headers[2].Vaddr = 0xffffffff80000000; }, EINVAL, "outside the user" },
        { "crosses the user limit", b => { b.Headers[2].Vaddr = 0x7ffffffff000 - 0x1000; }, EINVAL, "outside the user" },
        { "memsz wraps", b => b.Headers[2].MemSize = ulong.MaxValue - 0x1000, EINVAL, "outside the user" },
        { "overlap", b => b.Headers[2].Vaddr = 0x401000, EINVAL, "overlap" },
        { "descending", b => { var h = b.Headers[0]; b.Headers[0] = b.Headers[2]; b.Headers[2] = h; }, EINVAL, "ascending" },
        { "no loadable segment", b => { foreach (var h in b.Headers) if (h.Type == 1) h.Type = 4; }, ENOEXEC, "no PT_LOAD" },
        { "entry outside text", b => b.Entry = 0x402000, ENOEXEC, "entry point" },
        { "entry in kernel", b => b.Entry = 0xffffffff80100000, ENOEXEC, "entry point" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RejectsMalformedFiles(string what, Action<ElfBuilder> damage, int error, string message)
    {
        var b = ElfBuilder.Typical();
        damage(b);
        var (r, image) = Parse(b.Build());
        Assert.True(r == error, $"{what}: got {r} ({image.Message})");
        Assert.Contains(message, image.Message);
    }

    [Fact]
    public void RejectsNonElfFiles()
    {
        Assert.Equal(ENOEXEC, Parse(new byte[0]).result);
        Assert.Equal(ENOEXEC, Parse(new byte[] { 0x7f, (byte)'E', (byte)'L' }).result);
        Assert.Equal(ENOEXEC, Parse(System.Text.Encoding.ASCII.GetBytes("#!/bin/sh\necho hi\n")).result);
    }

    [Fact]
    public void EveryTruncationFailsCleanly()
    {
        byte[] file = ElfBuilder.Typical().Build();
        const int LastByteNeeded = 0x2100; // the data segment's file bytes end here
        for (int n = 0; n <= file.Length; n += n < 0x300 || n > LastByteNeeded - 0x40 ? 1 : 7)
        {
            var (r, image) = Parse(file, n);
            if (n < LastByteNeeded) Assert.True(r == ENOEXEC || r == EINVAL, $"length {n}: {r} {image.Message}");
            else Assert.True(r == 0, $"length {n}: {image.Message}");
        }
    }

    [Fact]
    public void RandomCorruptionNeverCrashesAndAcceptedImagesAreSane()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        byte[] original = ElfBuilder.Typical().Build();
        for (int round = 0; round < 20000; round++)
        {
            byte[] f = (byte[])original.Clone();
            int flips = random.Next(1, 8);
            for (int i = 0; i < flips; i++) f[random.Next(64 + 4 * 56)] = (byte)random.Next(256);
            var (r, image) = Parse(f, random.Next(4) == 0 ? random.Next(f.Length) : f.Length);
            if (r != 0)
            {
                Assert.True(r == ENOEXEC || r == EINVAL, $"seed {seed} round {round}: {r}");
                continue;
            }
            ulong previousEnd = 0;
            for (int i = 0; i < image.SegmentCount; i++)
            {
                ElfSegment* s = image.Segment(i);
                Assert.True(s->VirtualAddress >= 0x1000 && s->VirtualAddress + s->MemorySize <= ElfImage.UserLimit, $"seed {seed} round {round}");
                Assert.True(s->VirtualAddress >= previousEnd && s->FileSize <= s->MemorySize, $"seed {seed} round {round}");
                Assert.True(s->FileOffset + s->FileSize <= (ulong)f.Length, $"seed {seed} round {round}");
                previousEnd = s->VirtualAddress + s->MemorySize;
            }
        }
    }
}
