// reboot: restarts the machine (ACPI reset register, keyboard controller, triple fault).
using Kernel.Arch.X64;
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class RebootCommand
{
    public const string Name = "reboot", Summary = "restart the machine", Usage = "reboot";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        PowerControl.Reboot();
        return CommandStatus.Failed;
    }
}
