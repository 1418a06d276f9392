// test [suite...]: runs in-guest KTAP suites from the shell (all fast ones by default) and
// prints their KTAP report, exactly as a test= boot does, then the totals.
using Kernel.Boot;
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;

namespace Kernel.Shell.Commands;

public static unsafe class TestCommand
{
    public const string Name = "test", Summary = "run in-guest test suites, print KTAP", Usage = "test [all | suite...]   (test list: the suite names)";

    static CommandLine s_selection;

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (SuiteRegistry.Count == 0) SuiteRegistry.Initialize();
        if (args->Count == 2 && args->Equals(1, "list"))
        {
            for (int i = 0; i < SuiteRegistry.Count; i++)
            {
                output.Append(SuiteRegistry.Get(i).Name);
                if (SuiteRegistry.Get(i).Slow) output.Append(" (slow: only when named)");
                output.Append('\n');
            }
            return CommandStatus.Ok;
        }
        // Build "test=a,b,c" and let the boot-time runner select from it.
        byte* text = stackalloc byte[CommandLine.MaxBytes];
        var selection = new TextBuilder(text, CommandLine.MaxBytes);
        selection.Append("test=");
        if (args->Count == 1) selection.Append("all");
        for (int i = 1; i < args->Count; i++)
        {
            byte* name = args->Get(i, out int length);
            if (!CommandLine.BytesEqual(name, length, "all") && SuiteRegistry.Find(name, length) == null)
            {
                output.Append("test: no suite named '");
                args->AppendPrintable(ref output, i, 40);
                output.Append("' (test list shows them)\n");
                return CommandStatus.BadUsage;
            }
            if (i > 1) selection.Append(',');
            selection.AppendBytes(name, length);
        }
        fixed (CommandLine* c = &s_selection)
        {
            CommandLine.Parse(selection.Buffer, selection.Length, c);
            TestRunner.Totals totals = TestRunner.Run(c);
            output.Append("test: ");
            output.AppendDecimal(totals.Passed); output.Append(" passed, ");
            output.AppendDecimal(totals.Failed); output.Append(" failed, ");
            output.AppendDecimal(totals.Skipped); output.Append(" skipped\n");
            return totals.Failed == 0 ? CommandStatus.Ok : CommandStatus.Failed;
        }
    }
}
