// init=/path arg...: the first user process. Everything after the init= token on the command
// line becomes its arguments (argv[0] is the path as written), its environment is Linux's
// default for init (HOME=/ TERM=linux). When it ends the kernel prints
// "init exited with status N" (the exit code, or 128 + the signal that killed it) and powers
// off through isa-debug-exit, so QEMU's own exit status is 2 * N + 1.
using Kernel.Arch.X64;
using Kernel.Boot;
using Kernel.Diagnostics;
using Kernel.Fs;
using Kernel.Tasks.Elf;

namespace Kernel.Tasks;

public static unsafe class InitProcess
{
    public static void RunAndPowerOff(CommandLine* cmdline)
    {
        cmdline->GetRaw(out byte* raw, out int length);
        StringList argv = default, envp = default;
        int i = 0;
        byte* path = null;
        int pathLength = 0;
        while (i < length)
        {
            while (i < length && raw[i] == ' ') i++;
            int start = i;
            while (i < length && raw[i] != ' ') i++;
            if (i == start) break;
            if (path == null)
            {
                if (i - start > 5 && CommandLine.KeyMatches(raw + start, 4, "init") && raw[start + 4] == '=')
                {
                    path = raw + start + 5;
                    pathLength = i - start - 5;
                    argv.Add(path, pathLength);
                }
                continue;
            }
            argv.Add(raw + start, i - start);
        }
        byte* home = stackalloc byte[6] { (byte)'H', (byte)'O', (byte)'M', (byte)'E', (byte)'=', (byte)'/' };
        byte* term = stackalloc byte[10] { (byte)'T', (byte)'E', (byte)'R', (byte)'M', (byte)'=', (byte)'l', (byte)'i', (byte)'n', (byte)'u', (byte)'x' };
        envp.Add(home, 6);
        envp.Add(term, 10);

        byte* normal = stackalloc byte[PathName.MaxLength];
        int normalLength = path == null ? -1 : PathName.Normalize(null, 0, path, pathLength, normal);
        int pid = normalLength < 0 ? -Syscalls.Errno.ENOENT : ProgramLoader.Spawn(normal, normalLength, &argv, &envp, 0);
        int status;
        if (pid < 0)
        {
            Log.Error($"init: cannot run the program named by init= ({Syscalls.Errno.Name(pid)})");
            status = 127;
        }
        else
        {
            ConsoleForeground.SetGroup(pid);
            status = WaitStatus.ShellStatus(ProcessLifecycle.WaitAndReap(pid));
        }
        Log.Info($"init exited with status {status}");
        Power.ExitQemu((byte)status);
        Cpu.HaltForever();
    }
}
