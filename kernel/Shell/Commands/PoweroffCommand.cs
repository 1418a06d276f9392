// poweroff: turns the machine off (QEMU's debug exit, ACPI S5, else halts).
using Kernel.Arch.X64;
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class PoweroffCommand
{
    public const string Name = "poweroff", Summary = "turn the machine off", Usage = "poweroff";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        PowerControl.PowerOff();
        return CommandStatus.Failed;
    }
}
