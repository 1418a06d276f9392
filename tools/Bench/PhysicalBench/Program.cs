// Host benchmark of the buddy frame allocator (kernel/Memory/Physical). Reports nanoseconds per
// order-0 allocation + free through (a) the per-CPU cache and (b) the buddy lists directly, with
// glibc malloc/free of 4 KiB as a peer measured in the same process. Asserts nothing.
using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Kernel.Memory;
using Kernel.Memory.Physical;

unsafe
{
#if DEBUG
    Console.WriteLine("warning: Debug build; run with -c Release for meaningful figures");
#endif
    const ulong MiB = 1UL << 20, GiB = 1UL << 30;
    const int Runs = 5;
    long iterations = args.Length > 0 ? long.Parse(args[0]) : 3_000_000;

    // 1 GiB of DMA32 and 1 GiB of Normal, all free. Frame contents are never touched (no poisoning).
    RamRange* ranges = stackalloc RamRange[2];
    ranges[0] = new RamRange(16 * MiB, 16 * MiB + GiB);
    ranges[1] = new RamRange(4 * GiB, 5 * GiB);
    ulong metaBytes = BuddyAllocator.MetadataBytesNeeded(ranges, 2);
    void* meta = NativeMemory.Alloc((nuint)metaBytes);
    BuddyAllocator a = default;
    if (a.Initialize(ranges, 2, meta, metaBytes) != InitStatus.Ok)
        throw new InvalidOperationException("initialize");
    a.AddFreeRange(ranges[0].StartPfn, ranges[0].EndPfn);
    a.AddFreeRange(ranges[1].StartPfn, ranges[1].EndPfn);
    var pcp = a.PerCpu(0, ZoneType.Normal);

    Console.WriteLine($"PhysicalBench: {a.ManagedFrames} frames managed, metadata {metaBytes} bytes " +
                      $"({100.0 * metaBytes / (a.TotalFrames * 4096):F3} % of RAM), descriptor {sizeof(PageDescriptor)} bytes");
    Console.WriteLine($"per-CPU batch {pcp->Batch}, high {pcp->High}; {iterations:N0} iterations x {Runs} runs, best and median shown");
    Console.WriteLine();

    ulong* burst = (ulong*)NativeMemory.Alloc(1024 * sizeof(ulong));

    Report("(a) per-CPU cache: AllocatePage + FreePage", iterations, n =>
    {
        for (long i = 0; i < n; i++)
        {
            ulong p = a.AllocatePage();
            a.FreePage(p);
        }
    });
    Report("(a') per-CPU cache, bursts of 1024 (refill/drain)", iterations, n =>
    {
        for (long i = 0; i < n; i += 1024)
        {
            for (int k = 0; k < 1024; k++) burst[k] = a.AllocatePage();
            for (int k = 0; k < 1024; k++) a.FreePage(burst[k]);
        }
    });
    Report("(b) buddy lists: AllocatePagesDirect(0) + FreePagesDirect", iterations, n =>
    {
        for (long i = 0; i < n; i++)
        {
            ulong p = a.AllocatePagesDirect(0, ZoneType.Normal);
            a.FreePagesDirect(p, 0);
        }
    });
    Report("(b') buddy lists, bursts of 1024", iterations, n =>
    {
        for (long i = 0; i < n; i += 1024)
        {
            for (int k = 0; k < 1024; k++) burst[k] = a.AllocatePagesDirect(0, ZoneType.Normal);
            for (int k = 0; k < 1024; k++) a.FreePagesDirect(burst[k], 0);
        }
    });
    Report("(peer) glibc malloc(4096) + free", iterations, n =>
    {
        for (long i = 0; i < n; i++)
        {
            void* p = NativeMemory.Alloc(4096);
            NativeMemory.Free(p);
        }
    });

    a.DrainPerCpu();
    InvariantReport inv = a.CheckInvariants();
    Console.WriteLine();
    Console.WriteLine($"after the runs: free {a.FreeFrames} of {a.ManagedFrames} frames, invariants {(inv.IsOk ? "ok" : inv.Violation.ToString())}");
    NativeMemory.Free(burst);
    NativeMemory.Free(meta);
}

static void Report(string name, long iterations, Action<long> body)
{
    body(Math.Max(iterations / 10, 1024));                 // warm-up: tiering, caches, lists
    var ns = new double[5];
    for (int r = 0; r < ns.Length; r++)
    {
        var sw = Stopwatch.StartNew();
        body(iterations);
        sw.Stop();
        ns[r] = sw.Elapsed.TotalNanoseconds / iterations;
    }
    Array.Sort(ns);
    Console.WriteLine($"{name,-55} best {ns[0],7:F1} ns/op   median {ns[ns.Length / 2],7:F1} ns/op");
}
