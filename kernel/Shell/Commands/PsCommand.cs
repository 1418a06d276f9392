// ps: every task (pid 0 is the kernel task: the shell itself), its state, its user pages and
// its name; background processes that have ended are reported and reaped first.
using Kernel.Diagnostics;
using Kernel.Tasks;

namespace Kernel.Shell.Commands;

public static unsafe class PsCommand
{
    public const string Name = "ps", Summary = "list processes", Usage = "ps";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        ProcessReports.ReapBackground(ref output);
        output.Append("  PID  PPID STATE     PAGES NAME\n");
        for (int i = 0; i < ProcessTable.MaxTasks; i++)
        {
            Process* p = ProcessTable.Slot(i);
            if (p == null) continue;
            output.AppendDecimal((long)p->Pid, 5, ' ');
            output.Append(' ');
            output.AppendDecimal((long)p->ParentPid, 5, ' ');
            output.Append(' ');
            string state = p->State == TaskState.Running ? "running" : p->State == TaskState.Runnable ? "runnable" : p->State == TaskState.Zombie ? "zombie" : "free";
            output.Append(state);
            for (int k = state.Length; k < 9; k++) output.Append(' ');
            output.AppendDecimal((long)p->Vm.TotalPages, 6, ' ');
            output.Append(' ');
            if (p->IsKernelTask) output.Append("[kernel]");
            else output.AppendBytes(p->Name, p->NameLength);
            if (p->Background) output.Append(" &");
            output.Append('\n');
        }
        return CommandStatus.Ok;
    }
}
