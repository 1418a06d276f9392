// Helpers for suites that run user programs from the initrd: spawn by path with literal
// arguments, wait, reap, and give the wait status back.
using Kernel.Diagnostics.Testing;
using Kernel.Fs;
using Kernel.Tasks;
using Kernel.Tasks.Elf;

namespace Kernel.Tests.InGuest;

internal static unsafe class UserPrograms
{
    public static void RequireInitrd(string path)
    {
        if (!Initrd.Present) KTest.Skip("no initrd module");
        if (Find(path) < 0) KTest.Skip("initrd lacks the program");
    }

    public static int Find(string path)
    {
        byte* p = stackalloc byte[path.Length];
        int n = Copy(path, p);
        return Initrd.Index->Find(p, n);
    }

    /// <summary>Starts /path (given without the leading slash) with one optional argument; the pid or -errno.</summary>
    public static int Spawn(string path, string argument = null)
    {
        byte* p = stackalloc byte[path.Length + 1];
        byte* a = stackalloc byte[argument == null ? 1 : argument.Length + 1];
        int n = Copy(path, p);
        StringList argv = default, envp = default;
        argv.Add(p, n);
        if (argument != null) argv.Add(a, Copy(argument, a));
        return ProgramLoader.Spawn(p, n, &argv, &envp, 0);
    }

    public static int Run(string path, string argument = null)
    {
        int pid = Spawn(path, argument);
        KTest.Assert(pid > 0, "spawn failed");
        return ProcessLifecycle.WaitAndReap(pid);
    }

    /// <summary>Runs a program with the argument "quiet" (its output closed, its exit status
    /// the failure count) and kill reports off: the wait status.</summary>
    public static int RunQuiet(string path)
    {
        RequireInitrd(path);
        ProcessLifecycle.QuietKills = true;
        int status = Run(path, "quiet");
        ProcessLifecycle.QuietKills = false;
        return status;
    }

    static int Copy(string s, byte* to)
    {
        for (int i = 0; i < s.Length; i++) to[i] = (byte)s[i];
        return s.Length;
    }
}
