// The registers every kernel entry saves (boot/frame.inc, used by interrupts.asm and
// syscall.asm), in memory order (lowest address first): the general registers, then the vector
// and error code, then what the CPU pushed.
using System.Runtime.InteropServices;

namespace Kernel.Arch.X64;

[StructLayout(LayoutKind.Sequential)]
public struct InterruptFrame
{
    public ulong R15, R14, R13, R12, R11, R10, R9, R8;
    public ulong Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
    public ulong Vector, ErrorCode;
    public ulong Rip, Cs, Rflags, Rsp, Ss;

    public bool FromUserMode => (Cs & 3) == 3;
}
