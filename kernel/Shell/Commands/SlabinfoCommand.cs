// slabinfo: the slab caches, /proc/slabinfo style (Memory/Slab/SlabInfoText): objects in use and
// in slabs, object and slot sizes, slabs and the memory they hold, debug options.
using Kernel.Diagnostics;
using Kernel.Memory.Slab;

namespace Kernel.Shell.Commands;

public static unsafe class SlabinfoCommand
{
    public const string Name = "slabinfo", Summary = "slab caches: objects, sizes, pages", Usage = "slabinfo";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        SlabInfoText.Write(ref output);
        return Kmem.Current != null && Kmem.Current->IsInitialized ? CommandStatus.Ok : CommandStatus.Failed;
    }
}
