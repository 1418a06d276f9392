// How run, ps and kill describe the end of a process: "[pid 3] exited with status 0",
// "[pid 4] killed by SIGSEGV (status 139)".
using Kernel.Diagnostics;
using Kernel.Tasks;

namespace Kernel.Shell.Commands;

public static unsafe class ProcessReports
{
    public static void AppendEnd(ref TextBuilder output, int pid, int status)
    {
        output.Append("[pid ");
        output.AppendDecimal(pid);
        if (WaitStatus.IsExited(status))
        {
            output.Append("] exited with status ");
            output.AppendDecimal(WaitStatus.ExitCode(status));
        }
        else
        {
            output.Append("] killed by ");
            output.Append(Signals.Name(WaitStatus.Signal(status)));
            output.Append(" (status ");
            output.AppendDecimal(WaitStatus.ShellStatus(status));
            output.Append(')');
        }
        output.Append('\n');
    }

    /// <summary>Reports (and frees) every background process that has ended.</summary>
    public static void ReapBackground(ref TextBuilder output)
    {
        while (ProcessLifecycle.ReapBackground(out int pid, out int status)) AppendEnd(ref output, pid, status);
    }
}
