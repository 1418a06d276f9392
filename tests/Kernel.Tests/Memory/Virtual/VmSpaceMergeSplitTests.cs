using Kernel.Memory.Virtual;
using Kernel.Syscalls;
using Xunit;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>Examples per rule, after Linux's tools/testing/vma cases: new mappings merge with
/// the previous, the next or both neighbours; munmap and mprotect split at either edge and in
/// the middle; mprotect back merges again; incompatible neighbours never merge.</summary>
public sealed unsafe class VmSpaceMergeSplitTests
{
    const ulong P = VmSpaceFixture.Page;
    const ulong B = 0x10000000;
    const int RW = Prot.Read | Prot.Write;

    [Fact]
    public void NewMappingMergesWithPrevious()
    {
        using var f = new VmSpaceFixture();
        Assert.Equal((long)B, f.MapAnon(B, 2 * P));
        Assert.Equal((long)(B + 2 * P), f.MapAnon(B + 2 * P, P));
        Assert.Equal($"{B:x}-{B + 3 * P:x}:rw-", f.Layout());
    }

    [Fact]
    public void NewMappingMergesWithNext()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B + 2 * P, 2 * P);
        f.MapAnon(B, 2 * P);
        Assert.Equal($"{B:x}-{B + 4 * P:x}:rw-", f.Layout());
    }

    [Fact]
    public void NewMappingBridgesBothNeighboursIntoOne()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, P);
        f.MapAnon(B + 2 * P, P);
        Assert.Equal(2, f.Space->MapCount);
        f.MapAnon(B + P, P);
        Assert.Equal(1, f.Space->MapCount);
        Assert.Equal($"{B:x}-{B + 3 * P:x}:rw-", f.Layout());
        Assert.Equal(1, f.Nodes.Live);
    }

    [Fact]
    public void IncompatibleNeighboursStayApart()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, P, Prot.Read);
        f.MapAnon(B + P, P, RW);
        f.MapAnon(B + 2 * P, P, RW, MapFlags.Shared | MapFlags.Fixed);
        f.MapAnon(B + 3 * P, P, RW, MapFlags.Shared | MapFlags.Fixed); // another shmem object
        f.MapAnon(B + 4 * P, P, RW, MapFlags.Private | MapFlags.Fixed | MapFlags.NoReserve);
        Assert.Equal(5, f.Space->MapCount);
    }

    [Fact]
    public void PrivateFileMappingsMergeOnlyWithContiguousOffsets()
    {
        using var f = new VmSpaceFixture();
        var file = new VmFile { Handle = 5, Inode = 9, Device = 1, Readable = true };
        Assert.Equal((long)B, f.Space->Mmap(B, P, Prot.Read, MapFlags.Private | MapFlags.Fixed, &file, 0));
        Assert.Equal((long)(B + P), f.Space->Mmap(B + P, P, Prot.Read, MapFlags.Private | MapFlags.Fixed, &file, 2 * P));
        Assert.Equal(2, f.Space->MapCount);
        Assert.Equal((long)(B + 2 * P), f.Space->Mmap(B + 2 * P, P, Prot.Read, MapFlags.Private | MapFlags.Fixed, &file, 3 * P));
        Assert.Equal(2, f.Space->MapCount); // offsets 2 and 3 are contiguous
        f.Space->Munmap(B + P, P);
        Assert.Equal((long)(B + P), f.Space->Mmap(B + P, P, Prot.Read, MapFlags.Private | MapFlags.Fixed, &file, P));
        Assert.Equal(2, f.Space->MapCount); // pages at offsets 0, 1 | 3
        Assert.Equal(B + 2 * P, f.Space->Tree.First->End);
        Assert.Equal(3 * P, f.Space->Tree.Last->FileOffset);
    }

    [Fact]
    public void MunmapSplitsAtTheStartTheEndAndTheMiddle()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 8 * P);
        Assert.Equal(0, f.Space->Munmap(B, P));
        Assert.Equal($"{B + P:x}-{B + 8 * P:x}:rw-", f.Layout());
        Assert.Equal(0, f.Space->Munmap(B + 7 * P, P));
        Assert.Equal($"{B + P:x}-{B + 7 * P:x}:rw-", f.Layout());
        Assert.Equal(0, f.Space->Munmap(B + 3 * P, 2 * P));
        Assert.Equal($"{B + P:x}-{B + 3 * P:x}:rw- {B + 5 * P:x}-{B + 7 * P:x}:rw-", f.Layout());
        Assert.Equal(4UL, f.Space->TotalPages);
        Assert.Equal(4, f.Log.Unmapped.Count);
    }

    [Fact]
    public void MunmapAcrossSeveralAreasAndHoles()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 2 * P, Prot.Read);
        f.MapAnon(B + 3 * P, 2 * P, RW);
        f.MapAnon(B + 6 * P, 2 * P, Prot.Read);
        Assert.Equal(0, f.Space->Munmap(B + P, 6 * P));
        Assert.Equal($"{B:x}-{B + P:x}:r-- {B + 7 * P:x}-{B + 8 * P:x}:r--", f.Layout());
        Assert.Equal(0, f.Space->Munmap(0x7000_0000_0000, P)); // nothing there: fine
    }

    [Fact]
    public void MprotectMiddleSplitsInThreeAndBackMergesToOne()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 3 * P);
        Assert.Equal(0, f.Space->Mprotect(B + P, P, Prot.Read));
        Assert.Equal($"{B:x}-{B + P:x}:rw- {B + P:x}-{B + 2 * P:x}:r-- {B + 2 * P:x}-{B + 3 * P:x}:rw-", f.Layout());
        Assert.Equal(0, f.Space->Mprotect(B + P, P, RW));
        Assert.Equal($"{B:x}-{B + 3 * P:x}:rw-", f.Layout());
        Assert.Equal(1, f.Nodes.Live);
        Assert.Equal(2, f.Log.Protected.Count);
    }

    [Fact]
    public void MprotectOfAnEdgeMovesTheBoundaryIntoTheNeighbour()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 2 * P, Prot.Read);
        f.MapAnon(B + 2 * P, 2 * P, RW);
        // First page of the upper VMA joins the lower one (merge with prev, no split).
        Assert.Equal(0, f.Space->Mprotect(B + 2 * P, P, Prot.Read));
        Assert.Equal($"{B:x}-{B + 3 * P:x}:r-- {B + 3 * P:x}-{B + 4 * P:x}:rw-", f.Layout());
        // Last page of the lower VMA joins the upper one (merge with next).
        Assert.Equal(0, f.Space->Mprotect(B + 2 * P, P, RW));
        Assert.Equal($"{B:x}-{B + 2 * P:x}:r-- {B + 2 * P:x}-{B + 4 * P:x}:rw-", f.Layout());
        Assert.Equal(2, f.Nodes.Live);
    }

    [Fact]
    public void MprotectSpanningThreeAreasMergesThemAll()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, P, Prot.Read);
        f.MapAnon(B + P, P, RW);
        f.MapAnon(B + 2 * P, P, Prot.Read);
        Assert.Equal(0, f.Space->Mprotect(B, 3 * P, Prot.Read | Prot.Exec));
        Assert.Equal($"{B:x}-{B + 3 * P:x}:r-x", f.Layout());
    }

    [Fact]
    public void MprotectStopsAtAHoleWithEnomemAfterChangingWhatCameBefore()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 2 * P);
        f.MapAnon(B + 3 * P, P);
        Assert.Equal(-Errno.ENOMEM, f.Space->Mprotect(B, 4 * P, Prot.Read));
        Assert.Equal($"{B:x}-{B + 2 * P:x}:r-- {B + 3 * P:x}-{B + 4 * P:x}:rw-", f.Layout());
        Assert.Equal(-Errno.ENOMEM, f.Space->Mprotect(B + 2 * P, P, Prot.Read)); // starts in the hole
    }

    [Fact]
    public void MapFixedReplacesWhatWasThereAndNoReplaceRefuses()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P, Prot.Read);
        Assert.Equal((long)(B + P), f.MapAnon(B + P, 2 * P, RW));
        Assert.Equal($"{B:x}-{B + P:x}:r-- {B + P:x}-{B + 3 * P:x}:rw- {B + 3 * P:x}-{B + 4 * P:x}:r--", f.Layout());
        Assert.Equal(2, f.Log.Unmapped.Count);
        Assert.Equal(-Errno.EEXIST, f.MapAnon(B + 3 * P, 2 * P, RW, MapFlags.Private | MapFlags.FixedNoReplace));
        Assert.Equal((long)(B + 4 * P), f.MapAnon(B + 4 * P, 2 * P, Prot.Read, MapFlags.Private | MapFlags.FixedNoReplace));
        Assert.Equal(3, f.Space->MapCount); // and it merged with the r-- below
    }

    [Fact]
    public void TopDownPlacementStartsBelowMmapBaseAndHonoursFreeHints()
    {
        using var f = new VmSpaceFixture();
        ulong top = f.Space->MmapBase;
        Assert.Equal(0x7ffff7fff000UL, top); // Linux x86-64 without randomisation
        Assert.Equal((long)(top - P), f.MapAnon(0, P, Prot.Read, MapFlags.Private));
        Assert.Equal((long)(top - 3 * P), f.MapAnon(0, 2 * P, RW, MapFlags.Private));
        Assert.Equal((long)B, f.MapAnon(B, P, RW, MapFlags.Private));          // free hint taken
        Assert.Equal((long)(top - 4 * P), f.MapAnon(B, P, RW, MapFlags.Private)); // busy hint: top-down
        Assert.Equal((long)(B + P), f.MapAnon(B + P + 5, P, RW, MapFlags.Private)); // hint rounded down
        Assert.Equal((long)0x10000, f.MapAnon(0x1000, P, RW, MapFlags.Private)); // below mmap_min_addr: raised
    }

    [Fact]
    public void GrowsDownStackKeepsItsGuardGapFreeOfNewMappings()
    {
        using var f = new VmSpaceFixture();
        ulong stackTop = 0x7fff_0000_0000;
        f.Space->MmapBase = stackTop;
        Assert.Equal((long)(stackTop - 16 * P), f.MapAnon(stackTop - 16 * P, 16 * P, RW, MapFlags.Private | MapFlags.Fixed | MapFlags.GrowsDown));
        long below = f.MapAnon(0, P, RW, MapFlags.Private);
        Assert.Equal((long)(stackTop - 16 * P - VmSpace.DefaultStackGuardGap - P), below);
        // A hint inside the guard gap is not taken either.
        Assert.NotEqual((long)(stackTop - 17 * P), f.MapAnon(stackTop - 17 * P, P, RW, MapFlags.Private));
    }
}
