// One in-guest microbenchmark: a name ("group.case"), what one operation is, and a body that
// performs `operations` of them. The runner times the body with the TSC; under QEMU with
// `-icount shift=0,sleep=off` one tick is one guest instruction, so figures repeat exactly.
namespace Kernel.Diagnostics.Benchmarks;

public unsafe sealed class Benchmark
{
    public readonly string Name;
    /// <summary>What one operation is, printed after the figure ("order-0 alloc+free").</summary>
    public readonly string Operation;
    /// <summary>Runs <c>operations</c> operations; returns false if it could not (out of memory...).</summary>
    public readonly delegate*<ulong, bool> Body;
    public readonly ulong Operations;

    public Benchmark(string name, string operation, delegate*<ulong, bool> body, ulong operations)
    {
        Name = name;
        Operation = operation;
        Body = body;
        Operations = operations;
    }

    /// <summary>"buddy" selects every "buddy.*" benchmark; a full name selects one.</summary>
    public bool Matches(byte* selector, int length)
    {
        if (length <= 0 || length > Name.Length) return false;
        for (int i = 0; i < length; i++)
            if (Name[i] != selector[i]) return false;
        return length == Name.Length || Name[length] == '.';
    }
}
