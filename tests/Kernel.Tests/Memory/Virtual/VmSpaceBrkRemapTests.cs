using Kernel.Memory.Virtual;
using Xunit;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>brk and mremap examples (Linux's rules: brk returns the old break when refused;
/// mremap grows in place when it can, moves when allowed, keeps the old range with DONTUNMAP).</summary>
public sealed unsafe class VmSpaceBrkRemapTests
{
    const ulong P = VmSpaceFixture.Page;
    const ulong B = 0x10000000;
    const ulong Heap = 0x600000;
    const int RW = Prot.Read | Prot.Write;

    static VmSpaceFixture WithHeap()
    {
        var f = new VmSpaceFixture();
        f.Space->StartBrk = f.Space->Brk = Heap;
        return f;
    }

    [Fact]
    public void BrkGrowsShrinksAndKeepsTheUnalignedValue()
    {
        using var f = WithHeap();
        Assert.Equal(Heap, f.Space->SetBrk(0));            // query
        Assert.Equal(Heap + 100, f.Space->SetBrk(Heap + 100));
        Assert.Equal($"{Heap:x}-{Heap + P:x}:rw-", f.Layout());
        Assert.Equal(Heap + 3 * P, f.Space->SetBrk(Heap + 3 * P));
        Assert.Equal($"{Heap:x}-{Heap + 3 * P:x}:rw-", f.Layout());
        Assert.Equal(Heap + P + 1, f.Space->SetBrk(Heap + P + 1));
        Assert.Equal($"{Heap:x}-{Heap + 2 * P:x}:rw-", f.Layout());
        Assert.Equal(Heap, f.Space->SetBrk(Heap));
        Assert.Equal(0, f.Space->MapCount);
        Assert.Equal(Heap, f.Space->SetBrk(Heap - P));      // below the start: refused
    }

    [Fact]
    public void BrkStopsOnePageShortOfTheNextMapping()
    {
        using var f = WithHeap();
        f.MapAnon(Heap + 8 * P, P, Prot.Read);
        Assert.Equal(Heap, f.Space->SetBrk(Heap + 8 * P));  // would touch it
        Assert.Equal(Heap + 7 * P, f.Space->SetBrk(Heap + 7 * P));
        Assert.Equal(Heap + 7 * P, f.Space->SetBrk(Heap + 7 * P + 1)); // needs another page: refused
        // RLIMIT_DATA is checked first, for shrinking too (as Linux does).
        f.Space->DataLimit = 2 * P;
        Assert.Equal(Heap + 7 * P, f.Space->SetBrk(Heap + 6 * P));
        Assert.Equal(Heap + P, f.Space->SetBrk(Heap + P));
        Assert.Equal(Heap + P, f.Space->SetBrk(Heap + 3 * P));
    }

    [Fact]
    public void BrkShrinkFailsWhenNothingIsMappedThere()
    {
        using var f = WithHeap();
        f.Space->SetBrk(Heap + 4 * P);
        f.Space->Munmap(Heap, 4 * P);
        Assert.Equal(Heap + 4 * P, f.Space->SetBrk(Heap + P));
    }

    [Fact]
    public void MremapShrinksInPlace()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P);
        Assert.Equal((long)B, f.Space->Mremap(B, 4 * P, P, 0, 0));
        Assert.Equal($"{B:x}-{B + P:x}:rw-", f.Layout());
        Assert.Equal(3, f.Log.Unmapped.Count);
    }

    [Fact]
    public void MremapGrowsInPlaceAndMergesWithACompatibleNext()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 2 * P);
        f.MapAnon(B + 4 * P, 2 * P);
        Assert.Equal((long)B, f.Space->Mremap(B, 2 * P, 4 * P, 0, 0));
        Assert.Equal($"{B:x}-{B + 6 * P:x}:rw-", f.Layout());
        Assert.Empty(f.Log.Moves);
    }

    [Fact]
    public void MremapMovesWhenBlockedAndAllowed()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 2 * P);
        f.MapAnon(B + 2 * P, P, Prot.Read);
        long moved = f.Space->Mremap(B, 2 * P, 4 * P, RemapFlags.MayMove, 0);
        Assert.Equal((long)(f.Space->MmapBase - 4 * P), moved);
        Assert.Equal(new[] { (B, (ulong)moved, 2 * P) }, f.Log.Moves);
        Assert.Equal($"{B + 2 * P:x}-{B + 3 * P:x}:r-- {moved:x}-{moved + (long)(4 * P):x}:rw-", f.Layout());
    }

    [Fact]
    public void MremapFixedReplacesTheTargetAndMovesPartOfAnArea()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P);
        f.MapAnon(B + 16 * P, 4 * P, Prot.Read);
        Assert.Equal((long)(B + 16 * P), f.Space->Mremap(B + P, P, 2 * P, RemapFlags.MayMove | RemapFlags.Fixed, B + 16 * P));
        Assert.Equal($"{B:x}-{B + P:x}:rw- {B + 2 * P:x}-{B + 4 * P:x}:rw- {B + 16 * P:x}-{B + 18 * P:x}:rw- {B + 18 * P:x}-{B + 20 * P:x}:r--", f.Layout());
    }

    [Fact]
    public void MremapDontUnmapLeavesTheOldRangeMapped()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 2 * P);
        long moved = f.Space->Mremap(B, 2 * P, 2 * P, RemapFlags.MayMove | RemapFlags.DontUnmap, 0);
        Assert.True(moved > 0 && (ulong)moved != B);
        Assert.Equal(2, f.Space->MapCount);
        Assert.Empty(f.Log.Unmapped);
        Assert.Single(f.Log.Moves);
    }

    [Fact]
    public void MremapWithZeroOldLengthDuplicatesASharedMapping()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 2 * P, RW, MapFlags.Shared | MapFlags.Fixed);
        long dup = f.Space->Mremap(B, 0, 2 * P, RemapFlags.MayMove, 0);
        Assert.True(dup > 0);
        Assert.Equal(2, f.Space->MapCount);
        Assert.Equal(f.Space->Tree.First->File, f.Space->Tree.Last->File); // same shared object
    }

    [Fact]
    public void CopyToDuplicatesEveryArea()
    {
        using var f = new VmSpaceFixture();
        using var g = new VmSpaceFixture();
        f.MapAnon(B, 2 * P);
        f.MapAnon(B + 4 * P, P, Prot.Read);
        Assert.Equal(0, f.Space->CopyTo(g.Space));
        Assert.Equal(f.Layout(), g.Layout());
        Assert.Equal(3UL, g.Space->TotalPages);
        g.AssertValid();
    }
}
