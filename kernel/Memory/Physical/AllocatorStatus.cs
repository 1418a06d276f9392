// Platform-neutral shared source (kernel and host tests).
// Errors are values: what the allocator returns instead of panicking.
namespace Kernel.Memory.Physical;

/// <summary>Outcome of a free (or of AddFreeRange). Anything but Ok left the allocator unchanged
/// except for its error counters.</summary>
public enum FreeStatus : byte
{
    Ok = 0,
    /// <summary>The frame is already free: a free-list head, inside a free block, or in a per-CPU list.</summary>
    DoubleFree = 1,
    /// <summary>The frame is RAM the allocator never managed (firmware, kernel image, memblock).</summary>
    ReservedFrame = 2,
    /// <summary>The address is not page aligned, or the frame is not aligned to the order.</summary>
    Misaligned = 3,
    /// <summary>No RAM at that frame: outside every range, or in a hole.</summary>
    OutsideRam = 4,
    /// <summary>Order outside 0..10, or an empty / inverted range.</summary>
    InvalidOrder = 5,
    /// <summary>The frame heads an allocated block of another order, or lies inside an allocated
    /// block without being its head.</summary>
    OrderMismatch = 6,
    /// <summary>The allocator was not initialised.</summary>
    NotInitialized = 7,
}

/// <summary>A status plus the frame it is about (the offending frame on error).</summary>
public struct FreeResult
{
    public FreeStatus Status;
    public ulong Pfn;

    public FreeResult(FreeStatus status, ulong pfn)
    {
        Status = status;
        Pfn = pfn;
    }

    public bool IsOk => Status == FreeStatus.Ok;
    public ulong PhysicalAddress => Pfn << PageGeometry.PageShift;

    /// <summary>A short lowercase name for log lines.</summary>
    public static string Describe(FreeStatus s)
    {
        switch (s)
        {
            case FreeStatus.Ok: return "ok";
            case FreeStatus.DoubleFree: return "double free";
            case FreeStatus.ReservedFrame: return "free of a reserved frame";
            case FreeStatus.Misaligned: return "misaligned free";
            case FreeStatus.OutsideRam: return "free outside RAM";
            case FreeStatus.InvalidOrder: return "invalid order";
            case FreeStatus.OrderMismatch: return "free with the wrong order";
            case FreeStatus.NotInitialized: return "allocator not initialised";
            default: return "unknown";
        }
    }
}

public enum InitStatus : byte
{
    Ok = 0,
    /// <summary>No whole frame in any range.</summary>
    NoRam = 1,
    /// <summary>The metadata block is smaller than MetadataBytesNeeded.</summary>
    MetadataTooSmall = 2,
    /// <summary>Null pointers or a negative count.</summary>
    BadArguments = 3,
}
