// Assertions for in-guest test cases. A failed assertion prints a KTAP diagnostic saying what
// was expected and what came, then ends the current case at once (through try_abort, back to
// the runner); the run goes on with the next case. Skip ends the case as skipped.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Kernel.Diagnostics.Testing;

public static unsafe class KTest
{
    internal enum Outcome { Pass, Fail, Skip }

    internal struct JumpContext { public fixed ulong Registers[8]; }
    static JumpContext s_context;
    static bool s_inCase;
    static Outcome s_outcome;
    static string s_skipReason;
    static string s_caseName;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "try_call")]
    static extern int TryCall(delegate*<void> function, ulong* context);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "try_abort")]
    static extern void TryAbort(ulong* context);

    internal static string SkipReason => s_skipReason;

    /// <summary>Runs one case body; its outcome is Fail if an assertion failed, Skip if it skipped.</summary>
    internal static Outcome Run(string caseName, delegate*<void> body)
    {
        s_outcome = Outcome.Pass;
        s_skipReason = null;
        s_caseName = caseName;
        s_inCase = true;
        fixed (ulong* ctx = s_context.Registers) TryCall(body, ctx);
        s_inCase = false;
        return s_outcome;
    }

    static void EndCase(Outcome outcome)
    {
        s_outcome = outcome;
        if (!s_inCase) Panic.Halt("test assertion outside a test case");
        fixed (ulong* ctx = s_context.Registers) TryAbort(ctx);
    }

    public static void Fail(string message)
    {
        TestRunner.PrintDiagnostic($"{s_caseName}: {message}");
        EndCase(Outcome.Fail);
    }

    public static void Assert(bool condition, string message)
    {
        if (!condition) Fail(message);
    }

    public static void ExpectEqual(long expected, long actual, string what)
    {
        if (expected == actual) return;
        TestRunner.PrintDiagnostic($"{s_caseName}: {what}: expected {expected}, got {actual}");
        EndCase(Outcome.Fail);
    }

    public static void ExpectEqual(ulong expected, ulong actual, string what)
    {
        if (expected == actual) return;
        TestRunner.PrintDiagnostic($"{s_caseName}: {what}: expected {expected} (0x{expected:x}), got {actual} (0x{actual:x})");
        EndCase(Outcome.Fail);
    }

    /// <summary>Compares bytes with ASCII text.</summary>
    public static void ExpectBytes(byte* actual, int actualLength, string expected, string what)
    {
        bool same = actualLength == expected.Length;
        for (int i = 0; same && i < actualLength; i++) same = actual[i] == expected[i];
        if (same) return;
        var line = new LogLine(0, 0);
        line.AppendLiteral(s_caseName);
        line.AppendLiteral(": ");
        line.AppendLiteral(what);
        line.AppendLiteral(": expected \"");
        line.AppendLiteral(expected);
        line.AppendLiteral("\", got \"");
        byte* shown = stackalloc byte[96];
        var t = new TextBuilder(shown, 96);
        t.AppendBytes(actual, actualLength < 96 ? actualLength : 96);
        for (int i = 0; i < t.Length; i++) line.AppendFormatted(shown[i] >= 32 && shown[i] < 127 ? (char)shown[i] : '.');
        line.AppendLiteral("\"");
        TestRunner.PrintDiagnostic(ref line);
        EndCase(Outcome.Fail);
    }

    public static void Skip(string reason)
    {
        s_skipReason = reason;
        EndCase(Outcome.Skip);
    }
}
