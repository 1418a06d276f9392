// Platform-neutral shared source (kernel and host tests).
// Page poisoning (Linux CONFIG_PAGE_POISONING / init_on_free): a freed frame is filled with a
// pattern; when it is handed out again the pattern is checked (a mismatch means someone wrote to
// it after freeing it) and the frame is zeroed. Frame contents are reached only through
// PhysicalMap, so poisoning may be switched on only once the direct map covers all managed RAM.
namespace Kernel.Memory.Physical;

public static unsafe class PagePoison
{
    /// <summary>Linux PAGE_POISON (0xaa) in every byte.</summary>
    public const ulong Pattern = 0xAAAA_AAAA_AAAA_AAAAUL;
    const int WordsPerPage = (int)(PageGeometry.PageSize / 8);

    public static void Fill(ulong pfn)
    {
        ulong* p = (ulong*)PhysicalMap.ToVirtual(pfn << PageGeometry.PageShift);
        for (int i = 0; i < WordsPerPage; i++)
            p[i] = Pattern;
    }

    /// <summary>True when every word of the frame still holds the pattern.</summary>
    public static bool IsIntact(ulong pfn)
    {
        ulong* p = (ulong*)PhysicalMap.ToVirtual(pfn << PageGeometry.PageShift);
        for (int i = 0; i < WordsPerPage; i++)
        {
            if (p[i] != Pattern)
                return false;
        }
        return true;
    }

    public static void Zero(ulong pfn)
    {
        ulong* p = (ulong*)PhysicalMap.ToVirtual(pfn << PageGeometry.PageShift);
        for (int i = 0; i < WordsPerPage; i++)
            p[i] = 0;
    }
}
