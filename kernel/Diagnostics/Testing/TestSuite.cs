// A named list of test cases. Suites are built once at boot by SuiteRegistry (they are small,
// long-lived objects from the object heap) and run by TestRunner.
namespace Kernel.Diagnostics.Testing;

public unsafe sealed class TestSuite
{
    public const int MaxCases = 64;

    public readonly string Name;
    /// <summary>Soak suites run only when named on the command line, never under test=all.</summary>
    public readonly bool Slow;
    readonly string[] _names = new string[MaxCases];
    readonly ulong[] _bodies = new ulong[MaxCases];
    int _count;

    public TestSuite(string name, bool slow = false)
    {
        Name = name;
        Slow = slow;
    }

    public int Count => _count;
    public string CaseName(int i) => _names[i];
    public delegate*<void> CaseBody(int i) => (delegate*<void>)_bodies[i];

    public void Add(string caseName, delegate*<void> body)
    {
        if (_count == MaxCases) Panic.Halt("too many cases in one test suite");
        _names[_count] = caseName;
        _bodies[_count] = (ulong)body;
        _count++;
    }
}
