// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Which physical memory the ACPI parsers may read. Tables are found through addresses the
// firmware wrote; a garbage address must give NotMapped, not a page fault. The kernel
// registers the physical ranges it has mapped in the direct map (at least the ACPI
// reclaimable / NVS / reserved regions of the memory map and the BIOS area
// 0xe0000-0xfffff); host tests register the block that stands in for RAM. Nothing is
// readable until a range is added.
using Kernel.Memory;

namespace Kernel.Acpi;

/// <summary>Fixed table of readable physical ranges [Base, End).</summary>
public unsafe struct AcpiReadableRanges
{
    public const int Capacity = 32; // root tables, every table they list, the DSDT
    public int Count;
    public fixed ulong Base[Capacity];
    public fixed ulong End[Capacity];
}

public static unsafe class AcpiMemory
{
    static AcpiReadableRanges s_ranges;

    public static int RangeCount => s_ranges.Count;

    public static void ClearReadableRanges()
    {
        s_ranges.Count = 0;
    }

    /// <summary>Declares [physicalBase, physicalBase + length) mapped through
    /// <see cref="PhysicalMap"/>. False when the table is full, the length is 0 or the range
    /// wraps past 2^64. Adjacent ranges may be added separately: a table may span them.</summary>
    public static bool AddReadableRange(ulong physicalBase, ulong length)
    {
        if (length == 0 || physicalBase + length < physicalBase)
            return false;
        int n = s_ranges.Count;
        if (n >= AcpiReadableRanges.Capacity)
            return false;
        s_ranges.Base[n] = physicalBase;
        s_ranges.End[n] = physicalBase + length;
        s_ranges.Count = n + 1;
        return true;
    }

    /// <summary>True when every byte of [physical, physical + length) lies in registered
    /// ranges (possibly several adjacent or overlapping ones). Length 0 is trivially true.</summary>
    public static bool IsReadable(ulong physical, ulong length)
    {
        if (length == 0)
            return true;
        ulong end = physical + length;
        if (end < physical)
            return false;
        ulong cursor = physical;
        int n = s_ranges.Count;
        // Each pass moves the cursor to the end of a range that contains it; at most n passes.
        for (int pass = 0; pass < n && cursor < end; pass++)
        {
            bool advanced = false;
            for (int i = 0; i < n; i++)
            {
                if (s_ranges.Base[i] <= cursor && cursor < s_ranges.End[i])
                {
                    cursor = s_ranges.End[i];
                    advanced = true;
                    break;
                }
            }
            if (!advanced)
                return false;
        }
        return cursor >= end;
    }

    /// <summary>Virtual address of a physical one (no check: call <see cref="IsReadable"/> first).</summary>
    public static byte* Pointer(ulong physical)
    {
        return (byte*)PhysicalMap.ToVirtual(physical);
    }
}
