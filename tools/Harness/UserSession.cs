using System;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Harness;

/// <summary>
/// User programs from the shell: `run` in the foreground (output, exit status, a fault that
/// kills only the program), console input through a program's read(), `run -b` in the
/// background with `ps` and `kill`. One BIOS session; one verdict per check.
/// </summary>
public static class UserSession
{
    static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    static string? Contains(string? output, params string[] needles)
    {
        if (output == null) return "no prompt came back (timeout)";
        foreach (string n in needles)
            if (!output.Contains(n, StringComparison.Ordinal)) return $"output lacks '{n}': {output.Replace("\n", "\\n")}";
        return null;
    }

    public static readonly ShellCheck[] Checks =
    {
        new("run_hello", s => Contains(s.Run("run /bin/hello one two", Step), "Hello, world from ring 3!", "argv[2] = two", "] exited with status 0")),
        new("run_exit_status", s => Contains(s.Run("run /bin/exit_with 7", Step), "] exited with status 7")),
        new("run_fault_kills_only_the_program", s => Contains(s.Run("run /bin/fault ud2", Step), "(fault): SIGILL (#UD", "] killed by SIGILL (status 132)")),
        new("shell_alive_after_fault", s => s.Sync() ? null : "the shell did not answer after a faulting program"),
        new("run_missing_program", s => Contains(s.Run("run /bin/nope", Step), "run: /bin/nope: cannot run it (ENOENT)")),
        new("run_not_a_program", s => Contains(s.Run("run /etc/greeting.txt", Step), "cannot run it (EACCES)")),
        new("run_usage", s => Contains(s.Run("run", Step), "run: missing argument", "usage: run [-b] PATH [args...]")),
        new("program_reads_the_console", ReadsConsole),
        new("ctrl_c_interrupts_a_reader", CtrlC),
        new("ctrl_c_interrupts_a_busy_loop", s => SignalKey(s, "run /bin/spin announce", 3, "] killed by SIGINT (status 130)")),
        new("ctrl_backslash_quits_a_busy_loop", s => SignalKey(s, "run /bin/spin announce", 0x1c, "] killed by SIGQUIT (status 131)")),
        new("ctrl_c_interrupts_busybox_sh_and_its_child", s => SignalKey(s, "run /bin/sh /etc/sh-spin.sh", 3, "status 130)")),
        new("background_ps_kill", BackgroundPsKill),
        new("kill_bad_args", s => Contains(s.Run("kill 0", Step) + s.Run("kill 9999", Step) + s.Run("kill x", Step),
            "kill: 0: the kernel task cannot be killed", "kill: 9999: no such process", "kill: not a process id")),
    };

    static string? ReadsConsole(ShellSession s)
    {
        s.SendRaw(Encoding.ASCII.GetBytes("run /bin/readline\r"));
        if (s.Expect(new Regex("readline: ready\n"), Step) == null) return "readline did not start";
        s.SendRaw(Encoding.ASCII.GetBytes("hello there\r"));
        if (s.Expect(new Regex("read 11: hello there\n"), Step) == null) return "the line did not come back";
        s.SendRaw(Encoding.ASCII.GetBytes("second\r"));
        if (s.Expect(new Regex("read 6: second\n"), Step) == null) return "the second line did not come back";
        s.SendRaw(new byte[] { 4 });
        string? end = s.Expect(new Regex(Regex.Escape(Terminal.Prompt) + "$"), Step);
        return Contains(end, "readline: end of file", "] exited with status 0");
    }

    static string? CtrlC(ShellSession s)
    {
        s.SendRaw(Encoding.ASCII.GetBytes("run /bin/readline\r"));
        if (s.Expect(new Regex("readline: ready\n"), Step) == null) return "readline did not start";
        s.SendRaw(Encoding.ASCII.GetBytes("half a line"));
        s.SendRaw(new byte[] { 3 });
        string? end = s.Expect(new Regex(Regex.Escape(Terminal.Prompt) + "$"), Step);
        return Contains(end, "^C", "] killed by SIGINT (status 130)");
    }

    /// <summary>A program busy in ring 3 (not reading the console) gets the signal of a key
    /// typed on serial: its process group is the console's foreground group.</summary>
    static string? SignalKey(ShellSession s, string command, byte key, string expected)
    {
        s.SendRaw(Encoding.ASCII.GetBytes(command + "\r"));
        if (s.Expect(new Regex("spin: looping\n"), Step) == null) return "the busy loop did not start";
        s.SendRaw(new byte[] { key });
        string? end = s.Expect(new Regex(Regex.Escape(Terminal.Prompt) + "$"), Step);
        if (end != null && end.Contains("not reached", StringComparison.Ordinal)) return "the shell went on past the interrupted command: " + end;
        return Contains(end, expected);
    }

    static string? BackgroundPsKill(ShellSession s)
    {
        string? started = s.Run("run -b /bin/spin", Step);
        Match m = Regex.Match(started ?? "", @"\[pid (\d+)\] started in the background");
        if (!m.Success) return "run -b did not start it: " + started;
        string pid = m.Groups[1].Value;
        string? ps = s.Run("ps", Step);
        if (!Regex.IsMatch(ps ?? "", $@"^ +{pid} +0 (running|runnable) +\d+ spin &$", RegexOptions.Multiline)) return "ps lacks the spinner: " + ps;
        if (!Regex.IsMatch(ps ?? "", @"^ +0 +0 running +0 \[kernel\]$", RegexOptions.Multiline)) return "ps lacks the kernel task: " + ps;
        string? kill = s.Run("kill " + pid, Step);
        if (kill != "" && kill != null) return "kill printed: " + kill;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Step)
        {
            string? after = s.Run("ps", Step);
            if (after != null && after.Contains($"[pid {pid}] killed by SIGTERM (status 143)")) return null;
            Thread.Sleep(200);
        }
        return "the killed spinner was never reported";
    }

    public static void Run(Options options, ImageBuilder images, QemuLauncher launcher, Summary summary, CancellationToken interrupt)
    {
        var spec = new BootSpec("user-shell", "", Firmware.Bios, Medium.Cd, "256M", BootSpec.BiosTimeout);
        if (!options.Selected(spec.Name) || interrupt.IsCancellationRequested) return;
        var verdicts = new System.Collections.Generic.List<BootVerdict>();
        ShellChecks.RunSession(spec, options, images, launcher, verdicts, interrupt, true, null, Checks);
        foreach (BootVerdict v in verdicts) summary.Add(v);
    }
}
