// Host benchmark of the VMA tree and VmSpace (kernel/Memory/Virtual): find, insert+remove,
// mmap+munmap, mprotect split+merge, each with 10 and with 10,000 VMAs present, in ns/op, and
// the ratio 10,000 : 10 (issue 7's bar: at most 2). Asserts nothing.
using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Kernel.Memory.Virtual;

unsafe
{
#if DEBUG
    Console.WriteLine("warning: Debug build; run with -c Release for meaningful figures");
#endif
    const ulong P = 4096;
    long iterations = args.Length > 0 ? long.Parse(args[0]) : 1_000_000;
    int[] sizes = { 10, 10_000 };
    string[] names = { "tree Find (random VMA)", "tree Insert + Remove (random gap)", "mmap(NULL, 4K) + munmap",
                       "mmap(MAP_FIXED, random gap) + munmap", "mprotect middle page split + merge back", "FaultDecision.Decide (random VMA)" };
    var best = new double[names.Length, sizes.Length];
    var median = new double[names.Length, sizes.Length];
    var allocator = new VmaNodeAllocator { Allocate = &AllocateNode, Free = &FreeNode };

    Console.WriteLine($"VmaBench: {iterations:N0} iterations x 5 runs per figure; VMA node {sizeof(VmArea)} bytes");
    for (int s = 0; s < sizes.Length; s++)
    {
        int n = sizes[s];
        VmSpace* space = (VmSpace*)NativeMemory.AllocZeroed((nuint)sizeof(VmSpace));
        space->Initialize(allocator, default);
        // n VMAs of 3 pages with a 1-page hole after each, alternating protections so none
        // merge, ending at mmap_base: top-down searches have to walk the tree.
        ulong stride = 4 * P, low = space->MmapBase - (ulong)n * stride;
        for (int i = 0; i < n; i++)
        {
            ulong a = low + (ulong)i * stride;
            int prot = i % 2 == 0 ? Prot.Read | Prot.Write : Prot.Read;
            if (space->Mmap(a, 3 * P, prot, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, null, 0) != (long)a)
                throw new InvalidOperationException("setup");
        }
        if (space->MapCount != n) throw new InvalidOperationException("merged");
        // Random VMA indices, the same sequence for both sizes' index ranges.
        const int Mask = 4095;
        ulong* pick = (ulong*)NativeMemory.Alloc(4096 * sizeof(ulong));
        ulong x = 88172645463325252UL;
        bool sequential = Environment.GetEnvironmentVariable("VMABENCH_SEQUENTIAL") == "1";
        for (int i = 0; i < 4096; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; pick[i] = low + (sequential ? (ulong)i % (ulong)n : x % (ulong)n) * stride; }

        ulong sink = 0;
        Measure(0, s, iterations, count =>
        {
            for (long i = 0; i < count; i++) sink += space->Tree.Find(pick[i & Mask] + P)->Start;
        });
        Measure(1, s, iterations, count =>
        {
            for (long i = 0; i < count; i++)
            {
                VmArea* node = space->Tree.NewNode();
                node->Start = pick[i & Mask] + 3 * P;
                node->End = node->Start + P;
                space->Tree.Insert(node);
                space->Tree.Remove(node);
                space->Tree.FreeNode(node);
            }
        });
        Measure(2, s, iterations, count =>
        {
            for (long i = 0; i < count; i++)
            {
                long a = space->Mmap(0, P, Prot.Read | Prot.Write | Prot.Exec, MapFlags.Private | MapFlags.Anonymous, null, 0);
                space->Munmap((ulong)a, P);
            }
        });
        Measure(3, s, iterations, count =>
        {
            for (long i = 0; i < count; i++)
            {
                ulong a = pick[i & Mask] + 3 * P;
                space->Mmap(a, P, Prot.Exec, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, null, 0);
                space->Munmap(a, P);
            }
        });
        Measure(4, s, iterations, count =>
        {
            for (long i = 0; i < count; i++)
            {
                ulong a = pick[i & Mask] + P;
                space->Mprotect(a, P, Prot.None);
                space->Mprotect(a, P, space->Tree.Find(a - P)->Protection);
            }
        });
        Measure(5, s, iterations, count =>
        {
            PteState none = default;
            for (long i = 0; i < count; i++)
                sink += (ulong)FaultDecision.Decide(space, pick[i & Mask] + P, FaultAccess.Write | FaultAccess.User, in none, out _);
        });
        VmaViolation v = space->Validate(out _);
        Console.WriteLine($"  {n,6} VMAs: tree height {space->Tree.Height()}, map count {space->MapCount}, invariants {v} (sink {sink & 1})");
        space->Destroy();
        NativeMemory.Free(pick);
        NativeMemory.Free(space);
    }

    Console.WriteLine();
    Console.WriteLine($"{"operation",-42} {"10 VMAs",10} {"10,000 VMAs",12} {"ratio",7}   (best of 5, ns/op; medians in brackets)");
    for (int b = 0; b < names.Length; b++)
        Console.WriteLine($"{names[b],-42} {best[b, 0],10:F1} {best[b, 1],12:F1} {best[b, 1] / best[b, 0],7:F2}   [{median[b, 0]:F1} / {median[b, 1]:F1}: {median[b, 1] / median[b, 0]:F2}]");

    void Measure(int bench, int size, long count, Action<long> body)
    {
        body(Math.Max(count / 10, 1000)); // warm-up: tiering, caches
        var ns = new double[5];
        for (int r = 0; r < ns.Length; r++)
        {
            var sw = Stopwatch.StartNew();
            body(count);
            sw.Stop();
            ns[r] = sw.Elapsed.TotalNanoseconds / count;
        }
        Array.Sort(ns);
        best[bench, size] = ns[0];
        median[bench, size] = ns[2];
    }
}

static unsafe VmArea* AllocateNode(void* context) => (VmArea*)NativeMemory.AlignedAlloc(128, 64); // as the kernel's VmaNodePages slots
static unsafe void FreeNode(void* context, VmArea* node) => NativeMemory.AlignedFree(node);
