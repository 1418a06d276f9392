// Platform-neutral shared source (kernel and host tests).
// Results of memblock operations. Errors are values: the kernel turns a bad status from
// Memblock.Validate() into a panic that prints Memblock.Describe(status).
namespace Kernel.Memory.Physical;

public enum MemblockStatus
{
    Ok = 0,
    /// <summary>The memory array is full: a region that had to be added (or split by a
    /// Remove) was not stored.</summary>
    TooManyMemoryRegions,
    /// <summary>The reserved array is full: a reservation (or a split by Free) was not stored.</summary>
    TooManyReservedRegions,
    /// <summary>Not one whole page of usable RAM was added.</summary>
    NoUsableMemory,
    /// <summary>There is RAM, but every page of it is reserved.</summary>
    NoFreeMemory,
    /// <summary>Allocate: size 0, size larger than the physical address space, or an
    /// alignment that is not a power of two.</summary>
    InvalidArgument,
    /// <summary>Allocate: no free range below the limit is large enough.</summary>
    OutOfMemory,
}
