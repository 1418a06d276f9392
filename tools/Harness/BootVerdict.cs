using System;
using System.Collections.Generic;

namespace Harness;

/// <summary>
/// The judgement on one boot. Reasons is empty exactly when the boot passed. Ktap is set for
/// boots that ran test suites, so their cases can be counted one by one.
/// </summary>
public sealed record BootVerdict(
    string Name,
    TimeSpan Duration,
    IReadOnlyList<string> Reasons,
    string Detail,          // short text for the PASS line, e.g. "37 cases" or "exit 7, 4 patterns"
    KtapReport? Ktap,
    string? LogPath,
    string Serial)
{
    public bool Passed => Reasons.Count == 0;

    /// <summary>A boot that never reached QEMU (no kernel, image build failed...).</summary>
    public static BootVerdict NotRun(string name, string reason) =>
        new BootVerdict(name, TimeSpan.Zero, new[] { reason }, "", null, null, "");
}
