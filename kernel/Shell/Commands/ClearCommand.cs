// clear: clears the screen and the terminal (ANSI: cursor home, erase display).
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class ClearCommand
{
    public const string Name = "clear", Summary = "clear the screen", Usage = "clear";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        output.Append("\x1b[H\x1b[2J");
        return CommandStatus.Ok;
    }
}
