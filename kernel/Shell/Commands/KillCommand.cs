// kill: sends a signal (default SIGTERM) to a process, as kill(2) does: a handler runs, an
// ignored signal is dropped, otherwise the process ends the next time it leaves the kernel.
using Kernel.Diagnostics;
using Kernel.Tasks;

namespace Kernel.Shell.Commands;

public static unsafe class KillCommand
{
    public const string Name = "kill", Summary = "end a process with a signal (default SIGTERM)", Usage = "kill PID [SIGNAL]";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 1, 2, ref output, Name, out CommandStatus status)) return status;
        if (!args->TryGetUInt64(1, out ulong pid) || pid > int.MaxValue) return CommandTable.Usage(ref output, Name, "not a process id");
        ulong signal = Signals.SIGTERM;
        if (args->Count > 2 && (!args->TryGetUInt64(2, out signal) || signal == 0 || signal > 64))
            return CommandTable.Usage(ref output, Name, "not a signal number (1-64)");
        int result = ProcessLifecycle.Kill((int)pid, (int)signal);
        if (result == 0) return CommandStatus.Ok;
        output.Append("kill: ");
        output.AppendDecimal((long)pid);
        output.Append(result == -1 ? ": the kernel task cannot be killed\n" : ": no such process\n");
        return CommandStatus.Failed;
    }
}
