// Sending a signal: it becomes pending in the target (Process.PendingSignals plus its
// SignalInfo) and is acted on when the target next returns to ring 3 (SignalDelivery). As in
// Linux, a signal the target ignores (SIG_IGN, or SIG_DFL whose default is to ignore) is
// dropped at once unless it is blocked: a blocked one waits, its fate decided on unblock.
using Kernel.Syscalls;

namespace Kernel.Tasks;

public static unsafe class SignalSend
{
    public const ulong SigDfl = 0, SigIgn = 1;
    public const ulong Unblockable = 1UL << (Signals.SIGKILL - 1) | 1UL << (Signals.SIGSTOP - 1);

    public static ulong Bit(int signal) => 1UL << (signal - 1);

    public static ulong Handler(Process* p, int signal) => p->SignalActions[(signal - 1) * 4];

    /// <summary>Delivery would do nothing: SIG_IGN, or SIG_DFL with an ignoring default (SIGKILL
    /// and SIGSTOP are never ignored).</summary>
    public static bool Ignored(Process* p, int signal)
    {
        if (signal == Signals.SIGKILL || signal == Signals.SIGSTOP) return false;
        ulong handler = Handler(p, signal);
        return handler == SigIgn || handler == SigDfl && Signals.DefaultIgnored(signal);
    }

    /// <summary>Makes <paramref name="signal"/> pending in <paramref name="p"/> with its siginfo.</summary>
    public static void Post(Process* p, int signal, int code, int senderPid, ulong value, ulong trap)
    {
        if (p->State == TaskState.Zombie || p->IsKernelTask) return;
        if ((p->SignalMask & Bit(signal)) == 0 && Ignored(p, signal)) return;
        SignalInfo.Store(p, signal, code, senderPid, value, trap);
        p->PendingSignals |= Bit(signal);
    }

    /// <summary>kill / tkill / tgkill: 0, -EINVAL (bad signal), -ESRCH (no such live process),
    /// -EPERM (the kernel task). Signal 0 only checks that the target exists.</summary>
    public static int Kill(int pid, int signal, int code)
    {
        if (signal < 0 || signal > Process.SignalCount) return -Errno.EINVAL;
        Process* p = ProcessTable.Find(pid);
        if (p == null || p->State == TaskState.Zombie) return -Errno.ESRCH;
        if (p->IsKernelTask) return -Errno.EPERM;
        if (signal == 0) return 0;
        Process* sender = Scheduler.Current;
        Post(p, signal, code, sender == null ? 0 : sender->Pid, 0, 0);
        return 0;
    }

    /// <summary>A pending, unblocked signal that delivery would act on: a blocking wait returns
    /// -EINTR for it.</summary>
    public static bool Interrupting(Process* p)
    {
        if (p == null) return false;
        ulong ready = p->PendingSignals & ~p->SignalMask;
        while (ready != 0)
        {
            int signal = Lowest(ready);
            if (!Ignored(p, signal)) return true;
            ready &= ready - 1;
        }
        return false;
    }

    /// <summary>The lowest-numbered signal in a non-empty set.</summary>
    public static int Lowest(ulong set)
    {
        int signal = 1;
        while ((set & 1) == 0) { set >>= 1; signal++; }
        return signal;
    }

    /// <summary>The handler was just set to ignore: a pending instance goes away (Linux).</summary>
    public static void DropIfIgnored(Process* p, int signal)
    {
        if (Ignored(p, signal)) p->PendingSignals &= ~Bit(signal);
    }
}
