// interrupts: which controller delivers IRQs and how many each line has seen (/proc/interrupts).
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Drivers.Console;

namespace Kernel.Shell.Commands;

public static unsafe class InterruptsCommand
{
    public const string Name = "interrupts", Summary = "interrupt controllers and counts per IRQ", Usage = "interrupts";

    public static CommandStatus Run(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 0, 0, ref output, Name, out CommandStatus status)) return status;
        output.Append("controller: "); output.Append(InterruptControllers.ModeName); output.Append('\n');
        output.Append("IRQ  GSI  vector      count  handler\n");
        for (int irq = 0; irq < InterruptControllers.IrqCount; irq++)
        {
            if (!InterruptDispatch.HasHandler(irq) && InterruptDispatch.CountOf(irq) == 0) continue;
            output.AppendDecimal((ulong)irq, 3, ' ');
            output.AppendDecimal((ulong)InterruptControllers.GsiOf(irq), 5, ' ');
            output.Append("   0x"); output.AppendHex((ulong)(InterruptControllers.IrqVectorBase + irq), 2);
            output.AppendDecimal(InterruptDispatch.CountOf(irq), 11, ' ');
            output.Append("  ");
            output.Append(irq == Timer.Irq ? "timer" : irq == 1 ? "keyboard" : irq == 4 ? "serial" : InterruptDispatch.HasHandler(irq) ? "driver" : "-");
            output.Append('\n');
        }
        output.Append("spurious: "); output.AppendDecimal(InterruptDispatch.SpuriousCount);
        output.Append("  unexpected: "); output.AppendDecimal(InterruptDispatch.UnexpectedCount);
        output.Append("  input bytes: "); output.AppendDecimal(ConsoleInput.ReceivedBytes);
        output.Append(" (dropped "); output.AppendDecimal(ConsoleInput.DroppedBytes); output.Append(")\n");
        return CommandStatus.Ok;
    }
}
