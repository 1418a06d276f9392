using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Harness;

/// <summary>One user program run as init: its exit status (or 128 + the signal that killed it)
/// and lines its serial output must hold.</summary>
public sealed record UserProgram(string Name, string Cmdline, int Status, string[] MustMatch);

/// <summary>
/// User programs from the initrd (user/*.c, static musl) booted with init=/bin/NAME. The
/// kernel prints "init exited with status N" and leaves QEMU through isa-debug-exit with N, so
/// QEMU's status is (2N + 1) mod 256. THE TABLE BELOW is the one place to add a program.
/// Patterns are .NET regexes over the cleaned serial log, ^ and $ at line ends.
/// </summary>
public static class UserPrograms
{
    private const int Sigill = 4, Sigtrap = 5, Sigfpe = 8, Sigsegv = 11;

    /// <summary>The one-line report the kernel prints when a fault kills a process.</summary>
    private static string Killed(string signal, string exception) =>
        $@"^(\[[ 0-9.]+\] )?pid \d+ \(fault\): {signal} \({Regex.Escape(exception)} error \d+\) at address [0-9a-f]{{16}}, RIP [0-9a-f]{{16}}";

    private static UserProgram Fault(string kind, int signal, string name, string exception, string? extra = null)
    {
        var patterns = new List<string> { $"^fault: {Regex.Escape(kind)}$", Killed(name, exception) };
        if (extra != null) patterns.Add(extra);
        return new UserProgram("user-fault-" + kind, "init=/bin/fault " + kind, 128 + signal, patterns.ToArray());
    }

    public static readonly UserProgram[] Table =
    {
        new UserProgram("user-hello", "init=/bin/hello one two", 0,
            new[] { @"^Hello, world from ring 3!$", @"^argv\[0\] = /bin/hello$", @"^argv\[2\] = two$" }),
        new UserProgram("user-syscall-errors", "init=/bin/syscall_errors", 0,
            new[] { @"^syscall_errors: \d+ checks, 0 failed$", @"^ok \d+ - write from kernel text -> EFAULT$",
                    @"^ok \d+ - syscall 1000 -> ENOSYS$", @"^ok \d+ - close\(99\) -> EBADF$", @"^ok \d+ - lseek whence 9 -> EINVAL$" }),
        new UserProgram("user-files", "init=/bin/files", 0, new[] { @"^files: \d+ checks, 0 failed$" }),
        new UserProgram("user-clock", "init=/bin/clock", 0, new[] { @"^clock: \d+ checks, 0 failed$" }),
        new UserProgram("user-regs", "init=/bin/regs", 0,
            new[] { @"^regs: 0 failures$", @"^ok - getppid: only rax, rcx and r11 changed", @"^ok - write: only rax, rcx and r11 changed" }),
        new UserProgram("user-malloc", "init=/bin/malloc", 0, new[] { @"^malloc: \d+ checks, 0 failed$" }),
        new UserProgram("user-mm", "init=/bin/mm", 0, new[] { @"^mm: \d+ checks, 0 failed$" }),
        new UserProgram("user-signals", "init=/bin/signals", 0, new[] { @"^signals: \d+ checks, 0 failed$" }),
        new UserProgram("user-altstack", "init=/bin/altstack", 0, new[] { @"^altstack: \d+ checks, 0 failed$" }),
        new UserProgram("user-pgrp", "init=/bin/pgrp", 0, new[] { @"^pgrp: \d+ checks, 0 failed$" }),
        new UserProgram("user-mm-errors", "init=/bin/mm_errors", 0, new[] { @"^mm_errors: \d+ checks, 0 failed$" }),
        new UserProgram("user-busybox-echo", "init=/bin/busybox echo hello from busybox", 0, new[] { @"^hello from busybox$" }),
        new UserProgram("user-busybox-cat-proc", "init=/bin/cat /proc/meminfo", 0, new[] { @"^MemTotal: +\d+ kB$", @"^MemFree: +\d+ kB$" }),
        new UserProgram("user-busybox-ls", "init=/bin/ls /bin", 0, new[] { @"\bbusybox\b", @"\bmalloc\b" }),
        new UserProgram("user-busybox-sh", "init=/bin/sh /etc/sh-test.sh", 0,
            new[] { @"^sh: builtin echo$", @"^greeting\.txt +sh-spin\.sh +sh-test\.sh +sh-trap\.sh$", @"^MemTotal: +\d+ kB$", @"^sh: done 0$" }),
        new UserProgram("user-busybox-sh-trap", "init=/bin/sh /etc/sh-trap.sh", 0,
            new[] { @"^sh: caught USR1$", @"^sh: after the trap$" }),
        new UserProgram("user-procmaps", "init=/bin/procmaps", 0, new[] { @"^procmaps: \d+ checks, 0 failed$" }),
        new UserProgram("user-proclist", "init=/bin/proclist", 0, new[] { @"^proclist: \d+ checks, 0 failed$" }),
        new UserProgram("user-busybox-ls-proc", "init=/bin/ls /proc /proc/self", 0,
            new[] { @"(^|\s)meminfo(\s|$)", @"(^|\s)1(\s|$)", @"(^|\s)self(\s|$)", @"^/proc/self:$", @"(^|\s)maps(\s|$)" }),
        new UserProgram("user-busybox-ls-l-proc", "init=/bin/ls -l /proc", 0,
            new[] { @"^dr-xr-xr-x +2 0 +0 +0 .* 1$", @"^-r--r--r-- +1 0 +0 +0 .* meminfo$", @"^dr-xr-xr-x +2 0 +0 +0 .* self$" }),
        new UserProgram("user-oom", "init=/bin/hog", 128 + 9, new[] { @"Out of memory: Killed process 1 \(hog\) total-vm:\d+kB" }),
        Fault("null", Sigsegv, "SIGSEGV", "#PF", @"at address 0000000000000000,"),
        Fault("write-text", Sigsegv, "SIGSEGV", "#PF"),
        Fault("exec-stack", Sigsegv, "SIGSEGV", "#PF"),
        Fault("divide", Sigfpe, "SIGFPE", "#DE"),
        Fault("ud2", Sigill, "SIGILL", "#UD"),
        Fault("read-kernel", Sigsegv, "SIGSEGV", "#PF", @"at address ffffffff80100000,"),
        Fault("read-directmap", Sigsegv, "SIGSEGV", "#PF", @"at address ffff888000100000,"),
        Fault("jump-kernel", Sigsegv, "SIGSEGV", "#PF", @"RIP ffffffff80100000"),
        Fault("noncanonical", Sigsegv, "SIGSEGV", "#GP"),
        Fault("int3", Sigtrap, "SIGTRAP", "#BP"),
        Fault("privileged", Sigsegv, "SIGSEGV", "#GP"),
        Fault("stack-overflow", Sigsegv, "SIGSEGV", "#PF"),
        Fault("use-after-munmap", Sigsegv, "SIGSEGV", "#PF"),
        Fault("write-readonly-mapping", Sigsegv, "SIGSEGV", "#PF"),
        new UserProgram("user-memory", "init=/bin/memory", 0, new[] { @"^memory: \d+ checks, 0 failed$" }),
    };

    /// <summary>QEMU's exit status for a kernel that wrote n to isa-debug-exit.</summary>
    public static int QemuStatusFor(int n) => (2 * n + 1) & 0xff;

    public static List<BootSpec> Specs(TimeSpan? timeout)
    {
        var specs = new List<BootSpec>();
        foreach (UserProgram p in Table)
            specs.Add(new BootSpec(p.Name, p.Cmdline, Firmware.Bios, Medium.Cd, "256M", timeout ?? BootSpec.DefaultTimeout(Firmware.Bios)));
        return specs;
    }

    public static UserProgram? Find(string cmdline)
    {
        foreach (UserProgram p in Table)
            if (p.Cmdline == cmdline) return p;
        return null;
    }

    /// <summary>
    /// Passes when QEMU exited by itself with the status for N, the kernel said
    /// "init exited with status N", every pattern matched, no line says "not ok", and the
    /// kernel itself neither panicked nor printed an exception report (a user fault is a
    /// one-line report, not an EXCEPTION block).
    /// </summary>
    public static BootVerdict Judge(BootSpec spec, UserProgram program, QemuRun run)
    {
        var reasons = new List<string>();
        string? abnormal = run.Abnormal();
        if (abnormal != null)
            reasons.Add(abnormal);
        else if (run.ExitCode != QemuStatusFor(program.Status))
            reasons.Add($"expected QEMU exit status {QemuStatusFor(program.Status)} (init status {program.Status}), got {run.ExitCode}{run.StdErrHint()}");

        string text = KtapParser.CleanSerial(run.Serial);
        var options = RegexOptions.Multiline | RegexOptions.CultureInvariant;
        if (!Regex.IsMatch(text, $@"init exited with status {program.Status}$", options))
            reasons.Add($"serial lacks 'init exited with status {program.Status}'");
        foreach (string pattern in program.MustMatch)
            if (!Regex.IsMatch(text, pattern, options))
                reasons.Add($"serial lacks /{pattern}/");
        Match notOk = Regex.Match(text, @"^not ok .*$", options);
        if (notOk.Success)
            reasons.Add("program reported: " + notOk.Value.Trim());
        string? panic = BootMatrix.FindPanic(run.Serial);
        if (panic != null)
            reasons.Add("kernel panic or exception report: " + panic);

        return new BootVerdict(spec.Name, run.Duration, reasons, $"status {program.Status}, {program.MustMatch.Length} patterns", null, run.LogPath, run.Serial);
    }
}
