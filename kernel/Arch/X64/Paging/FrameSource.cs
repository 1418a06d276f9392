// Platform-neutral shared source (kernel and host tests).
// Where page-table pages come from. The caller supplies plain static functions: the kernel
// wires them to memblock early and to the buddy allocator later; host tests to a fake RAM.
namespace Kernel.Arch.X64.Paging;

public unsafe struct FrameSource
{
    /// <summary>Returns the physical address of a zeroed 4 KiB frame, or 0 when out of memory.
    /// The frame must be reachable through Kernel.Memory.PhysicalMap. Null means "never any
    /// memory": operations that need a new table fail with OutOfMemory.</summary>
    public delegate*<ulong> AllocateZeroedFrame;

    /// <summary>Takes back a frame AllocateZeroedFrame returned. Null means "keep tables":
    /// tables that become empty stay linked (nothing leaks, nothing is freed).</summary>
    public delegate*<ulong, void> FreeFrame;
}
