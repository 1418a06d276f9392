using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Harness;

/// <summary>One deliberate crash: the kernel must print the named diagnostic and stop cleanly.</summary>
public sealed record ExpectedFailure(string Name, string Cmdline, int ExitStatus, string[] MustMatch, bool NestedPanicExpected = false);

/// <summary>
/// Expected-failure boots. THE TABLE BELOW IS THE ONE PLACE to adjust command lines, exit
/// statuses and the strings the kernel must print. Patterns are .NET regexes matched against
/// the whole serial log (escape codes and CRs removed) with ^ and $ matching at line ends.
/// </summary>
public static class ExpectedFailures
{
    /// <summary>QEMU status for kernel exit value 3 (panic): 2 * 3 + 1.</summary>
    public const int PanicStatus = 7;

    // A backtrace frame naming a C# method: "  [<ffffffff80123456>] Namespace.Class.Method+0x1c".
    private const string ManagedFrame = @"^\s*\[<[0-9a-fA-F]{16}>\] [A-Za-z_][\w`]*(\.[\w`<>]+)+\+0x[0-9a-fA-F]+";
    private const string BacktraceHeader = @"^\s*Backtrace:";

    /// <summary>A backtrace frame in the given C# method (e.g. "CrashTriggers.Run").</summary>
    private static string Frame(string method) => @"^\s*\[<[0-9a-f]{16}>\] Kernel\.[\w.]*" + Regex.Escape(method) + @"\+0x[0-9a-f]+$";

    public static readonly ExpectedFailure[] Table =
    {
        new ExpectedFailure("crash-divide", "crash=divide", PanicStatus,
            new[] { @"^EXCEPTION #DE Divide Error \(vector 0\)", BacktraceHeader, ManagedFrame, Frame("CrashTriggers.Run") }),
        new ExpectedFailure("crash-null", "crash=null", PanicStatus,
            new[] { @"^EXCEPTION #PF Page Fault \(vector 14\)", @"\bNULL pointer dereference, address: 0+$",
                    @"^RIP: 0008:[0-9a-f]{16} Kernel\.Diagnostics\.CrashTriggers\.NullDereference\+0x", BacktraceHeader, ManagedFrame }),
        new ExpectedFailure("crash-ud", "crash=ud", PanicStatus,
            new[] { @"^EXCEPTION #UD Invalid Opcode \(vector 6\)", BacktraceHeader, ManagedFrame }),
        new ExpectedFailure("crash-gp", "crash=gp", PanicStatus,
            new[] { @"^EXCEPTION #GP General Protection Fault \(vector 13\)", BacktraceHeader, ManagedFrame, Frame("CrashTriggers.Run") }),
        new ExpectedFailure("crash-stack", "crash=stack", PanicStatus,
            new[] { @"^EXCEPTION #DF Double Fault \(vector 8\)", @"kernel stack overflow: guard page [0-9a-f]{16} hit \(vmalloc stack",
                    BacktraceHeader, Frame("CrashTriggers.StackOverflow") }),
        new ExpectedFailure("crash-panic", "crash=panic", PanicStatus,
            new[] { @"^KERNEL PANIC: crash=panic asked for a panic$", BacktraceHeader, Frame("CrashTriggers.Run"), @"^---\[ end Kernel panic \]---" }),
        // A fault inside the panic path: one short nested line, then a clean stop.
        new ExpectedFailure("crash-nested", "crash=nested", PanicStatus,
            new[] { @"^crash: panicking; now faulting inside the panic path$", @"^KERNEL PANIC \(nested, while reporting\): fatal exception$" },
            NestedPanicExpected: true),
    };

    /// <summary>Crashes only need one configuration: BIOS from CD is the quickest to boot.</summary>
    public static List<BootSpec> Specs(TimeSpan? timeout)
    {
        var specs = new List<BootSpec>();
        foreach (ExpectedFailure f in Table)
            specs.Add(new BootSpec(f.Name, f.Cmdline, Firmware.Bios, Medium.Cd, "256M",
                timeout ?? BootSpec.DefaultTimeout(Firmware.Bios)));
        return specs;
    }

    public static ExpectedFailure? Find(string cmdline)
    {
        foreach (ExpectedFailure f in Table)
            if (f.Cmdline == cmdline) return f;
        return null;
    }

    /// <summary>
    /// Passes when QEMU exited by itself with the expected status, every pattern appears, and
    /// there is at most one exception report and no nested panic (either means the report
    /// itself crashed).
    /// </summary>
    public static BootVerdict Judge(BootSpec spec, ExpectedFailure expected, QemuRun run)
    {
        var reasons = new List<string>();
        string? abnormal = run.Abnormal();
        if (abnormal != null)
            reasons.Add(abnormal);
        else if (run.ExitCode != expected.ExitStatus)
            reasons.Add($"expected QEMU exit status {expected.ExitStatus}, got {QemuRun.DescribeStatus(run.ExitCode ?? -1)}{run.StdErrHint()}");

        string text = KtapParser.CleanSerial(run.Serial);
        if (text.Length == 0)
            reasons.Add("no serial output at all");
        foreach (string pattern in expected.MustMatch)
            if (!Regex.IsMatch(text, pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant))
                reasons.Add($"serial lacks /{pattern}/");

        int reports = Regex.Matches(text, @"^EXCEPTION #", RegexOptions.Multiline).Count;
        if (reports > 1)
            reasons.Add($"{reports} exception reports (the fault handler faulted again?)");
        if (!expected.NestedPanicExpected && text.Contains("KERNEL PANIC (nested", StringComparison.Ordinal))
            reasons.Add("nested panic while reporting");

        string detail = $"exit {run.ExitCode?.ToString() ?? "-"}, {expected.MustMatch.Length} patterns";
        return new BootVerdict(spec.Name, run.Duration, reasons, detail, null, run.LogPath, run.Serial);
    }
}
