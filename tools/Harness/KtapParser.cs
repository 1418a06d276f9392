using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Harness;

public enum KtapStatus { Pass, Fail, Skip }

/// <summary>One leaf test case (a result line that has no subtests), named by its full path.</summary>
public sealed record KtapCase(string Path, KtapStatus Status, string? Directive);

/// <summary>What the parser found in a serial log.</summary>
public sealed class KtapReport
{
    public bool HeaderFound { get; set; }

    /// <summary>True once the top-level plan was fulfilled (all announced results seen).</summary>
    public bool Complete { get; set; }

    public List<KtapCase> Cases { get; } = new List<KtapCase>();

    /// <summary>Broken structure: missing/short plan, wrong numbering, output cut off...</summary>
    public List<string> Errors { get; } = new List<string>();

    /// <summary>Path of every "not ok" result, leaves and suites alike.</summary>
    public List<string> NotOk { get; } = new List<string>();

    /// <summary>Diagnostic lines ("# name: ...") that mention a failed case, for the report.</summary>
    public List<string> FailureDiagnostics { get; } = new List<string>();

    public int Passed => Count(KtapStatus.Pass);
    public int Failed => Count(KtapStatus.Fail);
    public int Skipped => Count(KtapStatus.Skip);

    /// <summary>The run as a whole is good: header, complete structure, no "not ok" anywhere.</summary>
    public bool Ok => HeaderFound && Complete && Errors.Count == 0 && NotOk.Count == 0;

    private int Count(KtapStatus status)
    {
        int n = 0;
        foreach (KtapCase c in Cases)
            if (c.Status == status) n++;
        return n;
    }
}

/// <summary>
/// Parser for KTAP version 1 as printed by Linux KUnit: a top-level "KTAP version 1" and plan,
/// subtests indented by 4 spaces per level (optionally introduced by "KTAP version 1" and
/// "# Subtest: name"), "ok N name [# SKIP reason]" / "not ok N name", "# ..." diagnostics.
///
/// Kernel log lines may be interleaved: any line that is not KTAP syntax at a multiple of
/// 4 spaces is ignored. The parser is deliberately strict about structure, because a kernel
/// that stops printing halfway must not look like a passing run.
/// </summary>
public static class KtapParser
{
    private static readonly Regex AnsiEscape = new Regex(@"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])", RegexOptions.Compiled);
    private static readonly Regex VersionLine = new Regex(@"^K?TAP version (\d+)$", RegexOptions.Compiled);
    private static readonly Regex PlanLine = new Regex(@"^1\.\.(\d+)(\s+#.*)?$", RegexOptions.Compiled);
    private static readonly Regex ResultLine = new Regex(@"^(ok|not ok) (\d+)(?: -)?(?: (.*))?$", RegexOptions.Compiled);
    private static readonly Regex SubtestLine = new Regex(@"^# Subtest: (.+)$", RegexOptions.Compiled);
    private static readonly Regex AnyNotOk = new Regex(@"^\s*not ok \d+", RegexOptions.Compiled);

    private const string TopHeader = "KTAP version 1";

    /// <summary>Removes terminal escape sequences (GRUB clears the screen on serial) and CRs.</summary>
    public static string CleanSerial(string raw)
    {
        string text = AnsiEscape.Replace(raw, "");
        return text.Replace("\r", "");
    }

    /// <summary>Splits cleaned serial text into lines without trailing whitespace.</summary>
    public static string[] SplitLines(string raw)
    {
        string[] lines = CleanSerial(raw).Split('\n');
        for (int i = 0; i < lines.Length; i++)
            lines[i] = lines[i].TrimEnd();
        return lines;
    }

    private enum Kind { Version, Plan, Result, Subtest, Diagnostic, Other }

    /// <summary>A test result; Children is set when a subtest group closed into it.</summary>
    private sealed class Node
    {
        public string Name = "";
        public KtapStatus Status;
        public string? Directive;
        public Group? Children;
        public bool Unfinished;   // stands for a subtest cut off before its result line
    }

    /// <summary>The tests at one indentation level between a header and the closing result.</summary>
    private sealed class Group
    {
        public int Depth;
        public int? Plan;
        public string? SubtestName;
        public int FirstLine;
        public readonly List<Node> Results = new List<Node>();
        public readonly List<string> Diagnostics = new List<string>();
    }

    public static KtapReport Parse(string serial)
    {
        var report = new KtapReport();
        string[] lines = SplitLines(serial);

        int start = Array.IndexOf(lines, TopHeader);
        if (start < 0)
        {
            report.Errors.Add("no 'KTAP version 1' header at the start of a line");
            return report;
        }
        report.HeaderFound = true;

        var top = new Group { Depth = 0, FirstLine = start + 1 };
        var stack = new List<Group> { top };
        int consumedNotOk = 0;      // "not ok" lines the structure accounted for

        for (int i = start + 1; i < lines.Length && !report.Complete; i++)
        {
            string line = lines[i];
            int lineNo = i + 1;
            int indent = CountLeadingSpaces(line);
            string content = line.Substring(indent);
            Kind kind = Classify(content);

            // Kernel log lines, blank lines and oddly indented text are not KTAP: skip them.
            if (kind == Kind.Other || indent % 4 != 0)
                continue;

            int depth = indent / 4;
            Group current = stack[stack.Count - 1];

            if (kind == Kind.Diagnostic)
            {
                // KUnit prints a suite's "# name: pass:..." summary at the parent's level while
                // the subtest is still open, so diagnostics never open or close groups.
                Group target = depth < stack.Count ? stack[depth] : current;
                target.Diagnostics.Add(content);
                continue;
            }

            if (depth > current.Depth)
            {
                if (depth != current.Depth + 1)
                {
                    report.Errors.Add($"line {lineNo}: indentation jumps from level {current.Depth} to {depth}: '{line.Trim()}'");
                    continue;
                }
                current = new Group { Depth = depth, FirstLine = lineNo };
                stack.Add(current);
            }

            Group? children = null;   // the subtest group this result line closes, if any
            if (depth < current.Depth)
            {
                if (kind != Kind.Result)
                {
                    report.Errors.Add($"line {lineNo}: '{content}' at level {depth} while a subtest at level {current.Depth} is still open");
                    continue;
                }
                // A result at a lower level closes every deeper group; the innermost one closed
                // last (depth + 1) holds this result's subtests.
                while (stack.Count - 1 > depth)
                {
                    Group closing = stack[stack.Count - 1];
                    stack.RemoveAt(stack.Count - 1);
                    children = closing;
                    if (stack.Count - 1 > depth)
                        report.Errors.Add($"line {lineNo}: subtest at level {closing.Depth} (from line {closing.FirstLine}) ended without a result line");
                }
                current = stack[stack.Count - 1];
            }

            switch (kind)
            {
                case Kind.Version:
                    if (current.Results.Count > 0 || current.Plan != null)
                        report.Errors.Add($"line {lineNo}: unexpected '{content}' in the middle of a test list");
                    break;

                case Kind.Subtest:
                    if (current.Results.Count > 0)
                        report.Errors.Add($"line {lineNo}: '# Subtest:' after results at the same level");
                    else
                        current.SubtestName ??= SubtestLine.Match(content).Groups[1].Value.Trim();
                    break;

                case Kind.Plan:
                    if (current.Plan != null)
                        report.Errors.Add($"line {lineNo}: second plan '{content}'");
                    else
                        current.Plan = int.Parse(PlanLine.Match(content).Groups[1].Value);
                    // A trailing plan (after the results) is valid KTAP too.
                    if (current == top && top.Results.Count >= top.Plan)
                        report.Complete = true;
                    break;

                case Kind.Result:
                    Node node = ParseResult(content, lineNo, current, report);
                    if (node.Status == KtapStatus.Fail) consumedNotOk++;
                    if (children != null)
                    {
                        CheckClosedGroup(children, node.Name, report);
                        node.Children = children;
                    }
                    current.Results.Add(node);
                    if (current == top && top.Plan != null && top.Results.Count >= top.Plan)
                        report.Complete = true;
                    break;
            }
        }

        if (!report.Complete)
        {
            ReportUnfinished(stack, report);
            // Keep the cases that did finish inside cut-off subtests: they ran and are counted.
            for (int d = stack.Count - 1; d > 0; d--)
                stack[d - 1].Results.Add(new Node { Name = stack[d].SubtestName ?? "(unfinished)", Children = stack[d], Unfinished = true });
        }

        Collect(top, "", report);

        // "not ok" anywhere in the log is a failure, even where the structure did not expect it.
        int allNotOk = 0;
        foreach (string line in lines)
            if (AnyNotOk.IsMatch(line)) allNotOk++;
        if (allNotOk > consumedNotOk)
            report.Errors.Add($"{allNotOk - consumedNotOk} 'not ok' line(s) outside the KTAP structure");

        return report;
    }

    private static Kind Classify(string content)
    {
        if (VersionLine.IsMatch(content)) return Kind.Version;
        if (PlanLine.IsMatch(content)) return Kind.Plan;
        if (ResultLine.IsMatch(content)) return Kind.Result;
        if (SubtestLine.IsMatch(content)) return Kind.Subtest;
        if (content.StartsWith('#')) return Kind.Diagnostic;
        return Kind.Other;
    }

    private static Node ParseResult(string content, int lineNo, Group group, KtapReport report)
    {
        Match m = ResultLine.Match(content);
        bool ok = m.Groups[1].Value == "ok";
        int number = int.Parse(m.Groups[2].Value);
        string rest = m.Groups[3].Success ? m.Groups[3].Value : "";

        string name = rest;
        string? directive = null;
        int hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            name = rest.Substring(0, hash).Trim();
            directive = rest.Substring(hash + 1).Trim();
        }
        if (name.Length == 0)
            name = "#" + number;

        int expected = group.Results.Count + 1;
        if (number != expected)
            report.Errors.Add($"line {lineNo}: expected test number {expected}, found {number} ('{content}')");

        bool skip = directive != null && directive.StartsWith("SKIP", StringComparison.OrdinalIgnoreCase);
        // A "not ok" is a failure whatever its directive says: the kernel contract has no XFAIL.
        KtapStatus status = !ok ? KtapStatus.Fail : skip ? KtapStatus.Skip : KtapStatus.Pass;
        return new Node { Name = name, Status = status, Directive = directive };
    }

    private static void CheckClosedGroup(Group group, string parentName, KtapReport report)
    {
        string name = group.SubtestName ?? parentName;
        if (group.SubtestName != null && group.SubtestName != parentName)
            report.Errors.Add($"subtest '{group.SubtestName}' is closed by a result named '{parentName}'");
        CheckPlan(group, name, report);
    }

    private static void CheckPlan(Group group, string name, KtapReport report)
    {
        if (group.Plan == null)
            report.Errors.Add($"'{name}': no plan line (1..N)");
        else if (group.Results.Count < group.Plan)
            report.Errors.Add($"'{name}': plan 1..{group.Plan} but only {group.Results.Count} result(s)");
        else if (group.Results.Count > group.Plan)
            report.Errors.Add($"'{name}': plan 1..{group.Plan} but {group.Results.Count} results");
    }

    private static void ReportUnfinished(List<Group> stack, KtapReport report)
    {
        for (int d = stack.Count - 1; d >= 0; d--)
        {
            Group g = stack[d];
            string name = d == 0 ? "top level" : g.SubtestName ?? $"subtest from line {g.FirstLine}";
            string plan = g.Plan == null ? "no plan yet" : $"{g.Results.Count} of {g.Plan} results";
            report.Errors.Add($"KTAP output ended inside {name} ({plan})");
        }
    }

    /// <summary>Walks the result tree in print order: leaves become cases, every "not ok" is listed.</summary>
    private static void Collect(Group group, string prefix, KtapReport report)
    {
        foreach (Node node in group.Results)
        {
            string path = prefix.Length == 0 ? node.Name : prefix + "." + node.Name;
            if (node.Children != null)
                Collect(node.Children, path, report);
            else
                report.Cases.Add(new KtapCase(path, node.Status, node.Directive));

            if (node.Status == KtapStatus.Fail && !node.Unfinished)
            {
                report.NotOk.Add(path);
                // KUnit and our kernel both start a case's diagnostics with "# name:".
                string tag = "# " + node.Name + ":";
                foreach (string diag in group.Diagnostics)
                    if (diag.StartsWith(tag, StringComparison.Ordinal))
                        report.FailureDiagnostics.Add(path + ":" + diag.Substring(tag.Length));
            }
        }
    }

    private static int CountLeadingSpaces(string line)
    {
        int n = 0;
        while (n < line.Length && line[n] == ' ') n++;
        return n;
    }
}
