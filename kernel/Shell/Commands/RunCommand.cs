// run: starts a program from the initrd as a process and waits for it (or, with -b, leaves it
// running in the background; ps reports it when it ends). Its output goes straight to the
// console; it reads the console while it runs, and its process group is the console's
// foreground group meanwhile (Ctrl-C sends it SIGINT).
using Kernel.Diagnostics;
using Kernel.Fs;
using Kernel.Tasks;
using Kernel.Tasks.Elf;

namespace Kernel.Shell.Commands;

public static unsafe class RunCommand
{
    public const string Name = "run", Summary = "run a program from the initrd (-b: in the background)", Usage = "run [-b] PATH [args...]";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        bool background = args->Count > 1 && args->Equals(1, "-b");
        int first = background ? 2 : 1;
        if (args->Count <= first) return CommandTable.Usage(ref output, Name, "missing argument");
        ProcessReports.ReapBackground(ref output);

        StringList argv = default, envp = default;
        for (int i = first; i < args->Count; i++)
        {
            byte* word = args->Get(i, out int length);
            argv.Add(word, length);
        }
        byte* path = args->Get(first, out int pathLength);
        byte* normal = stackalloc byte[PathName.MaxLength];
        int normalLength = PathName.Normalize(null, 0, path, pathLength, normal);
        int pid = normalLength < 0 ? -Syscalls.Errno.ENAMETOOLONG : ProgramLoader.Spawn(normal, normalLength, &argv, &envp, 0);
        if (pid < 0)
        {
            output.Append("run: ");
            args->AppendPrintable(ref output, first, 40);
            output.Append(": cannot run it (");
            output.Append(Syscalls.Errno.Name(pid));
            output.Append(")\n");
            return CommandStatus.Failed;
        }
        if (background)
        {
            ProcessTable.Find(pid)->Background = true;
            output.Append("[pid ");
            output.AppendDecimal(pid);
            output.Append("] started in the background\n");
            return CommandStatus.Ok;
        }
        ConsoleForeground.SetGroup(pid);   // Ctrl-C / Ctrl-\ now signal the program's group
        int status = ProcessLifecycle.WaitAndReap(pid);
        ConsoleForeground.SetGroup(0);
        ProcessReports.AppendEnd(ref output, pid, status);
        return WaitStatus.ShellStatus(status) == 0 ? CommandStatus.Ok : CommandStatus.Failed;
    }
}
