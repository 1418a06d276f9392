using System;
using System.Collections.Generic;
using System.IO;

namespace Harness;

/// <summary>
/// Prints one PASS/FAIL line per boot and keeps the totals.
///
/// Counting (the final "harness: N passed, M failed" line):
///   - every boot counts once, as "the boot ended the way it should" (clean KTAP run, or the
///     expected crash report and status);
///   - every KTAP leaf case of every boot counts once more, passed or failed, so the same case
///     booted under four configurations counts four times;
///   - skipped cases ("ok ... # SKIP") count as neither and are reported separately.
/// A failing case therefore also fails its boot: the boot line says which case.
/// </summary>
public sealed class Summary
{
    private const int TailLines = 25;

    public int Passed { get; private set; }
    public int Failed { get; private set; }
    public int Skipped { get; private set; }
    public int Boots { get; private set; }
    public int BootsFailed { get; private set; }
    public int Cases { get; private set; }

    private readonly TextWriter output;
    private readonly bool showTail;

    /// <summary>showTail is off when the serial output was already shown live.</summary>
    public Summary(TextWriter output, bool showTail)
    {
        this.output = output;
        this.showTail = showTail;
    }

    public void Add(BootVerdict verdict)
    {
        Boots++;
        if (verdict.Passed) Passed++;
        else { Failed++; BootsFailed++; }

        if (verdict.Ktap != null)
        {
            Passed += verdict.Ktap.Passed;
            Failed += verdict.Ktap.Failed;
            Skipped += verdict.Ktap.Skipped;
            Cases += verdict.Ktap.Cases.Count;
        }
        Print(verdict);
    }

    private void Print(BootVerdict v)
    {
        string time = $"{v.Duration.TotalSeconds:0.0}s";
        string detail = v.Detail.Length > 0 ? $"{time}, {v.Detail}" : time;
        if (v.Passed)
        {
            output.WriteLine($"PASS {v.Name} ({detail})");
            output.Flush();
            return;
        }

        output.WriteLine($"FAIL {v.Name} ({detail}): {v.Reasons[0]}");
        for (int i = 1; i < v.Reasons.Count; i++)
            output.WriteLine($"    - {v.Reasons[i]}");
        if (v.Ktap != null)
            foreach (string diag in v.Ktap.FailureDiagnostics)
                output.WriteLine($"    # {diag}");
        if (v.LogPath != null && showTail)
        {
            string[] lines = KtapParser.SplitLines(v.Serial);
            int end = lines.Length;
            while (end > 0 && lines[end - 1].Length == 0) end--;
            int start = Math.Max(0, end - TailLines);
            output.WriteLine($"    --- last {end - start} serial lines ({v.LogPath}) ---");
            for (int i = start; i < end; i++)
                output.WriteLine("    | " + lines[i]);
        }
        output.Flush();
    }

    /// <summary>The totals; the very last line is the one tools/run-tests.sh reads.</summary>
    public void PrintTotals()
    {
        output.WriteLine($"harness: {Boots} boots ({BootsFailed} failed), {Cases} KTAP cases ({Skipped} skipped, not counted below)");
        output.WriteLine($"harness: {Passed} passed, {Failed} failed");
        output.Flush();
    }
}
