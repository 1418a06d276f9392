// meminfo: the page allocator's counters as /proc/meminfo shows them (Memory/Physical/MemInfoText).
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Memory.Physical;

namespace Kernel.Shell.Commands;

public static unsafe class MeminfoCommand
{
    public const string Name = "meminfo", Summary = "memory totals of the page allocator (kB)", Usage = "meminfo";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        PhysicalMemoryStats stats;
        PhysicalPages.Buddy->GetStats(&stats);
        MemInfoText.Write(ref output, &stats);
        return CommandStatus.Ok;
    }
}
