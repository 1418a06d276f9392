// help: every command with its one-line summary; `help NAME` adds the usage line.
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class HelpCommand
{
    public const string Name = "help", Summary = "list the commands, or show how to use one", Usage = "help [command]";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 1, ref output, Name, out CommandStatus status)) return status;
        CommandTable table = ShellCommands.Table;
        if (args->Count == 2)
        {
            byte* name = args->Get(1, out int length);
            int index = table.Find(name, length);
            if (index < 0) return CommandTable.Usage(ref output, Name, "no such command");
            output.Append(table.NameAt(index));
            output.Append(" - ");
            output.Append(table.SummaryAt(index));
            output.Append('\n');
            table.AppendUsage(ref output, index);
            return CommandStatus.Ok;
        }
        for (int i = 0; i < table.Count; i++)
        {
            output.AppendPadded(table.NameAt(i), 12, true);
            output.Append(table.SummaryAt(i));
            output.Append('\n');
        }
        output.Append("Keys: arrows and Home/End edit, Up/Down history, Tab completes, Ctrl-C cancels, Ctrl-L clears.\n");
        return CommandStatus.Ok;
    }
}
