// echo: prints its arguments separated by single spaces.
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class EchoCommand
{
    public const string Name = "echo", Summary = "print the arguments", Usage = "echo [text...]";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        for (int i = 1; i < args->Count; i++)
        {
            if (i > 1) output.Append(' ');
            args->AppendPrintable(ref output, i, 1024);
        }
        output.Append('\n');
        return CommandStatus.Ok;
    }
}
