// maps PID: a process's memory areas as /proc/PID/maps shows them (the same generator,
// Fs/Proc/ProcText.cs).
using Kernel.Diagnostics;
using Kernel.Fs.Proc;

namespace Kernel.Shell.Commands;

public static unsafe class MapsCommand
{
    public const string Name = "maps", Summary = "a process's memory areas (/proc/PID/maps)", Usage = "maps PID";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 1, 1, ref output, Name, out CommandStatus status)) return status;
        if (!args->TryGetUInt64(1, out ulong pid) || pid > int.MaxValue) return CommandTable.Usage(ref output, Name, "not a process id");
        if (ProcText.Maps((int)pid, ref output)) return CommandStatus.Ok;
        output.Append("maps: ");
        output.AppendDecimal((long)pid);
        output.Append(": no such process\n");
        return CommandStatus.Failed;
    }
}
