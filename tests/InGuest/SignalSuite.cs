// Signals: sending (pending bits, the ignored-at-send rule, blocked ones kept, kill's errno),
// what a blocking wait counts as interrupting, the siginfo_t layout, and the user program
// /bin/signals end to end (handlers, frames, rt_sigreturn on hostile frames) with its output
// closed so that only its exit status counts here.
using Kernel.Diagnostics.Testing;
using Kernel.Tasks;

namespace Kernel.Tests.InGuest;

public static unsafe class SignalSuite
{
    public const string Name = "signals";

    public static void Register(TestSuite suite)
    {
        suite.Add("post_marks_pending_and_drops_ignored", &Post);
        suite.Add("kill_errno", &KillErrno);
        suite.Add("siginfo_layout", &InfoLayout);
        suite.Add("user_program_signals", &UserProgram);
    }

    /// <summary>A table entry that is never scheduled (state Free), for send-side checks.</summary>
    static Process* Target()
    {
        Process* p = ProcessTable.Allocate();
        if (p == null) KTest.Fail("no process slot");
        return p;
    }

    static void Post()
    {
        Process* p = Target();
        SignalSend.Post(p, Signals.SIGUSR1, SignalInfo.SiUser, 7, 0, 0);
        KTest.ExpectEqual(SignalSend.Bit(Signals.SIGUSR1), p->PendingSignals, "SIGUSR1 (default: terminate) pending");
        KTest.Assert(SignalSend.Interrupting(p), "an unblocked terminating signal interrupts a wait");
        p->SignalMask = SignalSend.Bit(Signals.SIGUSR1);
        KTest.Assert(!SignalSend.Interrupting(p), "a blocked one does not");
        p->PendingSignals = 0;
        p->SignalMask = 0;

        SignalSend.Post(p, Signals.SIGCHLD, SignalInfo.CldExited, 7, 0, 0);
        KTest.ExpectEqual(0UL, p->PendingSignals, "SIG_DFL SIGCHLD dropped at send");
        p->SignalActions[(Signals.SIGUSR2 - 1) * 4] = SignalSend.SigIgn;
        SignalSend.Post(p, Signals.SIGUSR2, SignalInfo.SiUser, 7, 0, 0);
        KTest.ExpectEqual(0UL, p->PendingSignals, "SIG_IGN dropped at send");
        p->SignalMask = SignalSend.Bit(Signals.SIGUSR2);
        SignalSend.Post(p, Signals.SIGUSR2, SignalInfo.SiUser, 7, 0, 0);
        KTest.ExpectEqual(SignalSend.Bit(Signals.SIGUSR2), p->PendingSignals, "a blocked ignored signal waits");
        p->SignalMask = 0;
        KTest.Assert(!SignalSend.Interrupting(p), "unblocked, an ignored signal does not interrupt");
        SignalSend.DropIfIgnored(p, Signals.SIGUSR2);
        KTest.ExpectEqual(0UL, p->PendingSignals, "and setting SIG_IGN drops it");

        p->SignalActions[(Signals.SIGKILL - 1) * 4] = SignalSend.SigIgn; // cannot be set; must not matter
        SignalSend.Post(p, Signals.SIGKILL, SignalInfo.SiUser, 7, 0, 0);
        KTest.ExpectEqual(SignalSend.Bit(Signals.SIGKILL), p->PendingSignals, "SIGKILL is never ignored");
        ProcessTable.Release(p);
    }

    static void KillErrno()
    {
        Process* p = Target();
        KTest.ExpectEqual(-22L, SignalSend.Kill(p->Pid, 65, SignalInfo.SiUser), "signal 65: EINVAL");
        KTest.ExpectEqual(-22L, SignalSend.Kill(p->Pid, -1, SignalInfo.SiUser), "signal -1: EINVAL");
        KTest.ExpectEqual(0L, SignalSend.Kill(p->Pid, 0, SignalInfo.SiUser), "signal 0: exists");
        KTest.ExpectEqual(0UL, p->PendingSignals, "signal 0 sends nothing");
        KTest.ExpectEqual(-1L, SignalSend.Kill(0, Signals.SIGTERM, SignalInfo.SiUser), "the kernel task: EPERM");
        p->State = TaskState.Zombie;
        KTest.ExpectEqual(-3L, SignalSend.Kill(p->Pid, Signals.SIGTERM, SignalInfo.SiUser), "a zombie: ESRCH");
        int pid = p->Pid;
        ProcessTable.Release(p);
        KTest.ExpectEqual(-3L, SignalSend.Kill(pid, Signals.SIGTERM, SignalInfo.SiUser), "no such pid: ESRCH");
    }

    static void InfoLayout()
    {
        Process* p = Target();
        byte* info = stackalloc byte[SignalInfo.Size];
        SignalSend.Post(p, Signals.SIGUSR1, SignalInfo.SiTkill, 1234, 0, 0);
        SignalInfo.Write(p, Signals.SIGUSR1, info);
        KTest.ExpectEqual(Signals.SIGUSR1, *(int*)info, "si_signo at 0");
        KTest.ExpectEqual(SignalInfo.SiTkill, *(int*)(info + 8), "si_code at 8");
        KTest.ExpectEqual(1234L, *(int*)(info + 16), "si_pid at 16");
        SignalSend.Post(p, Signals.SIGSEGV, SignalInfo.SegvAccerr, 0, 0x7000_1234, 14);
        SignalInfo.Write(p, Signals.SIGSEGV, info);
        KTest.ExpectEqual(SignalInfo.SegvAccerr, *(int*)(info + 8), "SEGV_ACCERR");
        KTest.ExpectEqual(0x7000_1234UL, *(ulong*)(info + 16), "si_addr at 16");
        p->SignalActions[(Signals.SIGCHLD - 1) * 4] = 0x401000;   // a handler: not dropped
        SignalSend.Post(p, Signals.SIGCHLD, SignalInfo.CldKilled, 99, 9, 0);
        SignalInfo.Write(p, Signals.SIGCHLD, info);
        KTest.ExpectEqual(99L, *(int*)(info + 16), "SIGCHLD si_pid");
        KTest.ExpectEqual(9L, *(int*)(info + 24), "SIGCHLD si_status at 24");
        ProcessTable.Release(p);
    }

    static void UserProgram()
    {
        int status = UserPrograms.RunQuiet("bin/signals");
        KTest.ExpectEqual((long)Tasks.WaitStatus.Exited(0), status, "/bin/signals quiet: every check passed");
    }
}
