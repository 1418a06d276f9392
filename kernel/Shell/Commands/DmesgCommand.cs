// dmesg: the kernel log ring, oldest line first, without the "<level>" prefixes it stores.
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class DmesgCommand
{
    public const string Name = "dmesg", Summary = "the kernel log", Usage = "dmesg";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        if (ShellBuffers.Scratch == null && !ShellBuffers.Initialize())
        {
            output.Append("dmesg: no memory for a copy of the log\n");
            return CommandStatus.Failed;
        }
        byte* log = ShellBuffers.Scratch;
        int n = LogBuffer.CopyTo(log, ShellBuffers.ScratchBytes);
        bool lineStart = true;
        for (int i = 0; i < n; i++)
        {
            if (lineStart && log[i] == (byte)'<')
            {
                int k = i + 1;
                while (k < n && k < i + 4 && log[k] != (byte)'>') k++;
                if (k < n && log[k] == (byte)'>') { i = k; lineStart = false; continue; }
            }
            output.AppendByte(log[i]);
            lineStart = log[i] == (byte)'\n';
        }
        if (LogBuffer.DroppedLines > 0) output.Append("(older lines were dropped from the 64 KiB ring)\n");
        return CommandStatus.Ok;
    }
}
