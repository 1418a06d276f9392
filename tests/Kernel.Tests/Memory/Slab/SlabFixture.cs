using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Kernel.Diagnostics;
using Kernel.Memory.Physical;
using Kernel.Memory.Slab;
using Kernel.Tests.Memory.Physical;

namespace Kernel.Tests.Memory.Slab;

/// <summary>
/// A slab allocator over a real host buddy allocator over host memory standing in for RAM
/// (HostRam moves PhysicalMap's offset: slab tests run in the serial PhysicalMapCollection).
/// The SlabAllocator lives in native memory (caches point back at it); reports are collected.
/// </summary>
public sealed unsafe class SlabFixture : IDisposable
{
    public const ulong MiB = 1024 * 1024;
    public const ulong RamBase = 16 * MiB;

    static BuddyAllocator s_buddy;
    static List<SlabReport> t_reports;
    static List<string> t_texts;

    public readonly HostRam Ram;
    public readonly BuddyFixture Buddy;
    public readonly SlabAllocator* A;
    public readonly ulong FreeFramesBefore;
    public List<SlabReport> Reports => t_reports;
    public List<string> ReportTexts => t_texts;

    public SlabFixture(ulong ramBytes = 64 * MiB, SlabFlags debug = SlabFlags.None, ulong seed = 12345)
    {
        Ram = new HostRam(RamBase, ramBytes);
        Buddy = BuddyFixture.AllFree((RamBase, RamBase + ramBytes));
        s_buddy = Buddy.A;
        FreeFramesBefore = Buddy.A.FreeFrames;
        t_reports = new List<SlabReport>();
        t_texts = new List<string>();
        A = (SlabAllocator*)NativeMemory.AllocZeroed((nuint)sizeof(SlabAllocator));
        SlabPageSource source;
        source.AllocatePages = &AllocatePages;
        source.FreePages = &FreePages;
        source.Frames = Buddy.A.Map;
        SlabHooks hooks = default;
        hooks.Report = &OnReport;
        SlabStatus s = A->Initialize(source, hooks, debug, seed);
        if (s != SlabStatus.Ok)
            throw new InvalidOperationException("slab Initialize: " + s);
        Kmem.Current = A;
    }

    static ulong AllocatePages(int order) => s_buddy.AllocatePages(order, ZoneType.Normal);

    static void FreePages(ulong physical, int order)
    {
        FreeResult r = s_buddy.FreePages(physical, order);
        if (!r.IsOk)
            throw new InvalidOperationException($"slab gave back a bad block {physical:x} order {order}: {r.Status}");
    }

    static void OnReport(SlabReport* r)
    {
        t_reports.Add(*r);
        byte* buffer = stackalloc byte[1024];
        var t = new TextBuilder(buffer, 1024);
        SlabReport.Write(ref t, r, null);
        t_texts.Add(System.Text.Encoding.ASCII.GetString(buffer, t.Length));
    }

    public int CountReports(SlabError kind)
    {
        int n = 0;
        foreach (SlabReport r in t_reports)
            if (r.Kind == kind) n++;
        return n;
    }

    /// <summary>Frames free in the buddy (its per-CPU cache drained).</summary>
    public ulong BuddyFreeFrames
    {
        get
        {
            Buddy.A.DrainAllPerCpu();
            return Buddy.A.FreeFrames;
        }
    }

    public SlabCache* Create(string name, uint size, uint align = 0, SlabFlags flags = SlabFlags.None, delegate*<void*, void> ctor = null)
    {
        SlabCache* c = A->CreateCache(name, size, align, flags, ctor, out SlabStatus s);
        if (c == null)
            throw new InvalidOperationException($"CreateCache {name}: {s}");
        return c;
    }

    public string SlabInfo()
    {
        byte* buffer = (byte*)NativeMemory.Alloc(16384);
        try
        {
            var t = new TextBuilder(buffer, 16384);
            SlabInfoText.Write(ref t, A);
            return System.Text.Encoding.ASCII.GetString(buffer, t.Length);
        }
        finally { NativeMemory.Free(buffer); }
    }

    public void Dispose()
    {
        Kmem.Current = null;
        NativeMemory.Free(A);
        Buddy.Dispose();
        Ram.Dispose();
    }
}
