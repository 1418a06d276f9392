// vtop ADDR: walks the kernel's page tables for a virtual address and prints each level's
// entry, its flags, and the physical address it ends at (Arch/X64/Paging/PageTables.Walk).
using Kernel.Arch.X64;
using Kernel.Arch.X64.Paging;
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class VtopCommand
{
    public const string Name = "vtop", Summary = "page-table walk of a virtual address", Usage = "vtop ADDRESS   (hex with 0x, or decimal; e.g. vtop 0xffffffff80100000)";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 1, 1, ref output, Name, out CommandStatus status)) return status;
        if (!args->TryGetUInt64(1, out ulong address))
        {
            output.Append(Name);
            output.Append(": not an address: ");
            args->AppendPrintable(ref output, 1, 40);
            output.Append('\n');
            return CommandStatus.BadUsage;
        }
        PageTables.Walk(KernelAddressSpace.Root, address, ref output);
        return PageTables.IsCanonical(address) ? CommandStatus.Ok : CommandStatus.Failed;
    }
}
