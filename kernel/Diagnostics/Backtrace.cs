// Prints the chain of return addresses by following saved frame pointers (RBP), each read
// through the exception table so a corrupt chain ends the walk instead of faulting again.
// Frames whose code omits the frame pointer are skipped, as in any RBP walk.
using Kernel.Arch.X64;

namespace Kernel.Diagnostics;

public static unsafe class Backtrace
{
    const int MaxFrames = 24;

    /// <summary>Prints "Backtrace:" then one line per frame, starting with rip if non-zero.</summary>
    public static void Print(ulong framePointer, ulong rip)
    {
        KernelConsole.Write("Backtrace:\n");
        if (rip != 0) PrintFrame(rip);
        ulong rbp = framePointer;
        for (int i = 0; i < MaxFrames && rbp != 0 && (rbp & 7) == 0; i++)
        {
            ulong next, returnAddress;
            if (ExceptionTable.ProbeRead(rbp, &next) != 0 || ExceptionTable.ProbeRead(rbp + 8, &returnAddress) != 0) break;
            if (returnAddress == 0) break;
            PrintFrame(returnAddress);
            if (next <= rbp) break; // the stack grows down: callers' frames are above
            rbp = next;
        }
    }

    static void PrintFrame(ulong address)
    {
        byte* buffer = stackalloc byte[256];
        var text = new TextBuilder(buffer, 256);
        text.Append("  [<");
        text.AppendHex(address, 16);
        text.Append(">] ");
        Symbols.AppendSymbol(ref text, address);
        text.Append('\n');
        KernelConsole.Write(buffer, text.Length);
    }
}
