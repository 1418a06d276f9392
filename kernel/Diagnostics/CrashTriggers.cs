// Deliberate crashes, chosen with `crash=NAME` on the command line, so the test harness can
// check that each kind of fault produces its named report (with a symbolised C# method) and
// a clean exit, never a silent triple fault. Each trigger is a method of its own so the
// backtrace names it.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Boot;

namespace Kernel.Diagnostics;

public static unsafe class CrashTriggers
{
    public static void Run(CommandLine* cmdline)
    {
        Log.Warning("crash: deliberately crashing the kernel as the command line asks");
        if (cmdline->ValueEquals("crash", "divide")) DivideByZero(0);
        else if (cmdline->ValueEquals("crash", "null")) NullDereference(null);
        else if (cmdline->ValueEquals("crash", "ud")) InvalidOpcode();
        else if (cmdline->ValueEquals("crash", "gp")) GeneralProtection();
        else if (cmdline->ValueEquals("crash", "stack")) StackOverflow(1);
        else if (cmdline->ValueEquals("crash", "panic")) Panic.Halt("crash=panic asked for a panic");
        else if (cmdline->ValueEquals("crash", "nested")) FaultWhilePanicking();
        else
        {
            Log.Error("crash: unknown crash kind; known: divide, null, ud, gp, stack, panic, nested");
            return;
        }
        Panic.Halt("crash trigger returned without crashing");
    }

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "crash_divide")]
    static extern ulong DivideInstruction(ulong dividend, ulong divisor);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "crash_ud2")]
    static extern void Ud2();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "crash_non_canonical_read")]
    static extern ulong NonCanonicalRead();

    // The divide goes through a `div` instruction in assembly: ILC may insert its own zero
    // check before a C# division, and this test is about the CPU's #DE.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void DivideByZero(ulong divisor) => Log.Info($"crash: {DivideInstruction(1, divisor)}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void NullDereference(int* pointer) => Log.Info($"crash: read {*pointer}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void InvalidOpcode() => Ud2();

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void GeneralProtection() => Log.Info($"crash: read {NonCanonicalRead()}");

    // A fault in the middle of a panic report: the nested report must be one line, then stop.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void FaultWhilePanicking()
    {
        Panic.Enter("crash=nested: first panic");
        KernelConsole.Write("crash: panicking; now faulting inside the panic path\n");
        NullDereference(null);
    }

    // Unbounded recursion with a frame big enough to reach the guard page quickly.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static ulong StackOverflow(ulong depth)
    {
        byte* frame = stackalloc byte[512];
        frame[depth & 511] = (byte)depth;
        return StackOverflow(depth + 1) + frame[(depth * 7) & 511];
    }
}
