// cmdline: the kernel command line GRUB passed, as /proc/cmdline shows it.
using Kernel.Boot;
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class CmdlineCommand
{
    public const string Name = "cmdline", Summary = "the kernel command line", Usage = "cmdline";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        BootData.Info->GetCommandLine(out byte* text, out int length);
        for (int i = 0; i < length; i++) output.AppendByte(text[i] >= 32 && text[i] < 127 ? text[i] : (byte)'?');
        output.Append('\n');
        return CommandStatus.Ok;
    }
}
