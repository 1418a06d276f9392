// The list of in-guest benchmarks, in the order they run. Adding one means adding one line
// here; the bodies live next to the subsystem they measure (e.g. BuddyBenchmarks.cs).
namespace Kernel.Diagnostics.Benchmarks;

public static unsafe class BenchRegistry
{
    const int MaxBenchmarks = 32;
    static Benchmark[] s_benchmarks;
    static int s_count;

    public static int Count => s_count;
    public static Benchmark Get(int i) => s_benchmarks[i];

    /// <summary>Builds the list once (boot-lifetime objects); later calls do nothing.</summary>
    public static void Initialize()
    {
        if (s_benchmarks != null) return;
        s_benchmarks = new Benchmark[MaxBenchmarks];
        Add(new Benchmark("loop.empty", "an empty loop iteration: the measuring overhead", &BaselineBenchmarks.EmptyLoop, 1_000_000));
        Add(new Benchmark("buddy.pcp_alloc_free", "order-0 alloc+free through the per-CPU cache", &BuddyBenchmarks.PerCpuAllocFree, 200_000));
        Add(new Benchmark("buddy.pcp_burst", "order-0 alloc+free in bursts of 256 (per-CPU refill and drain)", &BuddyBenchmarks.PerCpuBurst, 51_200));
        Add(new Benchmark("buddy.direct_alloc_free", "order-0 alloc+free on the buddy free lists", &BuddyBenchmarks.DirectAllocFree, 200_000));
        Add(new Benchmark("buddy.order3_alloc_free", "order-3 alloc+free through the per-CPU cache", &BuddyBenchmarks.Order3AllocFree, 100_000));
        Add(new Benchmark("slab.cache_alloc_free", "kmem_cache_alloc+free of a 64-byte object (sheaf fast path)", &SlabBenchmarks.CacheAllocFree, 500_000));
        Add(new Benchmark("slab.kmalloc_free_64", "kmalloc(64)+kfree (size table, descriptor lookup, sheaf)", &SlabBenchmarks.KmallocFree64, 500_000));
        Add(new Benchmark("slab.kmalloc_burst_256", "kmalloc(256)+kfree in bursts of 256 (sheaf refill and flush)", &SlabBenchmarks.KmallocBurst, 102_400));
        Add(new Benchmark("slab.kmalloc_large_16k", "kmalloc(16384)+kfree (order-2 buddy block)", &SlabBenchmarks.KmallocLarge, 100_000));
        Add(new Benchmark("vma.find_10", "VMA lookup (find_vma) with 10 VMAs", &VmaBenchmarks.Find10, 100_000));
        Add(new Benchmark("vma.find_10000", "VMA lookup (find_vma) with 10,000 VMAs", &VmaBenchmarks.Find10000, 100_000));
        Add(new Benchmark("vma.mmap_munmap_10", "mmap(NULL, 4K) + munmap, VMA side, 10 VMAs", &VmaBenchmarks.MmapMunmap10, 20_000));
        Add(new Benchmark("vma.mmap_munmap_10000", "mmap(NULL, 4K) + munmap, VMA side, 10,000 VMAs", &VmaBenchmarks.MmapMunmap10000, 20_000));
        Add(new Benchmark("vma.mprotect_10", "mprotect middle page split + merge back, 10 VMAs", &VmaBenchmarks.Mprotect10, 20_000));
        Add(new Benchmark("vma.mprotect_10000", "mprotect middle page split + merge back, 10,000 VMAs", &VmaBenchmarks.Mprotect10000, 20_000));
    }

    static void Add(Benchmark b)
    {
        if (s_count == MaxBenchmarks) Panic.Halt("too many benchmarks");
        s_benchmarks[s_count++] = b;
    }
}
