// The measuring overhead itself: a loop around a call that does nothing (not inlined, so the
// loop cannot be folded away). The other figures include about this much.
using System.Runtime.CompilerServices;

namespace Kernel.Diagnostics.Benchmarks;

public static unsafe class BaselineBenchmarks
{
    static ulong s_sink;

    public static bool EmptyLoop(ulong operations)
    {
        for (ulong i = 0; i < operations; i++)
            Nothing(i);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Nothing(ulong i) => s_sink = i;
}
