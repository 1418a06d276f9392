using Kernel.Memory.Virtual;
using Kernel.Syscalls;
using Xunit;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>Linux's errno for every bad-argument case of mmap, munmap, mprotect, mremap,
/// madvise and brk (values and precedence from mm/mmap.c, mm/mprotect.c, mm/mremap.c,
/// mm/madvise.c); a failed call changes nothing.</summary>
public sealed unsafe class VmSpaceErrnoTests
{
    const ulong P = VmSpaceFixture.Page;
    const ulong B = 0x10000000;
    const int RW = Prot.Read | Prot.Write;
    const int Anon = MapFlags.Private | MapFlags.Anonymous;

    [Theory]
    [InlineData(B, 0UL, RW, Anon | MapFlags.Fixed, 0UL, -Errno.EINVAL)]                // zero length
    [InlineData(B + 1, P, RW, Anon | MapFlags.Fixed, 0UL, -Errno.EINVAL)]              // unaligned fixed
    [InlineData(B + 1, P, RW, Anon | MapFlags.FixedNoReplace, 0UL, -Errno.EINVAL)]     // unaligned noreplace
    [InlineData(B, ulong.MaxValue - 100, RW, Anon, 0UL, -Errno.ENOMEM)]                // length rounds to 0
    [InlineData(B, 1UL << 48, RW, Anon, 0UL, -Errno.ENOMEM)]                           // beyond the task size
    [InlineData(0x7fff_ffff_e000UL, 2 * P, RW, Anon | MapFlags.Fixed, 0UL, -Errno.ENOMEM)] // fixed past the top
    [InlineData(0UL, P, RW, Anon | MapFlags.Fixed, 0UL, -Errno.EPERM)]                 // fixed at 0
    [InlineData(0x8000UL, P, RW, Anon | MapFlags.Fixed, 0UL, -Errno.EPERM)]            // below mmap_min_addr
    [InlineData(B, P, RW, MapFlags.Anonymous, 0UL, -Errno.EINVAL)]                     // no map type
    [InlineData(B, P, RW, MapFlags.Anonymous | 0xf, 0UL, -Errno.EINVAL)]               // bad map type
    [InlineData(B, P, RW, MapFlags.Anonymous | MapFlags.Shared | MapFlags.GrowsDown, 0UL, -Errno.EINVAL)]
    [InlineData(B, P, RW, MapFlags.Anonymous | MapFlags.SharedValidate | 0x40, 0UL, -Errno.EOPNOTSUPP)]
    [InlineData(B, P, RW, Anon, 100UL, -Errno.EINVAL)]                                 // unaligned offset
    [InlineData(B, P, RW, MapFlags.Private, 0UL, -Errno.EBADF)]                        // file mapping, no file
    [InlineData(B, P, RW, Anon | MapFlags.HugeTlb, 0UL, -Errno.ENOMEM)]                // no huge page pool
    public void MmapRejects(ulong address, ulong length, int prot, int flags, ulong offset, long expected)
    {
        using var f = new VmSpaceFixture();
        Assert.Equal(expected, f.Space->Mmap(address, length, prot, flags, null, offset));
        Assert.Equal(0, f.Space->MapCount);
    }

    [Fact]
    public void MmapFileChecksOffsetOverflowAndFileModes()
    {
        using var f = new VmSpaceFixture();
        var readOnly = new VmFile { Handle = 1, Readable = true };
        var writeOnly = new VmFile { Handle = 2, Writable = true };
        Assert.Equal(-Errno.EOVERFLOW, f.Space->Mmap(B, 2 * P, Prot.Read, MapFlags.Private, &readOnly, ulong.MaxValue & ~(P - 1)));
        Assert.Equal(-Errno.EACCES, f.Space->Mmap(B, P, RW, MapFlags.Shared, &readOnly, 0));
        Assert.Equal(-Errno.EACCES, f.Space->Mmap(B, P, Prot.Read, MapFlags.Private, &writeOnly, 0));
        // A shared read-only file mapping may not be made writable later.
        long a = f.Space->Mmap(B, P, Prot.Read, MapFlags.Shared, &readOnly, 0);
        Assert.Equal((long)B, a);
        Assert.Equal(-Errno.EACCES, f.Space->Mprotect(B, P, RW));
        // A private one may (copy-on-write).
        Assert.Equal((long)(B + 4 * P), f.Space->Mmap(B + 4 * P, P, Prot.Read, MapFlags.Private | MapFlags.Fixed, &readOnly, 0));
        Assert.Equal(0, f.Space->Mprotect(B + 4 * P, P, RW));
    }

    [Theory]
    [InlineData(B + 1, P, -Errno.EINVAL)]
    [InlineData(B, 0UL, -Errno.EINVAL)]
    [InlineData(B, ulong.MaxValue - B, -Errno.EINVAL)]
    [InlineData(0x8000_0000_0000UL, P, -Errno.EINVAL)]
    [InlineData(B, P, 0)]
    public void MunmapArguments(ulong start, ulong length, int expected)
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P);
        Assert.Equal(expected, f.Space->Munmap(start, length));
    }

    [Theory]
    [InlineData(B + 1, P, Prot.Read, -Errno.EINVAL)]
    [InlineData(B, 0UL, Prot.Read, 0)]                         // zero length succeeds
    [InlineData(B, ulong.MaxValue - 10, Prot.Read, -Errno.ENOMEM)] // wraps
    [InlineData(B, P, 0x10, -Errno.EINVAL)]                    // unknown bit
    [InlineData(B, P, Prot.Read | Prot.GrowsDown | Prot.GrowsUp, -Errno.EINVAL)]
    [InlineData(B, P, Prot.Read | Prot.GrowsDown, -Errno.EINVAL)] // VMA does not grow down
    [InlineData(B, P, Prot.Read | Prot.GrowsUp, -Errno.EINVAL)]
    [InlineData(B - P, P, Prot.Read, -Errno.ENOMEM)]           // unmapped
    [InlineData(B + 3 * P, 2 * P, Prot.Read, -Errno.ENOMEM)]   // runs off the end
    [InlineData(B, P, Prot.Read | Prot.Sem, 0)]                // PROT_SEM accepted
    public void MprotectArguments(ulong start, ulong length, int prot, int expected)
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P);
        Assert.Equal(expected, f.Space->Mprotect(start, length, prot));
    }

    [Fact]
    public void MprotectGrowsDownAppliesFromTheStartOfTheStack()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P, RW, MapFlags.Private | MapFlags.Fixed | MapFlags.GrowsDown);
        Assert.Equal(0, f.Space->Mprotect(B + 2 * P, P, Prot.Read | Prot.GrowsDown));
        Assert.Equal($"{B:x}-{B + 3 * P:x}:r-- {B + 3 * P:x}-{B + 4 * P:x}:rw-", f.Layout());
    }

    [Theory]
    [InlineData(B, P, P, 8, 0UL, -Errno.EINVAL)]                                  // unknown flag
    [InlineData(B, P, 2 * P, RemapFlags.Fixed, B + 16 * P, -Errno.EINVAL)]        // FIXED without MAYMOVE
    [InlineData(B, P, 2 * P, RemapFlags.MayMove | RemapFlags.DontUnmap, 0UL, -Errno.EINVAL)] // size change
    [InlineData(B, P, P, RemapFlags.DontUnmap, 0UL, -Errno.EINVAL)]               // DONTUNMAP without MAYMOVE
    [InlineData(B + 1, P, 2 * P, RemapFlags.MayMove, 0UL, -Errno.EINVAL)]         // unaligned
    [InlineData(B, P, 0UL, RemapFlags.MayMove, 0UL, -Errno.EINVAL)]               // zero new length
    [InlineData(B - P, P, 2 * P, RemapFlags.MayMove, 0UL, -Errno.EFAULT)]         // unmapped
    [InlineData(B, 8 * P, 9 * P, RemapFlags.MayMove, 0UL, -Errno.EFAULT)]         // crosses the VMA end
    [InlineData(B, 0UL, P, RemapFlags.MayMove, 0UL, -Errno.EINVAL)]               // zero old length, private
    [InlineData(B, P, 2 * P, RemapFlags.MayMove | RemapFlags.Fixed, B + 1, -Errno.EINVAL)] // unaligned target
    [InlineData(B, 2 * P, 2 * P, RemapFlags.MayMove | RemapFlags.Fixed, B + P, -Errno.EINVAL)] // overlap
    [InlineData(B, P, 2 * P, RemapFlags.MayMove | RemapFlags.Fixed, 0x7fff_ffff_f000UL, -Errno.EINVAL)] // past the top
    [InlineData(B, P, 2 * P, 0, 0UL, -Errno.ENOMEM)]                              // cannot grow in place
    public void MremapArguments(ulong old, ulong oldLength, ulong newLength, int flags, ulong target, long expected)
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P);
        f.MapAnon(B + 4 * P, 4 * P, Prot.Read); // blocks growth in place
        string before = f.Layout();
        Assert.Equal(expected, f.Space->Mremap(old, oldLength, newLength, flags, target));
        Assert.Equal(before, f.Layout());
    }

    [Theory]
    [InlineData(B, P, 99, -Errno.EINVAL)]
    [InlineData(B + 1, P, Advice.DontNeed, -Errno.EINVAL)]
    [InlineData(B, ulong.MaxValue - 10, Advice.DontNeed, -Errno.EINVAL)]
    [InlineData(B, 0UL, Advice.DontNeed, 0)]
    [InlineData(B - P, 2 * P, Advice.DontNeed, -Errno.ENOMEM)]
    [InlineData(B + 0x7fff_0000_0000, P, Advice.DontNeed, -Errno.ENOMEM)]
    [InlineData(B, 4 * P, Advice.DontNeed, 0)]
    [InlineData(B, 4 * P, Advice.WillNeed, 0)]
    public void MadviseArguments(ulong start, ulong length, int advice, int expected)
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P);
        Assert.Equal(expected, f.Space->Madvise(start, length, advice));
    }

    [Fact]
    public void MadviseDontNeedDiscardsTheMappedPartsEvenAcrossAHole()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 2 * P);
        f.MapAnon(B + 3 * P, 2 * P, Prot.Read);
        Assert.Equal(-Errno.ENOMEM, f.Space->Madvise(B + P, 3 * P, Advice.DontNeed));
        Assert.Equal(new[] { B + P, B + 3 * P }, f.Log.Discarded);
        Assert.Equal(2, f.Space->MapCount);
    }

    [Fact]
    public void MapCountStopsAtMaxMapCountWithEnomem()
    {
        using var f = new VmSpaceFixture();
        f.Space->MaxMapCount = 64;
        for (int i = 0; i < 64; i++)
            Assert.Equal((long)(B + (ulong)i * 3 * P), f.MapAnon(B + (ulong)i * 3 * P, 2 * P, i % 2 == 0 ? RW : Prot.Read));
        Assert.Equal(-Errno.ENOMEM, f.MapAnon(B + 400 * P, P));      // would be a 65th VMA
        Assert.Equal((long)(B + 2 * P), f.MapAnon(B + 2 * P, P));    // merges into the one below: fine
        Assert.Equal(-Errno.ENOMEM, f.Space->Mprotect(B + P, P, Prot.Exec)); // split
        Assert.Equal(-Errno.ENOMEM, f.Space->Munmap(B + P, P));     // hole inside [B, B+3P)
        Assert.Equal(0, f.Space->Munmap(B, P));                     // trimming an edge adds nothing
        Assert.Equal(0, f.Space->Mprotect(B + 3 * P, P, RW));       // merge with prev, no split needed
        Assert.Equal(64, f.Space->MapCount);
        Assert.Equal(f.Space->Tree.Last->Start, (ulong)f.Space->Mremap(f.Space->Tree.Last->Start, P, P, 0, 0));
    }

    [Fact]
    public void DefaultMaxMapCountIs65530()
    {
        using var f = new VmSpaceFixture();
        Assert.Equal(65530, f.Space->MaxMapCount);
        for (int i = 0; i < 65530; i++)
            Assert.Equal((long)(B + (ulong)i * 2 * P), f.MapAnon(B + (ulong)i * 2 * P, P));
        Assert.Equal(-Errno.ENOMEM, f.MapAnon(0, P, RW, MapFlags.Private));
        Assert.Equal(65530, f.Space->MapCount);
        f.AssertValid();
        Assert.True(f.Space->Tree.Height() <= 2 * 16 + 1);
    }
}
