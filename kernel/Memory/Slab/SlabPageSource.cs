// Platform-neutral shared source (kernel and host tests).
// Where slabs get their pages: a few function pointers and the frame map, so the same slab code
// runs over the kernel's buddy allocator (kernel/Boot/Memory/SlabSetup.cs) and over a host
// buddy in the tests. The frame map is data, not a call: kfree looks the descriptor of an
// address up inline on its fast path.
using Kernel.Diagnostics;
using Kernel.Memory.Physical;

namespace Kernel.Memory.Slab;

public unsafe struct SlabPageSource
{
    /// <summary>2^order contiguous frames aligned to their size: the physical address, or 0.</summary>
    public delegate*<int, ulong> AllocatePages;
    /// <summary>Gives back a block AllocatePages returned, with the same order.</summary>
    public delegate*<ulong, int, void> FreePages;
    /// <summary>The frame descriptors (shared with the page allocator; slab uses the owner fields).</summary>
    public FrameMap Frames;
}

/// <summary>Reporting and owner-tracking hooks: the platform-neutral core cannot print or walk a
/// stack itself.</summary>
public unsafe struct SlabHooks
{
    /// <summary>Called with every report (after it was counted). May be null.</summary>
    public delegate*<SlabReport*, void> Report;
    /// <summary>Captures return addresses for owner tracking (U). May be null.</summary>
    public delegate*<ulong*, int, int> CaptureCallers;
    /// <summary>Writes an owner record as text (kernel: the first C# method outside the
    /// allocator). May be null: the innermost address is printed in hex.</summary>
    public delegate*<ref TextBuilder, SlabTrack*, void> AppendOwner;
}
