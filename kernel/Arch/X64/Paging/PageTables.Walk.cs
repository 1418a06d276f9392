// Platform-neutral shared source (kernel and host tests).
// A page-table walk as text: what the `vtop` shell command prints.
//   walk 0xffff888000201234 root 0x0000000000105000
//     PML4[273] = 0x0000000000106023  table 0x0000000000106000  P RW A
//     PDPT[0]   = 0x0000000000107023  table 0x0000000000107000  P RW A
//     PD[1]     = 0x80000000002001e3  2M page 0x0000000000200000  P RW A D PS G NX
//   physical 0x0000000000201234 (2M page)
// A walk that stops prints the entry that is not present and "not mapped".
using Kernel.Diagnostics;

namespace Kernel.Arch.X64.Paging;

public static unsafe partial class PageTables
{
    public static void Walk(ulong root, ulong virt, ref TextBuilder text)
    {
        text.Append("walk 0x");
        text.AppendHex(virt, 16);
        text.Append(" root 0x");
        text.AppendHex(root, 16);
        text.Append('\n');
        if (!ValidRoot(root))
        {
            text.Append("  invalid root (0, unaligned or beyond 52 bits)\n");
            return;
        }
        if (!IsCanonical(virt))
        {
            text.Append("  not canonical: bits 63..47 must all equal bit 47\n");
            return;
        }
        ulong table = root;
        for (int level = PageTableEntry.Pml4Level; level >= PageTableEntry.PtLevel; level--)
        {
            int index = PageTableEntry.Index(virt, level);
            ulong value = Table(table)[index];
            text.Append("  ");
            AppendLevelAndIndex(ref text, level, index);
            text.Append("= 0x");
            text.AppendHex(value, 16);
            if (!PageTableEntry.IsPresent(value))
            {
                text.Append("  not present\nnot mapped\n");
                return;
            }
            bool leaf = PageTableEntry.IsLeaf(value, level);
            if (leaf)
            {
                text.Append("  ");
                text.Append(level == PageTableEntry.PdptLevel ? "1G" : level == PageTableEntry.PdLevel ? "2M" : "4K");
                text.Append(" page 0x");
                text.AppendHex(PageTableEntry.FrameAddress(value, level), 16);
            }
            else
            {
                text.Append("  table 0x");
                text.AppendHex(PageTableEntry.TableAddress(value), 16);
            }
            text.Append(' ');
            AppendRawFlags(ref text, value, level, leaf);
            text.Append('\n');
            if (leaf)
            {
                ulong phys = PageTableEntry.FrameAddress(value, level) + (virt & (PageTableEntry.LevelSize(level) - 1));
                text.Append("physical 0x");
                text.AppendHex(phys, 16);
                text.Append(level == PageTableEntry.PdptLevel ? " (1G page)\n" : level == PageTableEntry.PdLevel ? " (2M page)\n" : " (4K page)\n");
                return;
            }
            table = PageTableEntry.TableAddress(value);
        }
    }

    static void AppendLevelAndIndex(ref TextBuilder text, int level, int index)
    {
        string name = level == 4 ? "PML4" : level == 3 ? "PDPT" : level == 2 ? "PD" : "PT";
        text.Append(name);
        text.Append('[');
        text.AppendDecimal((ulong)index);
        text.Append(']');
        // Pad "PD[1]" and friends to one column width ("PML4[511]" is 9 characters).
        int width = name.Length + 2 + (index >= 100 ? 3 : index >= 10 ? 2 : 1);
        text.AppendRepeat(' ', 10 - width);
    }

    /// <summary>The x86 names of the bits set in an entry (the SDM's names, as Linux's
    /// page-table dump prints them), then "RSVD!" if a reserved bit is set.</summary>
    static void AppendRawFlags(ref TextBuilder text, ulong value, int level, bool leaf)
    {
        AppendIf(ref text, value, PageTableEntry.PresentBit, " P");
        AppendIf(ref text, value, PageTableEntry.WritableBit, " RW");
        AppendIf(ref text, value, PageTableEntry.UserBit, " US");
        AppendIf(ref text, value, PageTableEntry.WriteThroughBit, " PWT");
        AppendIf(ref text, value, PageTableEntry.CacheDisableBit, " PCD");
        AppendIf(ref text, value, PageTableEntry.AccessedBit, " A");
        if (leaf)
            AppendIf(ref text, value, PageTableEntry.DirtyBit, " D");
        if (level == PageTableEntry.PtLevel)
            AppendIf(ref text, value, PageTableEntry.Pat4KBit, " PAT");
        else
            AppendIf(ref text, value, PageTableEntry.PageSizeBit, " PS");
        if (leaf)
        {
            AppendIf(ref text, value, PageTableEntry.GlobalBit, " G");
            if (level != PageTableEntry.PtLevel)
                AppendIf(ref text, value, PageTableEntry.PatLargeBit, " PAT");
        }
        AppendIf(ref text, value, PageTableEntry.NoExecuteBit, " NX");
        if (PageTableEntry.ReservedBits(value, level) != 0)
            text.Append(" RSVD!");
    }

    static void AppendIf(ref TextBuilder text, ulong value, ulong bit, string name)
    {
        if ((value & bit) != 0)
            text.Append(name);
    }
}
