using System.Linq;
using Harness;
using Xunit;

namespace Harness.Tests;

public class KtapParserTests
{
    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private const string PassingRun =
        "KTAP version 1\n" +
        "1..2\n" +
        "    KTAP version 1\n" +
        "    # Subtest: buddy\n" +
        "    1..3\n" +
        "    ok 1 alloc_free_order0\n" +
        "    ok 2 coalesce_all\n" +
        "    ok 3 zone_fallback # SKIP needs >4 GiB\n" +
        "# buddy: pass:2 fail:0 skip:1 total:3\n" +
        "ok 1 buddy\n" +
        "    KTAP version 1\n" +
        "    # Subtest: slab\n" +
        "    1..1\n" +
        "    ok 1 alloc\n" +
        "ok 2 slab\n";

    [Fact]
    public void PassingRunCountsEveryLeafWithItsPath()
    {
        KtapReport r = KtapParser.Parse(PassingRun);

        Assert.True(r.Ok, string.Join("; ", r.Errors));
        Assert.Equal(new[] { "buddy.alloc_free_order0", "buddy.coalesce_all", "buddy.zone_fallback", "slab.alloc" },
            r.Cases.Select(c => c.Path).ToArray());
        Assert.Equal(3, r.Passed);
        Assert.Equal(1, r.Skipped);
        Assert.Equal(0, r.Failed);
    }

    [Fact]
    public void SampleFromTestingDocFailsAndNamesTheCase()
    {
        string serial = Lines(
            "KTAP version 1",
            "1..2",
            "    KTAP version 1",
            "    # Subtest: buddy",
            "    1..3",
            "    ok 1 alloc_free_order0",
            "    not ok 2 coalesce_all",
            "    # coalesce_all: expected free=65280, got 65279 (kernel/Memory/Physical/Buddy.cs:120)",
            "    ok 3 zone_fallback # SKIP needs >4 GiB",
            "# buddy: pass:1 fail:1 skip:1 total:3",
            "not ok 1 buddy",
            "    KTAP version 1",
            "    # Subtest: slab",
            "    1..1",
            "    ok 1 alloc",
            "ok 2 slab");

        KtapReport r = KtapParser.Parse(serial);

        Assert.False(r.Ok);
        Assert.True(r.Complete);
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "buddy.coalesce_all", "buddy" }, r.NotOk.ToArray());
        Assert.Equal(1, r.Failed);
        Assert.Equal(2, r.Passed);
        Assert.Contains(r.FailureDiagnostics, d => d.Contains("expected free=65280"));
    }

    [Fact]
    public void KernelLogLinesEscapesAndCarriageReturnsAreIgnored()
    {
        string serial = "\x1b[H\x1b[J\x1b[1;1H\x1b[=3h  Booting `kernel'\r\n\r\n" +
            "[    0.000100] memory: 255 MiB usable\r\n" +
            PassingRun.Replace("    ok 2 coalesce_all\n", "[    0.001234] buddy: split order 3\n    ok 2 coalesce_all\n  rax=0000\n")
                      .Replace("\n", "\r\n") +
            "[    0.2] tests done, exiting\r\n";

        KtapReport r = KtapParser.Parse(serial);

        Assert.True(r.Ok, string.Join("; ", r.Errors));
        Assert.Equal(4, r.Cases.Count);
    }

    [Fact]
    public void LinesIndentedByOtherThanFourSpacesAreNotKtap()
    {
        string serial = PassingRun.Replace("    ok 2 coalesce_all\n", "    ok 2 coalesce_all\n  ok 9 from a register dump\n      # odd\n");
        KtapReport r = KtapParser.Parse(serial);
        Assert.True(r.Ok, string.Join("; ", r.Errors));
        Assert.Equal(4, r.Cases.Count);
    }

    [Fact]
    public void NoHeaderIsNotARun()
    {
        KtapReport r = KtapParser.Parse("ok 1 something\n1..1\n");
        Assert.False(r.HeaderFound);
        Assert.False(r.Ok);
    }

    [Fact]
    public void IndentedHeaderIsNotTheTopLevel()
    {
        KtapReport r = KtapParser.Parse(Lines("    KTAP version 1", "    1..1", "    ok 1 a"));
        Assert.False(r.HeaderFound);
    }

    [Fact]
    public void MissingTopLevelPlanFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "ok 1 a", "ok 2 b"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("top level") && e.Contains("no plan"));
    }

    [Fact]
    public void MissingSubtestPlanFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "    # Subtest: s", "    ok 1 a", "ok 1 s"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("'s': no plan"));
    }

    [Fact]
    public void ShortSubtestPlanFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "    # Subtest: s", "    1..3", "    ok 1 a", "    ok 2 b", "ok 1 s"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("plan 1..3 but only 2"));
    }

    [Fact]
    public void MoreResultsThanPlannedFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "    # Subtest: s", "    1..1", "    ok 1 a", "    ok 2 b", "ok 1 s"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("plan 1..1 but 2 results"));
    }

    [Fact]
    public void OutputCutOffMidSuiteFailsButKeepsFinishedCases()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..2", "    KTAP version 1", "    # Subtest: buddy",
            "    1..3", "    ok 1 a", "    ok 2 b"));

        Assert.False(r.Ok);
        Assert.False(r.Complete);
        Assert.Contains(r.Errors, e => e.Contains("ended inside buddy (2 of 3"));
        Assert.Contains(r.Errors, e => e.Contains("ended inside top level (0 of 2"));
        Assert.Equal(2, r.Passed);
        Assert.Empty(r.NotOk);
    }

    [Fact]
    public void ShortTopLevelPlanFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..3", "ok 1 a", "ok 2 b"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("2 of 3"));
    }

    [Fact]
    public void WrongTestNumberFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..2", "ok 1 a", "ok 3 b"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("expected test number 2, found 3"));
    }

    [Fact]
    public void NotOkWithSkipDirectiveStillFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..2", "ok 1 a # SKIP no hw", "not ok 2 b # SKIP"));
        Assert.False(r.Ok);
        Assert.Equal(KtapStatus.Skip, r.Cases[0].Status);
        Assert.Equal("no hw", r.Cases[0].Directive!.Substring(5));
        Assert.Equal(KtapStatus.Fail, r.Cases[1].Status);
    }

    [Fact]
    public void ParameterisedCasesThreeLevelsDeep()
    {
        KtapReport r = KtapParser.Parse(Lines(
            "KTAP version 1",
            "1..1",
            "    KTAP version 1",
            "    # Subtest: pagetable",
            "    1..2",
            "        KTAP version 1",
            "        # Subtest: map_sizes",
            "        ok 1 4K",
            "        ok 2 2M",
            "        1..2",
            "    ok 1 map_sizes",
            "    ok 2 unmap",
            "ok 1 pagetable"));

        Assert.True(r.Ok, string.Join("; ", r.Errors));
        Assert.Equal(new[] { "pagetable.map_sizes.4K", "pagetable.map_sizes.2M", "pagetable.unmap" },
            r.Cases.Select(c => c.Path).ToArray());
    }

    [Fact]
    public void OldKUnitStyleWithoutNestedVersionLine()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "    # Subtest: s", "    1..1", "    ok 1 - a", "ok 1 - s"));
        Assert.True(r.Ok, string.Join("; ", r.Errors));
        Assert.Equal("s.a", r.Cases.Single().Path);
    }

    [Fact]
    public void SuiteNotOkWithPassingCasesStillFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "    # Subtest: s", "    1..1", "    ok 1 a",
            "# s: suite init failed", "not ok 1 s"));
        Assert.False(r.Ok);
        Assert.Equal(new[] { "s" }, r.NotOk.ToArray());
        Assert.Equal(0, r.Failed);
    }

    [Fact]
    public void StrayNotOkOutsideTheStructureFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "ok 1 a", "  not ok 7 late"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("outside the KTAP structure"));
    }

    [Fact]
    public void LinesAfterTheLastPlannedResultAreIgnored()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "ok 1 a", "ok 2 b", "[ 1.0] done"));
        Assert.True(r.Ok, string.Join("; ", r.Errors));
        Assert.Single(r.Cases);
    }

    [Fact]
    public void TrailingPlanIsAccepted()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "ok 1 a", "ok 2 b", "1..2"));
        Assert.True(r.Ok, string.Join("; ", r.Errors));
        Assert.Equal(2, r.Passed);
    }

    [Fact]
    public void SubtestClosedByResultOfAnotherNameFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "    # Subtest: buddy", "    1..1", "    ok 1 a", "ok 1 slab"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("'buddy' is closed by a result named 'slab'"));
    }

    [Fact]
    public void SubtestWithoutItsResultLineFails()
    {
        // Suite "a" never printed "ok 1 a" before suite "b" started.
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..2",
            "    KTAP version 1", "    # Subtest: a", "    1..1", "    ok 1 x",
            "    KTAP version 1", "    # Subtest: b", "    1..1", "    ok 1 y", "ok 2 b"));
        Assert.False(r.Ok);
    }

    [Fact]
    public void IndentationJumpFails()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..1", "        ok 1 deep", "ok 1 a"));
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Contains("indentation jumps"));
    }

    [Fact]
    public void EmptyPlanIsCompleteWithNoCases()
    {
        KtapReport r = KtapParser.Parse(Lines("KTAP version 1", "1..0"));
        Assert.True(r.Complete);
        Assert.Empty(r.Cases);
    }
}
