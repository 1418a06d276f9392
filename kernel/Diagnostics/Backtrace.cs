namespace Kernel.Diagnostics;

public static unsafe class Backtrace
{
    public static void Print(ulong framePointer, ulong rip) { }
}
