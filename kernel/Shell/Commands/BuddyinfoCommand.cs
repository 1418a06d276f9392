// buddyinfo: free blocks per order and zone, as /proc/buddyinfo (Memory/Physical/BuddyInfoText).
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Memory.Physical;

namespace Kernel.Shell.Commands;

public static unsafe class BuddyinfoCommand
{
    public const string Name = "buddyinfo", Summary = "free blocks of each order in each zone", Usage = "buddyinfo";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        PhysicalMemoryStats stats;
        PhysicalPages.Buddy->GetStats(&stats);
        BuddyInfoText.Write(ref output, &stats);
        return CommandStatus.Ok;
    }
}
