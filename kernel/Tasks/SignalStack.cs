// sigaltstack: a process may name an alternate stack (Process.AltStack*) for handlers installed
// with SA_ONSTACK, so a handler still runs when the normal stack is exhausted (a SIGSEGV from
// a stack overflow). The rules are Linux's: the stack is "on" while the user RSP lies in
// (base, base + size]; it cannot be changed while on it (-EPERM); the flags are 0 / SS_ONSTACK
// (both mean enable) or SS_DISABLE, optionally with SS_AUTODISARM (-EINVAL otherwise); an
// enabled stack needs MINSIGSTKSZ bytes (-ENOMEM). With SS_AUTODISARM the stack is disarmed
// while a handler runs and comes back from the frame's uc_stack at rt_sigreturn (which, as in
// Linux, always re-applies uc_stack, ignoring errors). fork keeps it, execve clears it.
using Kernel.Syscalls;

namespace Kernel.Tasks;

public static unsafe class SignalStack
{
    public const int SsOnstack = 1, SsDisable = 2, SsAutodisarm = 1 << 31;
    /// <summary>MINSIGSTKSZ on x86-64.</summary>
    public const ulong MinSize = 2048;
    /// <summary>sizeof(stack_t): ss_sp (8), ss_flags (4, then 4 of padding), ss_size (8).</summary>
    public const int Bytes = 24;

    /// <summary>The user stack pointer <paramref name="sp"/> is on the armed alternate stack.</summary>
    public static bool On(Process* p, ulong sp) =>
        (p->AltStackFlags & SsAutodisarm) == 0 && p->AltStackSize != 0 && sp > p->AltStackBase && sp - p->AltStackBase <= p->AltStackSize;

    /// <summary>What ss_flags reports: SS_DISABLE without a stack, SS_ONSTACK while on it, else 0.</summary>
    public static int Flags(Process* p, ulong sp) => p->AltStackSize == 0 ? SsDisable : On(p, sp) ? SsOnstack : 0;

    /// <summary>Writes the stack_t that describes the current setting at <paramref name="ss"/>.</summary>
    public static void Describe(Process* p, ulong sp, byte* ss)
    {
        *(ulong*)ss = p->AltStackBase;
        *(int*)(ss + 8) = Flags(p, sp) | p->AltStackFlags;
        *(int*)(ss + 12) = 0;
        *(ulong*)(ss + 16) = p->AltStackSize;
    }

    /// <summary>Applies the stack_t at <paramref name="ss"/> (kernel memory): 0, -EPERM, -EINVAL, -ENOMEM.</summary>
    public static int Set(Process* p, ulong sp, byte* ss)
    {
        if (On(p, sp)) return -Errno.EPERM;
        ulong stackBase = *(ulong*)ss, size = *(ulong*)(ss + 16);
        int flags = *(int*)(ss + 8);
        int mode = flags & ~SsAutodisarm;
        if (mode != 0 && mode != SsOnstack && mode != SsDisable) return -Errno.EINVAL;
        if (mode == SsDisable) { stackBase = 0; size = 0; }
        else if (size < MinSize) return -Errno.ENOMEM;
        p->AltStackBase = stackBase;
        p->AltStackSize = size;
        p->AltStackFlags = flags & SsAutodisarm;
        return 0;
    }

    /// <summary>Where a handler's frame goes below: the top of the alternate stack for an
    /// SA_ONSTACK handler when one is armed and not in use, else under the red zone of the
    /// interrupted stack. <paramref name="switched"/> says which.</summary>
    public static ulong HandlerTop(Process* p, ulong sp, bool onStack, ulong redZone, out bool switched)
    {
        switched = onStack && Flags(p, sp) == 0;
        return switched ? p->AltStackBase + p->AltStackSize : sp - redZone;
    }

    /// <summary>A handler starts: SS_AUTODISARM takes the stack away until its rt_sigreturn.</summary>
    public static void DisarmForHandler(Process* p)
    {
        if ((p->AltStackFlags & SsAutodisarm) != 0) Clear(p);
    }

    public static void Clear(Process* p)
    {
        p->AltStackBase = 0;
        p->AltStackSize = 0;
        p->AltStackFlags = 0;
    }
}
