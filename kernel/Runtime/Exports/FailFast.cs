// Generated code calls RhpFallbackFailFast when it detects corruption it cannot survive, most
// notably a clobbered stack cookie (__security_cookie, boot/runtime.asm) after a stackalloc
// buffer overflowed.
using System.Runtime;
using Kernel.Diagnostics;

namespace Kernel.Runtime;

internal static class FailFast
{
    [RuntimeExport("RhpFallbackFailFast")]
    static void Fallback() => Panic.Halt("runtime fail-fast: stack buffer overrun or corrupted runtime state");
}
