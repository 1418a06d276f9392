// bench [name...]: runs the in-guest benchmarks (Diagnostics/Benchmarks) and prints a figure
// per benchmark. Figures are TSC ticks: instructions only under -icount (tools/Bench).
using Kernel.Diagnostics;
using Kernel.Diagnostics.Benchmarks;

namespace Kernel.Shell.Commands;

public static unsafe class BenchCommand
{
    public const string Name = "bench", Summary = "in-guest allocator microbenchmarks", Usage = "bench [all | name,...]";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 1, ref output, Name, out CommandStatus status)) return status;
        byte* all = stackalloc byte[3];
        all[0] = (byte)'a'; all[1] = (byte)'l'; all[2] = (byte)'l';
        int length = 3;
        byte* selection = args->Count == 2 ? args->Get(1, out length) : all;
        int ran = BenchRunner.Run(selection, length);
        if (ran > 0) return CommandStatus.Ok;
        output.Append("bench: nothing matched\n");
        return CommandStatus.BadUsage;
    }
}
