// Platform-neutral shared source (kernel and host tests).
// What the address-space logic asks of the page-table layer. VmSpace decides which ranges
// change; the owner of the page tables (ring 3's user address space) does the page work.
// Any pointer may be null: that step is then skipped (host tests of pure range logic).
namespace Kernel.Memory.Virtual;

public unsafe struct VmPageOps
{
    public void* Context;

    /// <summary>[start, end) of <c>vma</c> stops being mapped: drop its pages (put the frames,
    /// free page-table pages that become empty). Called while the VMA still has its attributes.</summary>
    public delegate*<void*, VmArea*, ulong, ulong, void> Unmap;

    /// <summary>[start, end) of <c>vma</c> now has <c>vma->Protection</c>: rewrite its present
    /// entries (write access may be withheld for copy-on-write pages).</summary>
    public delegate*<void*, VmArea*, ulong, ulong, void> Protect;

    /// <summary>mremap: Move(context, oldStart, newStart, length) moves the entries of
    /// [oldStart, oldStart + length) to newStart (the destination is unmapped; the VMA at the
    /// destination already exists).</summary>
    public delegate*<void*, ulong, ulong, ulong, void> Move;

    /// <summary>MADV_DONTNEED / MADV_FREE: drop the pages of [start, end) of <c>vma</c>; private
    /// anonymous memory reads back as zeroes, shared memory keeps its contents in its object.</summary>
    public delegate*<void*, VmArea*, ulong, ulong, void> Discard;
}

/// <summary>A file being mapped (the syscall layer resolved the descriptor).</summary>
public struct VmFile
{
    /// <summary>Opaque non-zero reference the owner resolves pages through.</summary>
    public ulong Handle;
    public ulong Inode;
    public uint Device;
    /// <summary>Opened for reading / writing (FMODE_READ / FMODE_WRITE).</summary>
    public bool Readable;
    public bool Writable;
}
