using System;
using System.Text;
using Kernel.Fs;
using Kernel.Tests.Support;
using Xunit;

namespace Kernel.Tests.Fs;

public unsafe class CpioArchiveTests
{
    private static byte[] Sample() => new CpioBuilder()
        .Directory(".").Directory("bin").File("bin/hello", "ELF!").Directory("etc").File("etc/motd", "hi there\n").Trailer().ToArray();

    /// <summary>Walks an archive placed against a guard page; returns the entries and the final status.</summary>
    private static (int entries, CpioStatus status) Walk(byte[] archive, int length)
    {
        using var guarded = new GuardedBuffer(Math.Max(4096, (length + 4095) & ~4095));
        int readable = (length + 7) & ~7;
        byte* end = guarded.PlaceAtEnd(archive.AsSpan(0, Math.Min(length, archive.Length)), readable);
        byte* start = end + (readable - length); // the archive ends exactly at the guard page
        for (int i = 0; i < length; i++) start[i] = archive[i];
        ulong offset = 0;
        int n = 0;
        while (true)
        {
            CpioStatus s = CpioArchive.Next(start, (ulong)length, ref offset, out CpioEntry e);
            if (s != CpioStatus.Ok) return (n, s);
            Assert.True(offset <= (ulong)length);
            n++;
        }
    }

    [Fact]
    public void ReadsEveryEntryThenTheTrailer()
    {
        byte[] a = Sample();
        fixed (byte* p = a)
        {
            ulong offset = 0;
            Assert.Equal(CpioStatus.Ok, CpioArchive.Next(p, (ulong)a.Length, ref offset, out CpioEntry root));
            Assert.Equal(".", Encoding.ASCII.GetString(root.Name, root.NameLength));
            Assert.Equal(CpioArchive.TypeDirectory, root.Mode & CpioArchive.TypeMask);
            Assert.Equal(CpioStatus.Ok, CpioArchive.Next(p, (ulong)a.Length, ref offset, out CpioEntry _));
            Assert.Equal(CpioStatus.Ok, CpioArchive.Next(p, (ulong)a.Length, ref offset, out CpioEntry hello));
            Assert.Equal("bin/hello", Encoding.ASCII.GetString(hello.Name, hello.NameLength));
            Assert.Equal("ELF!", Encoding.ASCII.GetString(hello.Data, (int)hello.Size));
            Assert.Equal(0u, (uint)((ulong)(hello.Data - p) % 4));
        }
        Assert.Equal((5, CpioStatus.End), Walk(a, a.Length));
    }

    [Fact]
    public void AcceptsTheCrcMagic()
    {
        byte[] a = new CpioBuilder().Entry("x", new byte[] { 1 }, 0x81a4, "070702").Trailer().ToArray();
        Assert.Equal((1, CpioStatus.End), Walk(a, a.Length));
    }

    [Fact]
    public void EveryTruncationIsReportedAndNothingIsReadBeyondTheEnd()
    {
        byte[] a = Sample();
        for (int cut = 0; cut < a.Length; cut++)
        {
            var (_, status) = Walk(a, cut);
            Assert.True(status == CpioStatus.Truncated || (status == CpioStatus.End && cut >= a.Length - 3), $"cut at {cut}: {status}");
        }
    }

    [Theory]
    [InlineData("070707")]   // the old binary-ish odc format
    [InlineData("\x1f\x8b\x08\x00\x00\x00")] // gzip
    public void RejectsOtherFormats(string magic)
    {
        byte[] a = Sample();
        Encoding.Latin1.GetBytes(magic).CopyTo(a, 0);
        Assert.Equal((0, CpioStatus.BadMagic), Walk(a, a.Length));
    }

    [Fact]
    public void RejectsNonHexFields()
    {
        byte[] a = Sample();
        a[6 + 6 * 8 + 3] = (byte)'g'; // file size field
        Assert.Equal((0, CpioStatus.BadNumber), Walk(a, a.Length));
    }

    [Fact]
    public void RejectsBadNames()
    {
        byte[] zero = new CpioBuilder().Entry("x", Array.Empty<byte>(), 0x81a4, nameSizeOverride: 0).Trailer().ToArray();
        Assert.Equal(CpioStatus.BadName, Walk(zero, zero.Length).status);
        byte[] unterminated = new CpioBuilder().Entry("abcd", Array.Empty<byte>(), 0x81a4, nameSizeOverride: 3).Trailer().ToArray();
        Assert.Equal(CpioStatus.BadName, Walk(unterminated, unterminated.Length).status);
        byte[] huge = new CpioBuilder().Entry("x", Array.Empty<byte>(), 0x81a4, nameSizeOverride: 0xffffffff).Trailer().ToArray();
        Assert.Equal(CpioStatus.Truncated, Walk(huge, huge.Length).status);
    }

    [Fact]
    public void FileSizeBeyondTheArchiveIsTruncated()
    {
        byte[] a = new CpioBuilder().File("f", "abc").Trailer().ToArray();
        Encoding.ASCII.GetBytes("fffffff0").CopyTo(a, 6 + 6 * 8);
        Assert.Equal((0, CpioStatus.Truncated), Walk(a, a.Length));
    }

    [Fact]
    public void RandomCorruptionNeverReadsOutside()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        byte[] original = Sample();
        for (int round = 0; round < 3000; round++)
        {
            byte[] a = (byte[])original.Clone();
            int flips = random.Next(1, 6);
            for (int i = 0; i < flips; i++)
            {
                int at = random.Next(a.Length);
                a[at] = random.Next(3) == 0 ? (byte)"0123456789abcdefABCDEF"[random.Next(22)] : (byte)random.Next(256);
            }
            int length = random.Next(2) == 0 ? a.Length : random.Next(a.Length + 1);
            var (entries, status) = Walk(a, length);
            Assert.True(status != CpioStatus.Ok, $"seed {seed} round {round}");
            Assert.True(entries <= length / CpioArchive.HeaderSize, $"seed {seed} round {round}: {entries} entries");
        }
    }

    [Fact]
    public void DescribesEveryStatus()
    {
        foreach (CpioStatus s in Enum.GetValues<CpioStatus>())
            Assert.DoesNotContain("unknown", CpioArchive.Describe(s));
    }
}
