// Runs in-guest benchmarks and prints one line each:
//   bench: buddy.pcp_alloc_free 320.00 ticks/op (order-0 alloc+free through the per-CPU cache; 200000 ops, best of 5)
// Each benchmark runs once to warm up, then Rounds times with interrupts off; the best round
// is reported. Ticks are TSC ticks: instructions under
// `-icount shift=0,sleep=off` (tools/Bench/guest-bench.sh), otherwise only roughly cycles.
// Nothing here asserts a figure: benchmarks report, tests judge.
namespace Kernel.Diagnostics.Benchmarks;

public static unsafe class BenchRunner
{
    const int Rounds = 5;

    /// <summary>Runs the benchmarks a comma-separated selection names ("all" for every one).
    /// Returns how many ran; names that match nothing are reported.</summary>
    public static int Run(byte* selection, int length)
    {
        BenchRegistry.Initialize();
        ReportUnknown(selection, length);
        int ran = 0;
        for (int i = 0; i < BenchRegistry.Count; i++)
        {
            Benchmark b = BenchRegistry.Get(i);
            if (!Selected(b, selection, length)) continue;
            RunOne(b);
            ran++;
        }
        KernelConsole.Print($"bench: {ran} benchmarks run\n");
        return ran;
    }

    static void RunOne(Benchmark b)
    {
        if (!b.Body(b.Operations / 10 + 1))
        {
            KernelConsole.Write("bench: ");
            KernelConsole.Write(b.Name);
            KernelConsole.Write(" could not run (out of memory?)\n");
            return;
        }
        ulong best = ulong.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            // Interrupts off during a round: a timer tick or a keystroke would add its
            // handler's instructions to the figure (uptime comes from the TSC, so no time is lost).
            ulong irq = Platform.Interrupts.SaveAndDisable();
            ulong start = Arch.X64.Cpu.ReadTsc();
            b.Body(b.Operations);
            ulong ticks = Arch.X64.Cpu.ReadTsc() - start;
            Platform.Interrupts.Restore(irq);
            if (ticks < best) best = ticks;
        }
        // Hundredths of a tick per operation, so small figures keep their precision.
        ulong centi = best * 100 / b.Operations;
        KernelConsole.Write("bench: ");
        KernelConsole.Write(b.Name);
        KernelConsole.Print($" {centi / 100}.{centi % 100:d2} ticks/op (");
        KernelConsole.Write(b.Operation);
        KernelConsole.Print($"; {b.Operations} ops, best of {Rounds})\n");
    }

    static bool Selected(Benchmark b, byte* selection, int length)
    {
        int start = 0;
        for (int i = 0; i <= length; i++)
        {
            if (i < length && selection[i] != (byte)',') continue;
            int n = i - start;
            if (IsAll(selection + start, n) || b.Matches(selection + start, n)) return true;
            start = i + 1;
        }
        return false;
    }

    static bool IsAll(byte* s, int n) => n == 3 && s[0] == (byte)'a' && s[1] == (byte)'l' && s[2] == (byte)'l';

    static void ReportUnknown(byte* selection, int length)
    {
        int start = 0;
        for (int i = 0; i <= length; i++)
        {
            if (i < length && selection[i] != (byte)',') continue;
            int n = i - start;
            bool known = n == 0 || IsAll(selection + start, n);
            for (int k = 0; !known && k < BenchRegistry.Count; k++)
                known = BenchRegistry.Get(k).Matches(selection + start, n);
            if (!known)
            {
                KernelConsole.Write("bench: nothing named '");
                KernelConsole.Write(selection + start, n);
                KernelConsole.Write("'\n");
            }
            start = i + 1;
        }
    }
}
