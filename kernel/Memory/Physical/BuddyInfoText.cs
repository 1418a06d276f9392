// Platform-neutral shared source (kernel and host tests).
// /proc/buddyinfo exactly as Linux's frag_show_print writes it: for each populated zone
// "Node 0, zone %8s " then "%6lu " per order 0..10, then a newline (so each line ends in a space
// before the newline). The counts are free blocks in the buddy lists; per-CPU lists are not in it.
using Kernel.Diagnostics;

namespace Kernel.Memory.Physical;

public static unsafe class BuddyInfoText
{
    public static void Write(ref TextBuilder text, PhysicalMemoryStats* s)
    {
        for (int z = 0; z < Zones.Count; z++)
        {
            ZoneStats* zs = PhysicalMemoryStats.For(s, (ZoneType)z);
            if (zs->PresentFrames == 0)           // Linux skips unpopulated zones
                continue;
            text.Append("Node 0, zone ");
            text.AppendPadded(Zones.Name((ZoneType)z), 8, false);
            text.Append(' ');
            for (int o = 0; o < PageGeometry.OrderCount; o++)
            {
                text.AppendDecimal(zs->FreeBlocks[o], 6, ' ');
                text.Append(' ');
            }
            text.Append('\n');
        }
    }
}
