using System;
using System.Runtime.InteropServices;
using Kernel.Memory.Virtual;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>VMA nodes from native memory with a live count, so a test can prove that every
/// node went back (and that a null from the allocator is handled, via <see cref="FailAfter"/>).</summary>
public sealed unsafe class HostVmaNodes : IDisposable
{
    struct Counter { public long Live; public long Total; public long FailAfter; }

    readonly Counter* _counter;

    public HostVmaNodes()
    {
        _counter = (Counter*)NativeMemory.AllocZeroed((nuint)sizeof(Counter));
        _counter->FailAfter = long.MaxValue;
    }

    public long Live => _counter->Live;
    public long Total => _counter->Total;
    /// <summary>Allocations after this many more return null.</summary>
    public long FailAfter { set => _counter->FailAfter = _counter->Total + value; }

    public VmaNodeAllocator Allocator => new VmaNodeAllocator { Allocate = &Allocate, Free = &Free, Context = _counter };

    static VmArea* Allocate(void* context)
    {
        var c = (Counter*)context;
        if (c->Total >= c->FailAfter) return null;
        c->Total++;
        c->Live++;
        return (VmArea*)NativeMemory.AllocZeroed((nuint)sizeof(VmArea));
    }

    static void Free(void* context, VmArea* node)
    {
        ((Counter*)context)->Live--;
        // Poison the freed node first: a use after free then shows up as nonsense ranges.
        new Span<byte>(node, sizeof(VmArea)).Fill(0x6b);
        NativeMemory.Free(node);
    }

    public void Dispose() => NativeMemory.Free(_counter);
}
