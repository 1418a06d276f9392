// Process groups and sessions (Process.Pgid, Process.Sid) with Linux's rules. A process the
// kernel starts (init, the shell's `run`) leads a new session and group; fork inherits both;
// setsid makes a non-leader the leader of a new session and group; setpgid moves the caller or
// a child it forked (same session, not yet exec'd) into an existing group of the session or a
// new one named after itself. Signals go to a whole group (kill(0) / kill(-pgid)) and wait4
// waits for a group's members (ProcessWait); the console's foreground group is one of these.
namespace Kernel.Tasks;

public static unsafe class ProcessGroups
{
    const int EPERM = -1, ESRCH = -3, EACCES = -13, EINVAL = -22;

    /// <summary>A process the kernel starts: its own session and group.</summary>
    public static void Lead(Process* p)
    {
        p->Pgid = p->Pid;
        p->Sid = p->Pid;
    }

    /// <summary>A live or zombie process (not the kernel task) by pid, or null.</summary>
    static Process* FindUser(int pid)
    {
        Process* p = pid > 0 ? ProcessTable.Find(pid) : null;
        return p == null || p->IsKernelTask ? null : p;
    }

    /// <summary>Any process of group <paramref name="pgid"/> (null when the group is empty).</summary>
    public static Process* Member(int pgid)
    {
        for (int i = 1; i < ProcessTable.MaxTasks; i++)
        {
            Process* p = ProcessTable.Slot(i);
            if (p != null && !p->IsKernelTask && p->Pgid == pgid) return p;
        }
        return null;
    }

    /// <summary>getpgid / getsid: pid 0 is the caller; -ESRCH for no such process.</summary>
    public static int GroupOf(int pid) => Lookup(pid, false);
    public static int SessionOf(int pid) => Lookup(pid, true);

    static int Lookup(int pid, bool session)
    {
        if (pid < 0) return ESRCH;
        Process* p = pid == 0 ? Scheduler.Current : FindUser(pid);
        if (p == null) return ESRCH;
        return session ? p->Sid : p->Pgid;
    }

    /// <summary>setsid: the new session id (the caller's pid), or -EPERM when a group already
    /// carries the caller's pid (it leads one).</summary>
    public static int NewSession()
    {
        Process* self = Scheduler.Current;
        if (Member(self->Pid) != null) return EPERM;
        Lead(self);
        return self->Pid;
    }

    /// <summary>setpgid(pid, pgid): 0, -EINVAL (pgid &lt; 0), -ESRCH (neither the caller nor its
    /// child), -EPERM (child in another session, a session leader, or a group of another session
    /// or none), -EACCES (the child has exec'd).</summary>
    public static int SetGroup(int pid, int pgid)
    {
        Process* self = Scheduler.Current;
        if (pid == 0) pid = self->Pid;
        if (pgid == 0) pgid = pid;
        if (pgid < 0) return EINVAL;
        Process* p = FindUser(pid);
        if (p == null) return ESRCH;
        if (p != self)
        {
            if (p->ParentPid != self->Pid || p->Orphan) return ESRCH;
            if (p->Sid != self->Sid) return EPERM;
            if (p->Execed) return EACCES;
        }
        if (p->Sid == p->Pid) return EPERM;
        if (pgid != pid)
        {
            Process* g = Member(pgid);
            if (g == null || g->Sid != self->Sid) return EPERM;
        }
        p->Pgid = pgid;
        return 0;
    }

    /// <summary>Signals every process of group <paramref name="pgid"/>: 0 if it has members,
    /// -ESRCH otherwise. No allocation and no blocking: the console's interrupt path uses it.</summary>
    public static int Signal(int pgid, int signal, int code, int senderPid)
    {
        bool any = false;
        for (int i = 1; i < ProcessTable.MaxTasks; i++)
        {
            Process* p = ProcessTable.Slot(i);
            if (p == null || p->IsKernelTask || p->Pgid != pgid) continue;
            any = true;
            if (signal != 0) SignalSend.Post(p, signal, code, senderPid, 0, 0);
        }
        return any ? 0 : ESRCH;
    }

    /// <summary>kill(-1, sig): every process but init (pid 1) and the caller; -ESRCH if none.</summary>
    public static int SignalAll(int signal, int code)
    {
        Process* self = Scheduler.Current;
        bool any = false;
        for (int i = 1; i < ProcessTable.MaxTasks; i++)
        {
            Process* p = ProcessTable.Slot(i);
            if (p == null || p->IsKernelTask || p == self || p->Pid <= 1) continue;
            any = true;
            if (signal != 0) SignalSend.Post(p, signal, code, self->Pid, 0, 0);
        }
        return any ? 0 : ESRCH;
    }
}
