// acpi: the firmware's ACPI tables as the kernel parsed them (MADT, FADT, _S5).
using Kernel.Arch.X64;
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class AcpiCommand
{
    public const string Name = "acpi", Summary = "ACPI tables: MADT, FADT, sleep values", Usage = "acpi";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        AcpiTables.AppendText(ref output);
        return AcpiTables.HasRoot ? CommandStatus.Ok : CommandStatus.Failed;
    }
}
