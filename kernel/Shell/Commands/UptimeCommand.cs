// uptime: time since boot (TSC) and the timer's tick count.
using Kernel.Arch.X64;
using Kernel.Diagnostics;

namespace Kernel.Shell.Commands;

public static unsafe class UptimeCommand
{
    public const string Name = "uptime", Summary = "time since boot and timer ticks", Usage = "uptime";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        ulong ns = Timer.UptimeNanoseconds;
        ulong seconds = ns / 1_000_000_000;
        output.Append("up ");
        if (seconds >= 3600) { output.AppendDecimal(seconds / 3600); output.Append(" h "); }
        if (seconds >= 60) { output.AppendDecimal(seconds / 60 % 60); output.Append(" min "); }
        output.AppendDecimal(seconds % 60);
        output.Append('.');
        output.AppendDecimal(ns / 1_000_000 % 1000, 3, '0');
        output.Append(" s (");
        output.AppendDecimal(ns);
        output.Append(" ns), ");
        output.AppendDecimal(Timer.Ticks);
        output.Append(" timer ticks at ");
        output.AppendDecimal(Timer.Hz);
        output.Append(" Hz\n");
        return CommandStatus.Ok;
    }
}
