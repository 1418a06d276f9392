// slabinfo: the slab caches (once the slab allocator exists in this kernel).
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class SlabinfoCommand
{
    public const string Name = "slabinfo", Summary = "slab caches: objects, sizes, pages", Usage = "slabinfo";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        output.Append("slabinfo: slab allocator not available\n");
        return CommandStatus.Failed;
    }
}
