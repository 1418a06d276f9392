// date: the CMOS real-time clock's date and time (UTC) and the Unix time it makes.
using Kernel.Diagnostics;
using Kernel.Drivers.Rtc;

namespace Kernel.Shell.Commands;

public static unsafe class DateCommand
{
    public const string Name = "date", Summary = "date and time from the real-time clock (UTC)", Usage = "date";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        if (!CmosRtc.TryRead(out RtcDateTime time))
        {
            output.Append("date: the real-time clock holds no valid date\n");
            return CommandStatus.Failed;
        }
        RtcText.AppendWithDay(ref output, time);
        output.Append(" (Unix time ");
        output.AppendDecimal(Calendar.ToUnixSeconds(time));
        output.Append(")\n");
        return CommandStatus.Ok;
    }
}
