// The shell's commands run in the guest, their text checked against the live state it shows:
// meminfo and buddyinfo against the page allocator's own counters, vtop against a translation,
// the registry's answers to unknown names and bad arguments.
using Kernel.Arch.X64;
using Kernel.Arch.X64.Paging;
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;
using Kernel.Memory.Physical;
using Kernel.Shell;

namespace Kernel.Tests.InGuest;

public static unsafe class ShellSuite
{
    public const string Name = "shell";
    const int OutputBytes = 4096;

    public static void Register(TestSuite suite)
    {
        suite.Add("meminfo_agrees_with_allocator", &MeminfoAgrees);
        suite.Add("buddyinfo_sums_to_free_frames", &BuddyinfoSums);
        suite.Add("vtop_agrees_with_translate", &VtopAgrees);
        suite.Add("slabinfo_lists_every_cache", &SlabinfoListsEveryCache);
        suite.Add("dmesg_strips_levels", &DmesgStripsLevels);
        suite.Add("unknown_command_status", &UnknownCommand);
        suite.Add("bad_arguments_give_usage", &BadArguments);
        suite.Add("every_command_documented", &EveryCommandDocumented);
        suite.Add("completion_lists_every_command", &CompletionListsAll);
    }

    static CommandStatus Execute(string line, byte* output, out int length)
    {
        byte* text = stackalloc byte[256];
        int n = 0;
        for (; n < line.Length && n < 256; n++) text[n] = (byte)line[n];
        var builder = new TextBuilder(output, OutputBytes);
        CommandStatus status = ShellCommands.Table.Execute(text, n, ref builder);
        length = builder.Length;
        return status;
    }

    /// <summary>The decimal number after the first occurrence of label, or ulong.MaxValue.</summary>
    static ulong NumberAfter(byte* text, int length, string label, int from = 0)
    {
        for (int i = from; i + label.Length <= length; i++)
        {
            int k = 0;
            while (k < label.Length && text[i + k] == (byte)label[k]) k++;
            if (k < label.Length) continue;
            int p = i + k;
            while (p < length && text[p] == (byte)' ') p++;
            ulong v = 0;
            bool any = false;
            while (p < length && text[p] >= (byte)'0' && text[p] <= (byte)'9') { v = v * 10 + (ulong)(text[p++] - '0'); any = true; }
            return any ? v : 0xFFFFFFFFFFFFFFFFUL;
        }
        return 0xFFFFFFFFFFFFFFFFUL;
    }

    static void MeminfoAgrees()
    {
        byte* output = stackalloc byte[OutputBytes];
        BuddyAllocator* buddy = PhysicalPages.Buddy;
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        PhysicalMemoryStats stats;
        buddy->GetStats(&stats);
        CommandStatus status = Execute("meminfo", output, out int n);
        Kernel.Platform.Interrupts.Restore(token);
        KTest.ExpectEqual((long)CommandStatus.Ok, (long)status, "meminfo status");
        KTest.ExpectEqual(buddy->FreeFrames * 4, NumberAfter(output, n, "MemFree:"), "MemFree kB = allocator free frames x 4");
        KTest.ExpectEqual(stats.ManagedFrames * 4, NumberAfter(output, n, "MemTotal:"), "MemTotal kB = managed frames x 4");
        KTest.ExpectEqual(stats.PerCpuFrames * 4, NumberAfter(output, n, "PerCpuCached:"), "PerCpuCached kB");
        KTest.ExpectEqual(stats.PresentFrames * 4, NumberAfter(output, n, "MemPresent:"), "MemPresent kB");
        KTest.ExpectEqual(buddy->TotalFrames * 4, NumberAfter(output, n, "MemPresent:"), "MemPresent kB = allocator total frames x 4");
    }

    static void BuddyinfoSums()
    {
        byte* output = stackalloc byte[OutputBytes];
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        ulong free = PhysicalPages.Buddy->FreeFrames;
        CommandStatus status = Execute("buddyinfo", output, out int n);
        Kernel.Platform.Interrupts.Restore(token);
        KTest.ExpectEqual((long)CommandStatus.Ok, (long)status, "buddyinfo status");
        ulong sum = 0;
        int lines = 0;
        for (int i = 0; i < n; )
        {
            // "Node 0, zone      DMA      1      0 ..." : skip the zone name, then 11 counts.
            int p = i + 13;
            while (p < n && output[p] == (byte)' ') p++;
            while (p < n && output[p] != (byte)' ') p++;
            for (int order = 0; order <= 10; order++)
            {
                while (p < n && output[p] == (byte)' ') p++;
                ulong v = 0;
                while (p < n && output[p] >= (byte)'0' && output[p] <= (byte)'9') v = v * 10 + (ulong)(output[p++] - '0');
                sum += v << order;
            }
            while (p < n && output[p] != (byte)'\n') p++;
            i = p + 1;
            lines++;
        }
        KTest.Assert(lines >= 1, "at least one zone line");
        KTest.ExpectEqual(free, sum, "sum of free blocks x 2^order = allocator free frames");
    }

    static ulong s_probe = 0x1234;

    static void VtopAgrees()
    {
        ulong address;
        fixed (ulong* p = &s_probe) address = (ulong)p;
        KTest.ExpectEqual((long)PagingStatus.Ok, (long)PageTables.Translate(KernelAddressSpace.Root, address, out ulong physical, out PageFlags _, out PageSize _), "translate a static");
        byte* line = stackalloc byte[64];
        var l = new TextBuilder(line, 64);
        l.Append("vtop 0x");
        l.AppendHex(address, 16);
        byte* output = stackalloc byte[OutputBytes];
        var o = new TextBuilder(output, OutputBytes);
        CommandStatus status = ShellCommands.Table.Execute(line, l.Length, ref o);
        KTest.ExpectEqual((long)CommandStatus.Ok, (long)status, "vtop status");
        byte* expected = stackalloc byte[64];
        var e = new TextBuilder(expected, 64);
        e.Append("physical 0x");
        e.AppendHex(physical, 16);
        bool found = false;
        for (int i = 0; i + e.Length <= o.Length && !found; i++)
        {
            int k = 0;
            while (k < e.Length && output[i + k] == expected[k]) k++;
            found = k == e.Length;
        }
        KTest.Assert(found, "vtop prints the physical address Translate gives");
    }

    static void SlabinfoListsEveryCache()
    {
        Kernel.Memory.Slab.SlabAllocator* slab = Kernel.Memory.Slab.Kmem.Current;
        if (slab == null || !slab->IsInitialized) { KTest.Skip("no slab allocator"); return; }
        byte* output = stackalloc byte[OutputBytes];
        KTest.ExpectEqual((long)CommandStatus.Ok, (long)Execute("slabinfo", output, out int n), "slabinfo status");
        ulong caches = 0;
        for (Kernel.Memory.Slab.SlabCache* c = slab->FirstCache; c != null; c = c->NextCache) caches++;
        ulong lines = 0;
        for (int i = 0; i < n; i++)
            if ((i == 0 || output[i - 1] == (byte)'\n') && output[i] != (byte)'#') lines++;
        KTest.Assert(caches >= 14, "the kmalloc classes and kmem_cache exist");
        KTest.ExpectEqual(caches, lines, "one line per cache");
    }

    static void DmesgStripsLevels()
    {
        Log.Info("shell-suite: a line for dmesg");
        byte* output = stackalloc byte[OutputBytes];
        // The output buffer is smaller than the log: the tail is what matters here.
        byte* big = (byte*)Kernel.Boot.Memory.KernelVmalloc.Allocate(ShellBuffers.OutputBytes);
        KTest.Assert(big != null, "vmalloc for the output");
        var text = new TextBuilder(big, ShellBuffers.OutputBytes);
        byte* line = stackalloc byte[5];
        line[0] = (byte)'d'; line[1] = (byte)'m'; line[2] = (byte)'e'; line[3] = (byte)'s'; line[4] = (byte)'g';
        CommandStatus status = ShellCommands.Table.Execute(line, 5, ref text);
        bool found = false, prefix = false;
        for (int i = 0; i < text.Length; i++)
        {
            if ((i == 0 || big[i - 1] == (byte)'\n') && big[i] == (byte)'<') prefix = true;
            if (i + 11 <= text.Length && big[i] == (byte)'s' && big[i + 5] == (byte)'-' && big[i + 6] == (byte)'s' && big[i + 10] == (byte)'e' && big[i + 11] == (byte)':') found = true;
        }
        Kernel.Boot.Memory.KernelVmalloc.Free(big);
        KTest.ExpectEqual((long)CommandStatus.Ok, (long)status, "dmesg status");
        KTest.Assert(found, "the line just logged is in dmesg");
        KTest.Assert(!prefix, "no <level> prefixes at line starts");
    }

    static void UnknownCommand()
    {
        byte* output = stackalloc byte[OutputBytes];
        KTest.ExpectEqual((long)CommandStatus.NotFound, (long)Execute("no-such-command", output, out int n), "status");
        KTest.Assert(n > 0, "an error message");
        KTest.ExpectEqual((long)CommandStatus.Empty, (long)Execute("   ", output, out n), "blank line");
        KTest.ExpectEqual(0UL, (ulong)n, "blank line prints nothing");
    }

    static void BadArguments()
    {
        byte* output = stackalloc byte[OutputBytes];
        KTest.ExpectEqual((long)CommandStatus.BadUsage, (long)Execute("meminfo x", output, out int _), "meminfo x");
        KTest.ExpectEqual((long)CommandStatus.BadUsage, (long)Execute("vtop", output, out int _), "vtop without address");
        KTest.ExpectEqual((long)CommandStatus.BadUsage, (long)Execute("vtop 0xnothex", output, out int _), "vtop 0xnothex");
        KTest.ExpectEqual((long)CommandStatus.BadUsage, (long)Execute("help a b", output, out int n), "help a b");
        bool hasUsage = false;
        for (int i = 0; i + 6 <= n && !hasUsage; i++)
            hasUsage = output[i] == (byte)'u' && output[i + 1] == (byte)'s' && output[i + 2] == (byte)'a' && output[i + 3] == (byte)'g' && output[i + 4] == (byte)'e' && output[i + 5] == (byte)':';
        KTest.Assert(hasUsage, "a usage line follows the error");
    }

    static void EveryCommandDocumented()
    {
        CommandTable t = ShellCommands.Table;
        KTest.Assert(t.Count >= 18, "the issue's 18 commands at least");
        for (int i = 0; i < t.Count; i++)
        {
            KTest.Assert(t.SummaryAt(i) != null && t.SummaryAt(i).Length > 0, "a one-line summary");
            KTest.Assert(t.UsageAt(i) != null && t.UsageAt(i).Length >= t.NameAt(i).Length, "a usage line");
            KTest.Assert(t.UsageAt(i)[0] == t.NameAt(i)[0], "usage starts with the command");
        }
    }

    static void CompletionListsAll()
    {
        CommandTable t = ShellCommands.Table;
        int i = 0;
        while (ShellCommands.NameAt(i) != null) i++;
        KTest.ExpectEqual((ulong)t.Count, (ulong)i, "names before the first null");
    }
}
