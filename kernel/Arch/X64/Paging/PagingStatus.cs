// Platform-neutral shared source (kernel and host tests).
// Results of page-table operations; PageTables.Describe gives the sentence for a log line.
namespace Kernel.Arch.X64.Paging;

public enum PagingStatus
{
    Ok = 0,
    /// <summary>A virtual address (or the end of a range) is not canonical (bits 63..47 must
    /// all equal bit 47), or a range crosses the non-canonical hole.</summary>
    NonCanonical,
    /// <summary>An address or a length is not a multiple of the page size it needs.</summary>
    Unaligned,
    /// <summary>Map: some page of the target is already mapped (nothing was changed).</summary>
    AlreadyMapped,
    /// <summary>Unmap: nothing is mapped at the address.</summary>
    NotMapped,
    /// <summary>Unmap: the address is mapped with smaller pages than the size asked for.</summary>
    SizeMismatch,
    /// <summary>The frame source had no frame for a new or split table (nothing was changed).</summary>
    OutOfMemory,
    /// <summary>The frame source returned a frame that is not 4 KiB aligned or lies beyond
    /// 52 bits (it was not used, and not freed).</summary>
    BadFrame,
    /// <summary>Unknown flag bits, an unknown page size, a zero length, a physical address
    /// beyond 52 bits, or a root that is 0 or unaligned.</summary>
    InvalidArgument,
}
