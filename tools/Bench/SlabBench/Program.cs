// SlabBench: kmalloc/kfree (the kernel's slab allocator, compiled in by path) against glibc
// malloc, mimalloc and jemalloc in one process. Default: BenchmarkDotNet, in process (the
// kernel sources need no separate build), a short job per benchmark, ns/op and the ratio to
// kmalloc per scenario. `--quick [iterations]`: a Stopwatch loop over the same scenario bodies
// (best of 7 runs) printing ns/op and ratios in a few seconds. Asserts nothing.
using System;
using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SlabBench;

public static unsafe class Program
{
    public static void SetupAll()
    {
        Host.Start();
        Native.Load();
        Scenarios.Setup<Kmalloc>();
        Scenarios.Setup<KmemCache64>();
        Scenarios.Setup<Glibc>();
        Scenarios.Setup<Mimalloc>();
        Scenarios.Setup<Jemalloc>();
    }

    // Debian's jemalloc uses initial-exec TLS, which a dlopen after start-up cannot get unless
    // glibc reserves more static TLS: the tunable must be set before the process starts, so the
    // benchmark re-runs itself with it (LD_PRELOAD would replace glibc's malloc, a peer).
    const string Tunable = "glibc.rtld.optional_static_tls=65536";

    static int RerunWithStaticTls(string[] args)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        string entry = System.Reflection.Assembly.GetEntryAssembly()!.Location;
        if (!Environment.ProcessPath!.EndsWith("SlabBench")) psi.ArgumentList.Add(entry);
        foreach (string a in args) psi.ArgumentList.Add(a);
        string old = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        psi.Environment["GLIBC_TUNABLES"] = string.IsNullOrEmpty(old) ? Tunable : old + ":" + Tunable;
        using var child = Process.Start(psi)!;
        child.WaitForExit();
        return child.ExitCode;
    }

    public static int Main(string[] args)
    {
        string tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "";
        if (!tunables.Contains("optional_static_tls"))
            return RerunWithStaticTls(args);
#if DEBUG
        Console.WriteLine("warning: Debug build; run with -c Release for meaningful figures");
#endif
        if (args.Length > 0 && args[0] == "--quick")
            return Quick(args.Length > 1 ? int.Parse(args[1]) : 2000);
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromTypes(new[] { typeof(AllocatorBenchmarks) }).Run(args, config);
        return 0;
    }

    static int Quick(int calls)
    {
        SetupAll();
        string[] names = { "kmalloc", "glibc", "mimalloc", "jemalloc", "kmem_cache" };
        Console.WriteLine($"SlabBench --quick: {calls} calls x best of 7 per cell; ns per alloc+free pair; ratio = ns / kmalloc ns");
        Console.WriteLine($"{"scenario",-20}{names[0],10}{names[1],18}{names[2],18}{names[3],18}{names[4],18}");
        Row("churn_8", Scenarios.Ops, calls, () => Scenarios.Churn<Kmalloc>(8), () => Scenarios.Churn<Glibc>(8), () => Scenarios.Churn<Mimalloc>(8), () => Scenarios.Churn<Jemalloc>(8), null);
        Row("churn_64", Scenarios.Ops, calls, () => Scenarios.Churn<Kmalloc>(64), () => Scenarios.Churn<Glibc>(64), () => Scenarios.Churn<Mimalloc>(64), () => Scenarios.Churn<Jemalloc>(64), () => Scenarios.Churn<KmemCache64>(64));
        Row("churn_256", Scenarios.Ops, calls, () => Scenarios.Churn<Kmalloc>(256), () => Scenarios.Churn<Glibc>(256), () => Scenarios.Churn<Mimalloc>(256), () => Scenarios.Churn<Jemalloc>(256), null);
        Row("churn_2048", Scenarios.Ops, calls, () => Scenarios.Churn<Kmalloc>(2048), () => Scenarios.Churn<Glibc>(2048), () => Scenarios.Churn<Mimalloc>(2048), () => Scenarios.Churn<Jemalloc>(2048), null);
        Row("random_8_1024", Scenarios.Ops, calls, Scenarios.RandomSizes<Kmalloc>, Scenarios.RandomSizes<Glibc>, Scenarios.RandomSizes<Mimalloc>, Scenarios.RandomSizes<Jemalloc>, null);
        Row("alloc_n_free_n", Scenarios.Burst, calls, Scenarios.AllocNFreeN<Kmalloc>, Scenarios.AllocNFreeN<Glibc>, Scenarios.AllocNFreeN<Mimalloc>, Scenarios.AllocNFreeN<Jemalloc>, null);
        Row("producer_consumer", Scenarios.Ops, calls, Scenarios.ProducerConsumer<Kmalloc>, Scenarios.ProducerConsumer<Glibc>, Scenarios.ProducerConsumer<Mimalloc>, Scenarios.ProducerConsumer<Jemalloc>, null);
        Console.WriteLine($"slab reports during the runs: {Host.Reports} (must be 0)");
        return 0;
    }

    static void Row(string name, int opsPerCall, int calls, Action ours, Action glibc, Action mi, Action je, Action cache)
    {
        double k = Measure(ours, opsPerCall, calls);
        Console.Write($"{name,-20}{k,8:F2}ns");
        foreach (Action peer in new[] { glibc, mi, je, cache })
        {
            if (peer == null) { Console.Write($"{"",18}"); continue; }
            double ns = Measure(peer, opsPerCall, calls);
            Console.Write($"{ns,8:F2}ns ({ns / k,5:F2}x)");
        }
        Console.WriteLine();
    }

    static double Measure(Action body, int opsPerCall, int calls)
    {
        // Warm-up: caches, and the JIT's tiers. Tier-up waits for ~100 ms without new tier-0
        // activity, so a warm-up shorter than that measures unoptimised code: run at least 400 ms.
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < calls || warm.ElapsedMilliseconds < 400; i++) body();
        double best = double.MaxValue;
        for (int run = 0; run < 7; run++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) body();
            sw.Stop();
            double ns = sw.Elapsed.TotalNanoseconds / ((double)calls * opsPerCall);
            if (ns < best) best = ns;
        }
        return best;
    }
}
