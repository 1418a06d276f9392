using System;
using System.Linq;
using Harness;
using Xunit;

namespace Harness.Tests;

public class VerdictTests
{
    private const string GoodKtap =
        "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: buddy\n    1..2\n    ok 1 a\n    ok 2 b\nok 1 buddy\n";

    private static readonly BootSpec Bios = new BootSpec("bios-cd-256M", "test=all", Firmware.Bios, Medium.Cd, "256M", TimeSpan.FromSeconds(60));

    private static QemuRun Exited(int status, string serial, string stderr = "") =>
        new QemuRun(status, false, false, TimeSpan.FromSeconds(1), serial, stderr, "x.log", null);

    private static QemuRun TimedOut(string serial) =>
        new QemuRun(null, true, false, TimeSpan.FromSeconds(60), serial, "", "x.log", null);

    [Fact]
    public void MatrixBootPassesOnCleanExitAndCompleteKtap()
    {
        BootVerdict v = BootMatrix.Judge(Bios, Exited(1, "[ 0.1] booting\n" + GoodKtap));
        Assert.True(v.Passed, string.Join("; ", v.Reasons));
        Assert.Equal(2, v.Ktap!.Passed);
    }

    [Theory]
    [InlineData(0, "triple fault")]
    [InlineData(3, "test failure")]
    [InlineData(7, "kernel panic")]
    [InlineData(5, "unknown kernel exit value 2")]
    public void MatrixBootFailsOnAnyOtherExitStatus(int status, string expected)
    {
        BootVerdict v = BootMatrix.Judge(Bios, Exited(status, GoodKtap));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains(expected));
    }

    [Fact]
    public void MatrixBootFailsOnTimeoutEvenWithCompleteKtap()
    {
        BootVerdict v = BootMatrix.Judge(Bios, TimedOut(GoodKtap));
        Assert.False(v.Passed);
        Assert.StartsWith("TIMEOUT", v.Reasons[0]);
    }

    [Fact]
    public void MatrixBootFailsOnPanicAfterTheTests()
    {
        BootVerdict v = BootMatrix.Judge(Bios, Exited(1, GoodKtap + "KERNEL PANIC: heap corrupted\n"));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains("KERNEL PANIC"));
    }

    [Fact]
    public void QemuRefusingToStartIsNotSuccess()
    {
        // QEMU's own errors also exit with status 1, the kernel's "success"; no KTAP gives it away.
        BootVerdict v = BootMatrix.Judge(Bios, Exited(1, "", "qemu-system-x86_64: -m 99Q: bad size"));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains("no serial output"));
    }

    [Fact]
    public void MatrixBootWithNoCasesFails()
    {
        BootVerdict v = BootMatrix.Judge(Bios, Exited(1, "KTAP version 1\n1..0\n"));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains("no test cases"));
    }

    [Fact]
    public void MatrixTableHasTheFourBootPathsAt256MAndTheMemorySizes()
    {
        var names = BootMatrix.Specs(null, null).Select(s => s.Name).ToArray();
        Assert.Equal(new[] { "bios-cd-32M", "bios-cd-256M", "bios-usb-256M", "uefi-cd-256M", "uefi-usb-256M",
            "bios-cd-3584M", "uefi-cd-3584M", "bios-cd-8G", "uefi-cd-8G", "bios-cd-256M-noapic",
            "bios-cd-256M-slab_debug", "bios-cd-8G-slab_debug", "bios-cd-256M-soak" }, names);
        Assert.Contains("noapic", BootMatrix.Specs(null, null).Single(s => s.Name == "bios-cd-256M-noapic").Cmdline);
        Assert.All(BootMatrix.Specs(null, null).Where(s => s.Firmware == Firmware.Uefi),
            s => Assert.Equal(TimeSpan.FromSeconds(120), s.Timeout));
    }

    [Fact]
    public void SlabDebugBootsRunEverySuiteWithFzpu()
    {
        var debug = BootMatrix.Specs(null, null).Where(s => s.Name.EndsWith("-slab_debug")).ToArray();
        Assert.Equal(2, debug.Length);
        Assert.All(debug, s => Assert.Equal("test=all slab_debug=FZPU", s.Cmdline));
        // --mem replaces the option boot's size too, once.
        var one = BootMatrix.Specs(new[] { "512M" }, null).Where(s => s.Name.EndsWith("-slab_debug")).ToArray();
        Assert.Single(one);
        Assert.Equal("bios-cd-512M-slab_debug", one[0].Name);
    }

    // Reports as the kernel prints them (abridged: the register lines are not checked).
    [Theory]
    [InlineData("crash=divide", "EXCEPTION #DE Divide Error (vector 0) error 0 in kernel mode\nRIP: 0008:ffffffff8011a105 crash_divide+0x5", "CrashTriggers.Run")]
    [InlineData("crash=null", "EXCEPTION #PF Page Fault (vector 14) error 0 in kernel mode\nBUG: kernel NULL pointer dereference, address: 0000000000000000\nRIP: 0008:ffffffff8011d590 Kernel.Diagnostics.CrashTriggers.NullDereference+0x60", "CrashTriggers.NullDereference")]
    [InlineData("crash=ud", "EXCEPTION #UD Invalid Opcode (vector 6) error 0 in kernel mode", "CrashTriggers.Run")]
    [InlineData("crash=gp", "EXCEPTION #GP General Protection Fault (vector 13) error 0 in kernel mode", "CrashTriggers.Run")]
    [InlineData("crash=stack", "EXCEPTION #DF Double Fault (vector 8) error 0 in kernel mode\nBUG: kernel stack overflow: guard page ffffc9000000e000 hit (vmalloc stack ffffc9000000f000-ffffc9000001f000)", "CrashTriggers.StackOverflow")]
    public void ExpectedCrashPassesWithItsReport(string cmdline, string header, string method)
    {
        ExpectedFailure f = ExpectedFailures.Find(cmdline)!;
        string serial = "[    0.01] crash test\n" + header + "\nRSP: 0010:ffffffff80119d10 RFLAGS: 0000000000200086\n" +
            "Backtrace:\n  [<ffffffff80123456>] Kernel.Diagnostics." + method + "+0x1c\n  [<ffffffff80100000>] Kernel.Diagnostics.CrashTriggers.Run+0x40\n";
        BootVerdict v = ExpectedFailures.Judge(Spec(f), f, Exited(7, serial));
        Assert.True(v.Passed, string.Join("; ", v.Reasons));
    }

    [Fact]
    public void ExpectedCrashFailsWithoutTheNamedMethod()
    {
        ExpectedFailure f = ExpectedFailures.Find("crash=null")!;
        string serial = "EXCEPTION #PF Page Fault (vector 14) error 0 in kernel mode\nBUG: kernel NULL pointer dereference, address: 0000000000000000\n" +
            "RIP: 0008:ffffffff8011d590 ?\nBacktrace:\n  [<ffffffff8011d590>] ?\n";
        BootVerdict v = ExpectedFailures.Judge(Spec(f), f, Exited(7, serial));
        Assert.False(v.Passed);
    }

    [Fact]
    public void ExpectedCrashFailsOnWrongStatus()
    {
        ExpectedFailure f = ExpectedFailures.Find("crash=divide")!;
        string serial = "EXCEPTION #DE Divide Error\nBacktrace:\n  [<ffffffff80123456>] Kernel.A.B+0x1\n";
        Assert.False(ExpectedFailures.Judge(Spec(f), f, Exited(0, serial)).Passed);
        Assert.False(ExpectedFailures.Judge(Spec(f), f, Exited(1, serial)).Passed);
        Assert.False(ExpectedFailures.Judge(Spec(f), f, TimedOut(serial)).Passed);
    }

    [Fact]
    public void ExpectedCrashFailsOnTheWrongException()
    {
        ExpectedFailure f = ExpectedFailures.Find("crash=divide")!;
        string serial = "EXCEPTION #GP General Protection\nBacktrace:\n  [<ffffffff80123456>] Kernel.A.B+0x1\n";
        BootVerdict v = ExpectedFailures.Judge(Spec(f), f, Exited(7, serial));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains("#DE"));
    }

    [Fact]
    public void NullCrashNeedsNullAddressAndManagedFrame()
    {
        ExpectedFailure f = ExpectedFailures.Find("crash=null")!;
        string wrongAddress = "EXCEPTION #PF Page Fault cr2=0000000000001000\nBacktrace:\n  [<ffffffff80123456>] Kernel.A.B+0x1\n";
        string noFrame = "EXCEPTION #PF Page Fault cr2=0000000000000000\nBacktrace:\n  [<ffffffff80123456>] ???\n";
        Assert.False(ExpectedFailures.Judge(Spec(f), f, Exited(7, wrongAddress)).Passed);
        Assert.False(ExpectedFailures.Judge(Spec(f), f, Exited(7, noFrame)).Passed);
    }

    [Fact]
    public void SecondExceptionReportFails()
    {
        ExpectedFailure f = ExpectedFailures.Find("crash=ud")!;
        string serial = "EXCEPTION #UD Invalid Opcode\nBacktrace:\n  [<ffffffff80123456>] Kernel.A.B+0x1\nEXCEPTION #PF Page Fault\n";
        BootVerdict v = ExpectedFailures.Judge(Spec(f), f, Exited(7, serial));
        Assert.False(v.Passed);
        Assert.Contains(v.Reasons, r => r.Contains("2 exception reports"));
    }

    [Fact]
    public void NestedPanicWhileReportingFails()
    {
        ExpectedFailure f = ExpectedFailures.Find("crash=gp")!;
        string serial = "EXCEPTION #GP General Protection\nBacktrace:\n  [<ffffffff80123456>] Kernel.A.B+0x1\n" +
            "KERNEL PANIC (nested, while reporting): symbol table\n";
        Assert.False(ExpectedFailures.Judge(Spec(f), f, Exited(7, serial)).Passed);
    }

    [Fact]
    public void ImageNamesComeFromTheCommandLine()
    {
        Assert.Equal("test-all", ImageBuilder.NameFor("test=all"));
        Assert.Equal("crash-divide-console-serial", ImageBuilder.NameFor("crash=divide  console=serial"));
    }

    private static BootSpec Spec(ExpectedFailure f) =>
        new BootSpec(f.Name, f.Cmdline, Firmware.Bios, Medium.Cd, "256M", TimeSpan.FromSeconds(60));
}
