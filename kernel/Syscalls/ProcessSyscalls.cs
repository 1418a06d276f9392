// The process-level calls: exit/exit_group, the ids, set_tid_address, arch_prctl (FS base),
// sched_yield, the signal calls: rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend,
// pause, sigaltstack, rt_sigreturn, kill, tkill, tgkill (kernel/Tasks/Signal*.cs send and
// deliver them), and process groups and sessions: setpgid, getpgid, getpgrp, setsid, getsid
// (kernel/Tasks/ProcessGroups.cs).
using Kernel.Arch.X64;
using Kernel.Tasks;

namespace Kernel.Syscalls;

public static unsafe class ProcessSyscalls
{
    const int ArchSetGs = 0x1001, ArchSetFs = 0x1002, ArchGetFs = 0x1003, ArchGetGs = 0x1004;
    const int SigBlock = 0, SigUnblock = 1, SigSetMask = 2;
    const ulong Unblockable = SignalSend.Unblockable;

    public static long Exit(int code)
    {
        ProcessLifecycle.ExitCurrent(WaitStatus.Exited(code));
        return 0; // not reached
    }

    public static long GetPid() => Scheduler.Current->Pid;
    public static long GetParentPid() => Scheduler.Current->ParentPid;

    public static long SetTidAddress(ulong address)
    {
        Scheduler.Current->ClearChildTid = address;
        return Scheduler.Current->Pid;
    }

    public static long ArchPrctl(int code, ulong address)
    {
        Process* p = Scheduler.Current;
        switch (code)
        {
            case ArchSetFs:
                if (address >= SyscallGate.UserLimit) return -Errno.EPERM;
                p->FsBase = address;
                SyscallGate.SetFsBase(address);
                return 0;
            case ArchGetFs:
                ulong fs = p->FsBase;
                return UserMemory.CopyTo(address, &fs, 8);
            default:
                return -Errno.EINVAL;
        }
    }

    public static long Yield()
    {
        Scheduler.Yield();
        return 0;
    }

    public static long SigAction(int signal, ulong action, ulong oldAction, ulong setSize)
    {
        if (setSize != 8 || signal < 1 || signal > Process.SignalCount) return -Errno.EINVAL;
        if (action != 0 && (signal == Signals.SIGKILL || signal == Signals.SIGSTOP)) return -Errno.EINVAL;
        ulong* updated = stackalloc ulong[4];
        if (action != 0 && UserMemory.CopyFrom(updated, action, 32) < 0) return -Errno.EFAULT;
        ulong* slot = Scheduler.Current->SignalActions + (signal - 1) * 4;
        if (oldAction != 0 && UserMemory.CopyTo(oldAction, slot, 32) < 0) return -Errno.EFAULT;
        if (action != 0)
        {
            updated[3] &= ~Unblockable;
            for (int i = 0; i < 4; i++) slot[i] = updated[i];
            SignalSend.DropIfIgnored(Scheduler.Current, signal);
        }
        return 0;
    }

    public static long SigPending(ulong set, ulong setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        Process* p = Scheduler.Current;
        ulong pending = p->PendingSignals & p->SignalMask;
        return UserMemory.CopyTo(set, &pending, 8) < 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>Waits with <paramref name="set"/> as the mask until a signal is delivered;
    /// always -EINTR (after its handler). The caller's mask comes back with the handler's return.</summary>
    public static long SigSuspend(ulong set, ulong setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        ulong mask;
        if (UserMemory.CopyFrom(&mask, set, 8) < 0) return -Errno.EFAULT;
        Process* p = Scheduler.Current;
        p->SavedMask = p->SignalMask;
        p->RestoreMask = true;
        p->SignalMask = mask & ~Unblockable;
        return Pause();
    }

    /// <summary>pause: waits until a signal is delivered (a handler runs, or the process dies);
    /// always -EINTR.</summary>
    public static long Pause()
    {
        Process* p = Scheduler.Current;
        while (!SignalSend.Interrupting(p))
            if (!Scheduler.Yield()) Cpu.Pause();
        return -Errno.EINTR;
    }

    /// <summary>sigaltstack: the old setting out (as at the caller's RSP), the new one in
    /// (SignalStack's rules); -EFAULT for unreadable or unwritable stack_t.</summary>
    public static long SigAltStack(ulong newStack, ulong oldStack)
    {
        Process* p = Scheduler.Current;
        ulong sp = TaskStack.UserFrame(p)->Rsp;
        byte* old = stackalloc byte[SignalStack.Bytes];
        SignalStack.Describe(p, sp, old);
        if (newStack != 0)
        {
            byte* updated = stackalloc byte[SignalStack.Bytes];
            if (UserMemory.CopyFrom(updated, newStack, SignalStack.Bytes) < 0) return -Errno.EFAULT;
            int error = SignalStack.Set(p, sp, updated);
            if (error != 0) return error;
        }
        if (oldStack != 0 && UserMemory.CopyTo(oldStack, old, SignalStack.Bytes) < 0) return -Errno.EFAULT;
        return 0;
    }

    /// <summary>Back from a handler: everything comes from the frame, rax included.</summary>
    public static long SigReturn() => SignalFrame.Return(Scheduler.Current, TaskStack.UserFrame(Scheduler.Current));

    /// <summary>kill: pid &gt; 0 that process, 0 the caller's process group, -1 every process
    /// but init and the caller, &lt; -1 the group -pid (-ESRCH when nobody matched).</summary>
    public static long Kill(int pid, int signal)
    {
        if (pid > 0) return SignalSend.Kill(pid, signal, SignalInfo.SiUser);
        if (signal < 0 || signal > Process.SignalCount) return -Errno.EINVAL;
        if (pid == -1) return ProcessGroups.SignalAll(signal, SignalInfo.SiUser);
        if (pid == int.MinValue) return -Errno.ESRCH;
        Process* self = Scheduler.Current;
        return ProcessGroups.Signal(pid == 0 ? self->Pgid : -pid, signal, SignalInfo.SiUser, self->Pid);
    }

    public static long SetPgid(int pid, int pgid) => ProcessGroups.SetGroup(pid, pgid);
    public static long GetPgid(int pid) => ProcessGroups.GroupOf(pid);
    public static long SetSid() => ProcessGroups.NewSession();
    public static long GetSid(int pid) => ProcessGroups.SessionOf(pid);

    /// <summary>tkill / tgkill: one thread per process, so the tid is the pid; a tgid that is
    /// not the thread's own is -ESRCH.</summary>
    public static long ThreadKill(int tgid, int tid, int signal)
    {
        if (tid <= 0 || tgid == 0 || tgid < -1) return -Errno.EINVAL;
        if (tgid > 0 && tgid != tid) return -Errno.ESRCH;
        return SignalSend.Kill(tid, signal, SignalInfo.SiTkill);
    }

    public static long SigProcMask(int how, ulong set, ulong oldSet, ulong setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        Process* p = Scheduler.Current;
        ulong mask = 0;
        if (set != 0)
        {
            if (how != SigBlock && how != SigUnblock && how != SigSetMask) return -Errno.EINVAL;
            if (UserMemory.CopyFrom(&mask, set, 8) < 0) return -Errno.EFAULT;
        }
        ulong old = p->SignalMask;
        if (oldSet != 0 && UserMemory.CopyTo(oldSet, &old, 8) < 0) return -Errno.EFAULT;
        if (set != 0)
        {
            ulong updated = how == SigBlock ? old | mask : how == SigUnblock ? old & ~mask : mask;
            p->SignalMask = updated & ~Unblockable;
        }
        return 0;
    }
}
