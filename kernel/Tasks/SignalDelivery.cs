// Acting on pending signals on the way back to ring 3: after every syscall (SyscallDispatch)
// and every interrupt or exception that came from ring 3 (InterruptDispatch's user-return
// hook). The lowest-numbered pending, unblocked signal is taken: SIGKILL/SIGSTOP and SIG_DFL
// with a terminating default end the process, SIG_IGN and ignoring defaults drop it, a handler
// gets an rt_sigframe (SignalFrame) and runs with the mask old | sa_mask | the signal (unless
// SA_NODEFER). One handler per return; the next pending one goes at the following return
// (rt_sigreturn's, at the latest). A blocking call interrupted by a signal (-ERESTARTSYS) is
// re-run unless a handler without SA_RESTART runs (-EINTR). CPU faults become signals here
// too (OnFault).
using Kernel.Arch.X64;
using Kernel.Diagnostics;

namespace Kernel.Tasks;

public static unsafe class SignalDelivery
{
    const ulong SaRestorer = 0x04000000, SaOnstack = 0x08000000, SaRestart = 0x10000000, SaNodefer = 0x40000000, SaResethand = 0x80000000;

    static ulong s_handled;
    /// <summary>Handlers started (frames built).</summary>
    public static ulong Handled => s_handled;

    public static void Install() => InterruptDispatch.UserReturnHook = &OnReturnToUser;

    /// <summary>Linux's internal "interrupted, restart if the handler allows": a blocking call
    /// returns -ERESTARTSYS, which never reaches ring 3 (AfterSyscall turns it into -EINTR for
    /// a handler without SA_RESTART, else re-runs the call).</summary>
    public const int ERestartSys = 512;
    const int EINTR = 4;

    /// <summary>The end of every syscall (SyscallDispatch), with the result in frame->Rax.</summary>
    public static void AfterSyscall(InterruptFrame* frame) => Deliver(frame, true);

    /// <summary>The end of an interrupt or exception that came from ring 3.</summary>
    public static void OnReturnToUser(InterruptFrame* frame) => Deliver(frame, false);

    static void Deliver(InterruptFrame* frame, bool afterSyscall)
    {
        Process* p = Scheduler.Current;
        // Not on an IST stack (NMI): only the task's own entry frame can be rewritten or left.
        if (p == null || p->IsKernelTask || frame != TaskStack.UserFrame(p)) return;
        bool restart = afterSyscall && (long)frame->Rax == -ERestartSys && frame->Vector != ulong.MaxValue;
        while (true)
        {
            ulong ready = p->PendingSignals & ~p->SignalMask;
            if (ready == 0) break;
            int signal = SignalSend.Lowest(ready);
            p->PendingSignals &= ~SignalSend.Bit(signal);
            ulong* action = p->SignalActions + (signal - 1) * 4;
            if (signal == Signals.SIGKILL || signal == Signals.SIGSTOP) ProcessLifecycle.ExitCurrent(WaitStatus.Killed(signal));
            if (action[0] == SignalSend.SigIgn) continue;
            if (action[0] == SignalSend.SigDfl)
            {
                if (Signals.DefaultIgnored(signal)) continue;
                ProcessLifecycle.ExitCurrent(WaitStatus.Killed(signal));
            }
            if (restart && (action[1] & SaRestart) == 0)
            {
                frame->Rax = unchecked((ulong)-EINTR);
                restart = false;
            }
            if (restart) Rewind(frame);
            RunHandler(p, frame, signal, action);
            p->RestoreMask = false;
            return;
        }
        if (restart) Rewind(frame);
        if (p->RestoreMask)
        {
            p->SignalMask = p->SavedMask;
            p->RestoreMask = false;
        }
    }

    /// <summary>Back to the SYSCALL instruction (2 bytes) with the call number in rax: the
    /// arguments are still in the frame.</summary>
    static void Rewind(InterruptFrame* frame)
    {
        frame->Rax = frame->Vector;
        frame->Rip -= 2;
    }

    static void RunHandler(Process* p, InterruptFrame* frame, int signal, ulong* action)
    {
        ulong flags = action[1];
        // Linux x86-64 requires SA_RESTORER: without it there is no way back (SIGSEGV).
        if ((flags & SaRestorer) == 0 || !SignalFrame.Build(p, frame, signal, action[0], action[2], (flags & SaOnstack) != 0))
        {
            if (!ProcessLifecycle.QuietKills)
                Log.Warning($"pid {p->Pid}: SIGSEGV: cannot set up the frame for {Signals.Name(signal)} (RSP {frame->Rsp:x16})");
            ProcessLifecycle.ExitCurrent(WaitStatus.Killed(Signals.SIGSEGV));
        }
        s_handled++;
        SignalStack.DisarmForHandler(p);
        ulong blocked = p->SignalMask | action[3];
        if ((flags & SaNodefer) == 0) blocked |= SignalSend.Bit(signal);
        p->SignalMask = blocked & ~SignalSend.Unblockable;
        if ((flags & SaResethand) != 0) action[0] = SignalSend.SigDfl;
    }

    /// <summary>
    /// A CPU exception in ring 3 that the memory manager did not resolve. With a handler
    /// installed and the signal not blocked, the signal becomes pending (delivered as the
    /// exception returns); otherwise the process dies with the report line, as before (a fault
    /// inside its own handler finds the signal blocked: Linux kills then too).
    /// </summary>
    public static void OnFault(InterruptFrame* frame, int code, string report)
    {
        Process* p = Scheduler.Current;
        int vector = (int)frame->Vector;
        int signal = Signals.ForException(vector);
        if (!p->IsKernelTask && signal != Signals.SIGKILL && SignalSend.Handler(p, signal) > SignalSend.SigIgn
            && (p->SignalMask & SignalSend.Bit(signal)) == 0)
        {
            ulong address = vector == Exceptions.PageFault ? Cpu.ReadCr2() : code == SignalInfo.SiKernel ? 0 : frame->Rip;
            SignalSend.Post(p, signal, code, 0, address, (uint)vector | frame->ErrorCode << 32);
            return;
        }
        ProcessLifecycle.KillForFault(frame, report);
    }

    /// <summary>si_code for an exception other than a page fault.</summary>
    public static int CodeFor(int vector) => vector switch
    {
        Exceptions.DivideError => SignalInfo.FpeIntdiv,
        Exceptions.InvalidOpcode => SignalInfo.IllIllopn,
        Exceptions.Breakpoint or Exceptions.Debug => SignalInfo.TrapBrkpt,
        _ => SignalInfo.SiKernel,
    };
}
