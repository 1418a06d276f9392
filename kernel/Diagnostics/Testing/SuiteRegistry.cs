// The list of in-guest suites, in the order they run. Adding a suite means adding one line
// here (the suites themselves live in tests/InGuest/).
using Kernel.Tests.InGuest;

namespace Kernel.Diagnostics.Testing;

public static unsafe class SuiteRegistry
{
    const int MaxSuites = 32;
    static TestSuite[] s_suites;
    static int s_count;

    public static int Count => s_count;
    public static TestSuite Get(int i) => s_suites[i];

    public static void Initialize()
    {
        s_suites = new TestSuite[MaxSuites];
        Add(FormatSuite.Name, &FormatSuite.Register);
        Add(CommandLineSuite.Name, &CommandLineSuite.Register);
        Add(Multiboot2Suite.Name, &Multiboot2Suite.Register);
        Add(RuntimeSuite.Name, &RuntimeSuite.Register);
        Add(CpuSuite.Name, &CpuSuite.Register);
        Add(ExceptionSuite.Name, &ExceptionSuite.Register);
        Add(LogSuite.Name, &LogSuite.Register);
        Add(MemblockSuite.Name, &MemblockSuite.Register);
        Add(BuddySuite.Name, &BuddySuite.Register);
        Add(PageTableSuite.Name, &PageTableSuite.Register);
        Add(VmallocSuite.Name, &VmallocSuite.Register);
        Add(SlabSuite.Name, &SlabSuite.Register);
        Add(VmaSuite.Name, &VmaSuite.Register);
        Add(IrqSuite.Name, &IrqSuite.Register);
        Add(TimerSuite.Name, &TimerSuite.Register);
        Add(DriversSuite.Name, &DriversSuite.Register);
        Add(ShellSuite.Name, &ShellSuite.Register);
        Add(UserCopySuite.Name, &UserCopySuite.Register);
        Add(InitrdSuite.Name, &InitrdSuite.Register);
        Add(ElfSuite.Name, &ElfSuite.Register);
        Add(ProcessSuite.Name, &ProcessSuite.Register);
        Add(MmSuite.Name, &MmSuite.Register);
        Add(ProcSuite.Name, &ProcSuite.Register);
        Add(SignalSuite.Name, &SignalSuite.Register);
        Add(ProcessGroupSuite.Name, &ProcessGroupSuite.Register);
        Add(MmSuite.SoakName, &MmSuite.RegisterSoak, slow: true);
    }

    static void Add(string name, delegate*<TestSuite, void> register, bool slow = false)
    {
        var suite = new TestSuite(name, slow);
        register(suite);
        s_suites[s_count++] = suite;
    }

    public static TestSuite Find(byte* name, int length)
    {
        for (int i = 0; i < s_count; i++)
            if (Boot.CommandLine.BytesEqual(name, length, s_suites[i].Name)) return s_suites[i];
        return null;
    }
}
