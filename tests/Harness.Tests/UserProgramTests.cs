using System;
using Harness;
using Xunit;

namespace Harness.Tests;

public class UserProgramTests
{
    private static QemuRun Exited(int status, string serial) =>
        new QemuRun(status, false, false, TimeSpan.FromSeconds(1), serial, "", "x.log", null);

    private static UserProgram Program(string name) => Array.Find(UserPrograms.Table, p => p.Name == name)!;

    private static BootSpec Spec(UserProgram p) => new BootSpec(p.Name, p.Cmdline, Firmware.Bios, Medium.Cd, "256M", TimeSpan.FromSeconds(60));

    private const string HelloSerial =
        "Hello, world from ring 3!\nargv[0] = /bin/hello\nargv[1] = one\nargv[2] = two\n[    0.03] init exited with status 0\n";

    [Theory]
    [InlineData(0, 1)]
    [InlineData(139, 23)]
    [InlineData(127, 255)]
    [InlineData(128, 1)]
    public void QemuStatusIsTwiceNPlusOneModulo256(int n, int status) => Assert.Equal(status, UserPrograms.QemuStatusFor(n));

    [Fact]
    public void HelloPassesWithItsOutputAndStatus()
    {
        UserProgram p = Program("user-hello");
        BootVerdict v = UserPrograms.Judge(Spec(p), p, Exited(1, HelloSerial));
        Assert.True(v.Passed, string.Join("; ", v.Reasons));
    }

    [Fact]
    public void WrongQemuStatusFails()
    {
        UserProgram p = Program("user-hello");
        BootVerdict v = UserPrograms.Judge(Spec(p), p, Exited(3, HelloSerial));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains("expected QEMU exit status 1"));
    }

    [Fact]
    public void MissingInitLineFails()
    {
        UserProgram p = Program("user-hello");
        BootVerdict v = UserPrograms.Judge(Spec(p), p, Exited(1, HelloSerial.Replace("init exited with status 0", "init exited with status 10")));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains("init exited with status 0"));
    }

    [Fact]
    public void NotOkLineFailsEvenWithStatusZero()
    {
        UserProgram p = Program("user-files");
        string serial = "ok 1 - a\nnot ok 2 - b (line 9)\nfiles: 2 checks, 0 failed\ninit exited with status 0\n";
        BootVerdict v = UserPrograms.Judge(Spec(p), p, Exited(1, serial));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains("not ok 2 - b"));
    }

    [Fact]
    public void FaultNeedsTheKillReport()
    {
        UserProgram p = Program("user-fault-null");
        string good = "fault: null\n[    0.05] pid 1 (fault): SIGSEGV (#PF error 4) at address 0000000000000000, RIP 00000000004011b2, RSP 00007fffffffee00\n[    0.06] init exited with status 139\n";
        Assert.True(UserPrograms.Judge(Spec(p), p, Exited(23, good)).Passed);
        string noReport = "fault: null\n[    0.06] init exited with status 139\n";
        Assert.False(UserPrograms.Judge(Spec(p), p, Exited(23, noReport)).Passed);
    }

    [Fact]
    public void KernelExceptionReportFailsAUserRun()
    {
        UserProgram p = Program("user-hello");
        BootVerdict v = UserPrograms.Judge(Spec(p), p, Exited(1, HelloSerial + "EXCEPTION #PF Page Fault (vector 14) error 0 in kernel mode\n"));
        Assert.False(v.Passed);
    }

    [Fact]
    public void EveryProgramHasAUniqueNameAndCommandLine()
    {
        var names = new System.Collections.Generic.HashSet<string>();
        var lines = new System.Collections.Generic.HashSet<string>();
        foreach (UserProgram p in UserPrograms.Table)
        {
            Assert.True(names.Add(p.Name), p.Name);
            Assert.True(lines.Add(p.Cmdline), p.Cmdline);
            Assert.StartsWith("init=/bin/", p.Cmdline);
        }
    }
}
