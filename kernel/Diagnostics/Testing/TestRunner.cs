// Runs in-guest suites and prints KTAP version 1 exactly as Linux's KUnit does:
//   KTAP version 1 / 1..N / per suite an indented subtest with its own plan, one
//   "ok n name" or "not ok n name" per case, "# name: pass:P fail:F skip:S total:T",
//   then "ok n suite" at the top level. See ../shared docs/testing.md.
// `test=all` selects every suite not marked slow; `test=a,b` selects by name.
using Kernel.Boot;

namespace Kernel.Diagnostics.Testing;

public static unsafe class TestRunner
{
    public struct Totals { public int Passed, Failed, Skipped; }

    /// <summary>Runs the suites the command line selects; returns the totals.</summary>
    public static Totals Run(CommandLine* cmdline)
    {
        Totals totals = default;
        int selected = 0;
        for (int i = 0; i < SuiteRegistry.Count; i++)
            if (IsSelected(SuiteRegistry.Get(i), cmdline)) selected++;
        ReportUnknownSuites(cmdline);

        KernelConsole.Write("KTAP version 1\n");
        KernelConsole.Print($"1..{selected}\n");
        int number = 0;
        for (int i = 0; i < SuiteRegistry.Count; i++)
        {
            TestSuite suite = SuiteRegistry.Get(i);
            if (!IsSelected(suite, cmdline)) continue;
            number++;
            RunSuite(suite, number, ref totals);
        }
        return totals;
    }

    static bool IsSelected(TestSuite suite, CommandLine* cmdline) =>
        cmdline->ValueListContains("test", suite.Name) || (!suite.Slow && cmdline->ValueListContains("test", "all"));

    static void ReportUnknownSuites(CommandLine* cmdline)
    {
        if (!cmdline->TryGetValue("test", out byte* value, out int length)) return;
        int start = 0;
        for (int i = 0; i <= length; i++)
        {
            if (i < length && value[i] != (byte)',') continue;
            int n = i - start;
            if (n > 0 && !CommandLine.BytesEqual(value + start, n, "all") && SuiteRegistry.Find(value + start, n) == null)
            {
                var line = new LogLine(0, 0);
                line.AppendLiteral("test: no suite named '");
                for (int k = 0; k < n; k++) line.AppendFormatted((char)value[start + k]);
                line.AppendLiteral("'");
                Log.Warning(ref line);
            }
            start = i + 1;
        }
    }

    static void RunSuite(TestSuite suite, int number, ref Totals totals)
    {
        KernelConsole.Write("    KTAP version 1\n");
        KernelConsole.Print($"    # Subtest: {suite.Name}\n");
        KernelConsole.Print($"    1..{suite.Count}\n");
        int pass = 0, fail = 0, skip = 0;
        for (int i = 0; i < suite.Count; i++)
        {
            KTest.Outcome outcome = KTest.Run(suite.CaseName(i), suite.CaseBody(i));
            if (outcome == KTest.Outcome.Pass) { pass++; KernelConsole.Print($"    ok {i + 1} {suite.CaseName(i)}\n"); }
            else if (outcome == KTest.Outcome.Skip) { skip++; KernelConsole.Print($"    ok {i + 1} {suite.CaseName(i)} # SKIP {KTest.SkipReason}\n"); }
            else { fail++; KernelConsole.Print($"    not ok {i + 1} {suite.CaseName(i)}\n"); }
        }
        KernelConsole.Print($"# {suite.Name}: pass:{pass} fail:{fail} skip:{skip} total:{suite.Count}\n");
        if (fail > 0) KernelConsole.Print($"not ok {number} {suite.Name}\n");
        else if (skip == suite.Count && skip > 0) KernelConsole.Print($"ok {number} {suite.Name} # SKIP\n");
        else KernelConsole.Print($"ok {number} {suite.Name}\n");
        totals.Passed += pass;
        totals.Failed += fail;
        totals.Skipped += skip;
    }

    internal static void PrintDiagnostic(ref LogLine message)
    {
        KernelConsole.Write("    # ");
        KernelConsole.Print(ref message);
        KernelConsole.Write("\n");
    }
}
