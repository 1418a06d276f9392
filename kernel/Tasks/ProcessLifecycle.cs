// The end of a process: exit (and exit_group: one thread per process), death by a fatal signal
// (a CPU exception in ring 3), and reaping by whoever waits for it. Exit gives back the user
// address space at once (every frame and page-table page); the kernel stack the dying task is
// still running on and its Process page go when it is reaped.
using Kernel.Arch.X64;
using Kernel.Boot.Memory;
using Kernel.Diagnostics;

namespace Kernel.Tasks;

public static unsafe class ProcessLifecycle
{
    static ulong s_killed;

    public static ulong Killed => s_killed;

    /// <summary>Counts kills without a report line (the crash-storm test sets it).</summary>
    public static bool QuietKills;

    /// <summary>Ends the current process with a Linux wait status; never returns.</summary>
    public static void ExitCurrent(int waitStatus)
    {
        Process* p = Scheduler.Current;
        if (p->IsKernelTask) Panic.Halt("tasks: the kernel task tried to exit");
        p->Files.CloseAll();
        ProcessWait.OrphanChildren(p);
        ProcessWait.ReapOrphans();
        Cpu.WriteCr3(KernelAddressSpace.Root);
        p->Vm.Destroy();
        var frames = PhysicalPages.Frames;
        var status = p->Memory.Destroy(in frames);
        if (status != Arch.X64.Paging.PagingStatus.Ok)
            Log.Error($"tasks: pid {p->Pid}: tearing down the address space failed: {Arch.X64.Paging.PageTables.Describe(status)}");
        p->WaitStatus = waitStatus;
        NotifyParent(p, waitStatus);
        Scheduler.ExitCurrent();
    }

    /// <summary>SIGCHLD to the parent (ignored unless it installed a handler).</summary>
    static void NotifyParent(Process* p, int waitStatus)
    {
        if (p->Orphan) return;
        Process* parent = ProcessTable.Find(p->ParentPid);
        if (parent == null || parent->IsKernelTask) return;
        bool exited = WaitStatus.IsExited(waitStatus);
        SignalSend.Post(parent, Signals.SIGCHLD, exited ? SignalInfo.CldExited : SignalInfo.CldKilled, p->Pid,
            (ulong)(exited ? WaitStatus.ExitCode(waitStatus) : WaitStatus.Signal(waitStatus)), 0);
    }

    /// <summary>
    /// A CPU exception in ring 3: one report line, then the process dies of the signal Linux
    /// would send. Registered as Exceptions' user-fault hook; never returns.
    /// </summary>
    public static void KillForFault(InterruptFrame* frame, string code)
    {
        Process* p = Scheduler.Current;
        int vector = (int)frame->Vector;
        int signal = Signals.ForException(vector);
        ulong address = vector == Exceptions.PageFault ? Cpu.ReadCr2() : frame->Rip;
        s_killed++;
        if (QuietKills) ExitCurrent(WaitStatus.Killed(signal));
        var line = new LogLine(0, 0);
        line.AppendLiteral("pid ");
        line.AppendFormatted(p->Pid);
        line.AppendLiteral(" (");
        for (int i = 0; i < p->NameLength; i++) line.AppendFormatted((char)p->Name[i]);
        line.AppendLiteral("): ");
        line.AppendLiteral(Signals.Name(signal));
        line.AppendLiteral(" (");
        line.AppendLiteral(Exceptions.Mnemonic(vector));
        line.AppendLiteral(" error ");
        line.AppendFormatted(frame->ErrorCode);
        line.AppendLiteral(") at address ");
        line.AppendFormatted(address, "x16");
        line.AppendLiteral(", RIP ");
        line.AppendFormatted(frame->Rip, "x16");
        line.AppendLiteral(", RSP ");
        line.AppendFormatted(frame->Rsp, "x16");
        if (code != null)
        {
            line.AppendLiteral(", ");
            line.AppendLiteral(code);
        }
        Log.Warning(ref line);
        ExitCurrent(WaitStatus.Killed(signal));
    }

    static ulong s_oomKills;
    public static ulong OomKills => s_oomKills;

    /// <summary>No frame left for a page the process needs: Linux's OOM killer picks it (the
    /// one allocating), reports it and kills it with SIGKILL; exit gives every frame back.</summary>
    public static void KillForOom(Process* p)
    {
        s_oomKills++;
        var line = new LogLine(0, 0);
        line.AppendLiteral("Out of memory: Killed process ");
        line.AppendFormatted(p->Pid);
        line.AppendLiteral(" (");
        for (int i = 0; i < p->NameLength; i++) line.AppendFormatted((char)p->Name[i]);
        line.AppendLiteral(") total-vm:");
        line.AppendFormatted(p->Vm.TotalPages * 4);
        line.AppendLiteral("kB, user frames in use:");
        line.AppendFormatted(Vm.UserFrames.Live);
        Log.Error(ref line);
        ExitCurrent(WaitStatus.Killed(Signals.SIGKILL));
    }

    /// <summary>
    /// The return to ring 3 could not be made (IRET faulted on the task's frame: a RIP that
    /// is not canonical, say). boot/syscall.asm comes here from the exception table.
    /// </summary>
    [System.Runtime.RuntimeExport("user_return_fault")]
    static void UserReturnFault()
    {
        Process* p = Scheduler.Current;
        InterruptFrame* frame = TaskStack.UserFrame(p);
        s_killed++;
        if (!QuietKills) Log.Warning($"pid {p->Pid}: SIGSEGV: cannot return to ring 3 at RIP {frame->Rip:x16} (IRET refused the frame)");
        ExitCurrent(WaitStatus.Killed(Signals.SIGSEGV));
    }

    /// <summary>Sends <paramref name="signal"/> as kill(2) does: 0, -EINVAL, -ESRCH or -EPERM
    /// (SignalSend). It is acted on when the target next returns to ring 3.</summary>
    public static int Kill(int pid, int signal) => SignalSend.Kill(pid, signal, SignalInfo.SiUser);

    /// <summary>rt_sigreturn found a frame it cannot restore from: SIGSEGV, as Linux does.</summary>
    public static void KillForBadFrame(Process* p, InterruptFrame* frame, string why)
    {
        s_killed++;
        if (!QuietKills) Log.Warning($"pid {p->Pid}: SIGSEGV: bad signal frame at RSP {frame->Rsp:x16} ({why})");
        ExitCurrent(WaitStatus.Killed(Signals.SIGSEGV));
    }

    /// <summary>Reaps one background process that has ended: its pid and wait status, or false.</summary>
    public static bool ReapBackground(out int pid, out int status)
    {
        pid = 0;
        status = 0;
        for (int i = 1; i < ProcessTable.MaxTasks; i++)
        {
            Process* p = ProcessTable.Slot(i);
            if (p == null || !p->Background || p->State != TaskState.Zombie) continue;
            pid = p->Pid;
            status = WaitAndReap(pid);
            return true;
        }
        return false;
    }

    /// <summary>Lets other tasks run until <paramref name="pid"/> has ended; then frees what is
    /// left of it and returns its wait status (or -ESRCH if there is no such process).</summary>
    public static int WaitAndReap(int pid)
    {
        Process* p = ProcessTable.Find(pid);
        if (p == null || p->IsKernelTask) return -3;
        while (p->State != TaskState.Zombie)
            if (!Scheduler.Yield()) Cpu.Pause();
        int status = p->WaitStatus;
        KernelVmalloc.Free((void*)p->KernelStackBottom);
        ProcessTable.Release(p);
        return status;
    }
}
