using Kernel.Arch.X64.Paging;
using Kernel.Memory.Virtual;
using Xunit;

namespace Kernel.Tests.Paging;

[Collection("PhysicalMap")]
public unsafe class UserAddressSpaceTests
{
    [Fact]
    public void DestroyGivesBackEveryFrameAndTable()
    {
        using var memory = new FakePhysicalMemory();
        ulong kernelRoot = memory.NewRoot();
        FrameSource frames = memory.Source;
        Assert.Equal(PagingStatus.Ok, PageTables.PreallocateKernelSlots(kernelRoot, 256, 511, in frames));
        int baseline = memory.InUse;

        Assert.Equal(PagingStatus.Ok, UserAddressSpace.Create(kernelRoot, in frames, out UserAddressSpace space));
        ulong* pml4 = (ulong*)space.Root;
        ulong* kernelPml4 = (ulong*)kernelRoot;
        for (int i = 256; i < 512; i++) Assert.Equal(kernelPml4[i], pml4[i]);
        PageFlags rw = PageFlags.Writable | PageFlags.NoExecute;
        Assert.Equal(PagingStatus.Ok, space.EnsureRange(0x400000, 0x403800, PageFlags.None, in frames));
        Assert.Equal(PagingStatus.Ok, space.EnsureRange(0x7ffffffdf000, 0x7ffffffff000, rw, in frames));
        Assert.Equal(4UL + 32UL, space.Pages);
        Assert.Equal(PagingStatus.Ok, space.Destroy(in frames));
        Assert.Equal(baseline, memory.InUse);
        Assert.Empty(memory.Errors);
    }

    [Fact]
    public void SharedPagesTakeTheUnionOfPermissions()
    {
        using var memory = new FakePhysicalMemory();
        ulong kernelRoot = memory.NewRoot();
        FrameSource frames = memory.Source;
        Assert.Equal(PagingStatus.Ok, UserAddressSpace.Create(kernelRoot, in frames, out UserAddressSpace space));
        Assert.Equal(PagingStatus.Ok, space.EnsurePage(0x401000, PageFlags.None, in frames));                 // r-x
        Assert.Equal(PagingStatus.Ok, space.EnsurePage(0x401000, PageFlags.Writable | PageFlags.NoExecute, in frames)); // rw-
        PageTables.Translate(space.Root, 0x401000, out ulong _, out PageFlags flags, out PageSize _);
        Assert.True((flags & PageFlags.Writable) != 0 && (flags & PageFlags.User) != 0 && (flags & PageFlags.NoExecute) == 0);
        Assert.Equal(1UL, space.Pages);
        Assert.Equal(PagingStatus.InvalidArgument, space.EnsurePage(0, PageFlags.None, in frames));
        Assert.Equal(PagingStatus.InvalidArgument, space.EnsurePage(UserAddressSpace.End, PageFlags.None, in frames));
        space.Destroy(in frames);
    }

    [Fact]
    public void WriteCrossesPagesAndStopsAtHoles()
    {
        using var memory = new FakePhysicalMemory();
        ulong kernelRoot = memory.NewRoot();
        FrameSource frames = memory.Source;
        Assert.Equal(PagingStatus.Ok, UserAddressSpace.Create(kernelRoot, in frames, out UserAddressSpace space));
        Assert.Equal(PagingStatus.Ok, space.EnsureRange(0x10000, 0x12000, PageFlags.Writable, in frames));
        byte* data = stackalloc byte[100];
        for (int i = 0; i < 100; i++) data[i] = (byte)(i + 1);
        Assert.Equal(PagingStatus.Ok, space.Write(0x10fd0, data, 100));
        PageTables.Translate(space.Root, 0x10fd0, out ulong p1, out PageFlags _, out PageSize _);
        PageTables.Translate(space.Root, 0x11000, out ulong p2, out PageFlags _, out PageSize _);
        Assert.Equal(1, *(byte*)p1);
        Assert.Equal(49, *(byte*)p2);
        Assert.Equal(PagingStatus.NotMapped, space.Write(0x11ff0, data, 100));
        int before = memory.InUse;
        space.Destroy(in frames);
        Assert.Equal(before - 2 - 3 - 1, memory.InUse); // 2 data frames, PDPT + PD + PT, the PML4
    }
}
