// Platform-neutral shared source (kernel and host tests).
// Mapping attributes in our own names. These values are NOT the x86 bit positions: the one
// place that knows those is PageTableEntry.cs, which converts both ways.
namespace Kernel.Arch.X64.Paging;

[System.Flags]
public enum PageFlags : uint
{
    None = 0,
    /// <summary>The page is mapped. Map and Protect always set it; Translate reports it.</summary>
    Present = 1 << 0,
    Writable = 1 << 1,
    /// <summary>Ring 3 may access the page.</summary>
    User = 1 << 2,
    /// <summary>Instruction fetches fault (needs EFER.NXE, or the bit is reserved and every
    /// access through the entry faults).</summary>
    NoExecute = 1 << 3,
    /// <summary>The TLB keeps the translation across CR3 loads (needs CR4.PGE). Kernel half only.</summary>
    Global = 1 << 4,
    WriteThrough = 1 << 5,
    CacheDisable = 1 << 6,
    /// <summary>The PAT index bit (bit 7 in a 4 KiB entry, bit 12 in a 2 MiB / 1 GiB entry);
    /// with WriteThrough and CacheDisable it selects one of the eight PAT memory types.</summary>
    Pat = 1 << 7,
    /// <summary>Set by the CPU on access. May be preset (Linux does for kernel pages); Protect
    /// never clears it.</summary>
    Accessed = 1 << 8,
    /// <summary>Set by the CPU on a write (leaf entries). Protect never clears it.</summary>
    Dirty = 1 << 9,

    /// <summary>Every defined flag; anything else is rejected with InvalidArgument.</summary>
    All = Present | Writable | User | NoExecute | Global | WriteThrough | CacheDisable | Pat | Accessed | Dirty,
}
