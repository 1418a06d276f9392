// The shell's commands, in the order `help` lists them. Adding a command: write
// Commands/FooCommand.cs (Name, Summary, Usage, Run) and add its line here.
using Kernel.Shell.Commands;

namespace Kernel.Shell;

public static unsafe class ShellCommands
{
    static CommandTable s_table;

    public static CommandTable Table
    {
        get
        {
            if (s_table == null) s_table = Create();
            return s_table;
        }
    }

    static CommandTable Create()
    {
        var t = new CommandTable();
        t.Add(HelpCommand.Name, HelpCommand.Summary, HelpCommand.Usage, &HelpCommand.Run);
        t.Add(MeminfoCommand.Name, MeminfoCommand.Summary, MeminfoCommand.Usage, &MeminfoCommand.Run);
        t.Add(BuddyinfoCommand.Name, BuddyinfoCommand.Summary, BuddyinfoCommand.Usage, &BuddyinfoCommand.Run);
        t.Add(SlabinfoCommand.Name, SlabinfoCommand.Summary, SlabinfoCommand.Usage, &SlabinfoCommand.Run);
        t.Add(VtopCommand.Name, VtopCommand.Summary, VtopCommand.Usage, &VtopCommand.Run);
        t.Add(DmesgCommand.Name, DmesgCommand.Summary, DmesgCommand.Usage, &DmesgCommand.Run);
        t.Add(UptimeCommand.Name, UptimeCommand.Summary, UptimeCommand.Usage, &UptimeCommand.Run);
        t.Add(DateCommand.Name, DateCommand.Summary, DateCommand.Usage, &DateCommand.Run);
        t.Add(CpuinfoCommand.Name, CpuinfoCommand.Summary, CpuinfoCommand.Usage, &CpuinfoCommand.Run);
        t.Add(InterruptsCommand.Name, InterruptsCommand.Summary, InterruptsCommand.Usage, &InterruptsCommand.Run);
        t.Add(AcpiCommand.Name, AcpiCommand.Summary, AcpiCommand.Usage, &AcpiCommand.Run);
        t.Add(CmdlineCommand.Name, CmdlineCommand.Summary, CmdlineCommand.Usage, &CmdlineCommand.Run);
        t.Add(TestCommand.Name, TestCommand.Summary, TestCommand.Usage, &TestCommand.Run);
        t.Add(BenchCommand.Name, BenchCommand.Summary, BenchCommand.Usage, &BenchCommand.Run);
        t.Add(RunCommand.Name, RunCommand.Summary, RunCommand.Usage, &RunCommand.Run);
        t.Add(PsCommand.Name, PsCommand.Summary, PsCommand.Usage, &PsCommand.Run);
        t.Add(MapsCommand.Name, MapsCommand.Summary, MapsCommand.Usage, &MapsCommand.Run);
        t.Add(KillCommand.Name, KillCommand.Summary, KillCommand.Usage, &KillCommand.Run);
        t.Add(EchoCommand.Name, EchoCommand.Summary, EchoCommand.Usage, &EchoCommand.Run);
        t.Add(ClearCommand.Name, ClearCommand.Summary, ClearCommand.Usage, &ClearCommand.Run);
        t.Add(RebootCommand.Name, RebootCommand.Summary, RebootCommand.Usage, &RebootCommand.Run);
        t.Add(PoweroffCommand.Name, PoweroffCommand.Summary, PoweroffCommand.Usage, &PoweroffCommand.Run);
        return t;
    }

    /// <summary>Tab completion's source: the i-th command name, null after the last.</summary>
    public static string NameAt(int i) => Table.NameAt(i);
}
