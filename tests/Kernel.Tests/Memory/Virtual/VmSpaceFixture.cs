using System;
using System.Runtime.InteropServices;
using Kernel.Memory.Virtual;
using Xunit;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>A VmSpace in native memory with the default Linux layout, nodes counted and page
/// callbacks logged.</summary>
public sealed unsafe class VmSpaceFixture : IDisposable
{
    public const ulong Page = 4096;
    public readonly HostVmaNodes Nodes = new();
    public readonly PageOpsLog Log = new();
    public readonly VmSpace* Space;

    public VmSpaceFixture()
    {
        Space = (VmSpace*)NativeMemory.AllocZeroed((nuint)sizeof(VmSpace));
        Space->Initialize(Nodes.Allocator, Log.Ops);
    }

    public long MapAnon(ulong address, ulong length, int prot = Prot.Read | Prot.Write, int flags = MapFlags.Private | MapFlags.Fixed)
        => Space->Mmap(address, length, prot, flags | MapFlags.Anonymous, null, 0);

    public void AssertValid()
    {
        VmaViolation v = Space->Validate(out ulong where);
        Assert.True(v == VmaViolation.None, $"{v} at 0x{where:x}");
    }

    /// <summary>The VMAs as "start-end prot" strings, for compact assertions.</summary>
    public string Layout()
    {
        var parts = new System.Collections.Generic.List<string>();
        for (VmArea* v = Space->Tree.First; v != null; v = v->Next)
            parts.Add($"{v->Start:x}-{v->End:x}:{(v->CanRead ? 'r' : '-')}{(v->CanWrite ? 'w' : '-')}{(v->CanExec ? 'x' : '-')}");
        return string.Join(" ", parts);
    }

    public void Dispose()
    {
        AssertValid();
        Space->Destroy();
        Assert.Equal(0, Nodes.Live);
        NativeMemory.Free(Space);
        Log.Dispose();
        Nodes.Dispose();
    }
}
