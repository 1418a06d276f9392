using System.Collections.Generic;
using Kernel.Arch.X64.Paging;

namespace Kernel.Tests.Paging;

/// <summary>
/// Walks a whole page-table tree and lists every broken invariant: tables that are not frames
/// of the fake memory (leaked, freed, or foreign), tables reachable twice, non-present entries
/// that are not zero, reserved bits, PS in a PML4 entry, table entries without P/RW (or without
/// U/S in the user half), and empty tables that should have been freed (all but the root and
/// the PDPTs under kernel slots 256..511).
/// </summary>
public static unsafe class PageTreeChecker
{
    public sealed class Result
    {
        public readonly List<string> Problems = new();
        public int Tables;   // reachable tables, root excluded
        public int Leaves;
        public override string ToString() => string.Join("\n", Problems);
    }

    public static Result Check(ulong root, FakePhysicalMemory memory, bool allowEmptyTables = false)
    {
        var r = new Result();
        var seen = new HashSet<ulong> { root };
        if (!memory.Owns(root))
            r.Problems.Add($"root 0x{root:x} is not an allocated frame");
        Visit(r, memory, seen, root, 4, 0, -1, allowEmptyTables);
        return r;
    }

    static void Visit(Result r, FakePhysicalMemory memory, HashSet<ulong> seen, ulong table, int level, ulong tableBase, int slot, bool allowEmpty)
    {
        ulong* entries = (ulong*)table;
        int present = 0;
        ulong span = PageTableEntry.LevelSize(level);
        for (int i = 0; i < 512; i++)
        {
            ulong v = entries[i];
            ulong virt = (ulong)((long)((tableBase + (ulong)i * span) << 16) >> 16);
            if (!PageTableEntry.IsPresent(v))
            {
                if (v != 0)
                    r.Problems.Add($"level {level} entry {i} (0x{virt:x}) not present but 0x{v:x}");
                continue;
            }
            present++;
            if (PageTableEntry.ReservedBits(v, level) != 0)
                r.Problems.Add($"level {level} entry {i} (0x{virt:x}) = 0x{v:x} has reserved bits");
            if (PageTableEntry.IsLeaf(v, level))
            {
                r.Leaves++;
                continue;
            }
            int topSlot = level == 4 ? i : slot;
            if ((v & (PageTableEntry.PresentBit | PageTableEntry.WritableBit)) != (PageTableEntry.PresentBit | PageTableEntry.WritableBit)
                || (v & PageTableEntry.NoExecuteBit) != 0)
                r.Problems.Add($"level {level} entry {i} (0x{virt:x}) = 0x{v:x}: table entry must be P RW and not NX");
            if (topSlot < 256 && (v & PageTableEntry.UserBit) == 0)
                r.Problems.Add($"level {level} entry {i} (0x{virt:x}) = 0x{v:x}: user-half table entry without US");
            ulong child = PageTableEntry.TableAddress(v);
            if (!memory.Owns(child))
            {
                r.Problems.Add($"level {level} entry {i} (0x{virt:x}) points to 0x{child:x}, not an allocated frame");
                continue;
            }
            if (!seen.Add(child))
            {
                r.Problems.Add($"table 0x{child:x} reachable twice");
                continue;
            }
            r.Tables++;
            Visit(r, memory, seen, child, level - 1, virt, topSlot, allowEmpty);
        }
        bool sharedKernelPdpt = level == 3 && slot >= 256;
        if (level < 4 && present == 0 && !sharedKernelPdpt && !allowEmpty)
            r.Problems.Add($"empty level-{level} table 0x{table:x} at 0x{tableBase:x} was not freed");
    }
}
