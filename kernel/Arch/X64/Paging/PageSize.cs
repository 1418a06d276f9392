// Platform-neutral shared source (kernel and host tests).
// The three x86-64 page sizes; each value is the size in bytes.
namespace Kernel.Arch.X64.Paging;

public enum PageSize : ulong
{
    /// <summary>A PT entry (level 1).</summary>
    Size4K = 0x1000,
    /// <summary>A PD entry with PS set (level 2).</summary>
    Size2M = 0x20_0000,
    /// <summary>A PDPT entry with PS set (level 3); only on CPUs with CPUID.80000001H:EDX.Page1GB[26].</summary>
    Size1G = 0x4000_0000,
}
