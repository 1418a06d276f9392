// wait4 and what happens to children: a parent reaps its zombie children with Linux's status
// encoding; children whose parent exits first become orphans that the kernel reaps itself
// (there is no init to adopt them), so no process slot or frame is lost.
using Kernel.Arch.X64;
using Kernel.Syscalls;

namespace Kernel.Tasks;

public static unsafe class ProcessWait
{
    const int WNohang = 1, WUntraced = 2, WContinued = 8, WNothread = 0x20000000, WAll = 0x40000000, WClone = unchecked((int)0x80000000);

    /// <summary>wait4(2) for pid &gt; 0 that child, -1 any child, 0 a child in the caller's group, &lt; -1 a child in group -pid: the reaped child's pid (status stored when asked), 0 with WNOHANG
    /// when none has ended, -ECHILD without matching children, -EINVAL, -EFAULT, or -ERESTARTSYS for a signal (SignalDelivery makes it -EINTR or a restart).</summary>
    public static long Wait4(int pid, ulong statusAddress, int options, ulong rusageAddress)
    {
        if ((options & ~(WNohang | WUntraced | WContinued | WNothread | WAll | WClone)) != 0) return -Errno.EINVAL;
        if (pid == int.MinValue) return -Errno.ESRCH; // -INT_MIN overflows: Linux answers ESRCH
        Process* self = Scheduler.Current;
        while (true)
        {
            bool any = false;
            Process* zombie = null;
            for (int i = 1; i < ProcessTable.MaxTasks; i++)
            {
                Process* c = ProcessTable.Slot(i);
                if (c == null || c == self || c->ParentPid != self->Pid || c->Orphan) continue;
                if (pid > 0 && c->Pid != pid) continue;
                if (pid == 0 && c->Pgid != self->Pgid || pid < -1 && c->Pgid != -pid) continue;
                any = true;
                if (c->State == TaskState.Zombie) { zombie = c; break; }
            }
            if (!any) return -Errno.ECHILD;
            if (zombie != null)
            {
                int status = zombie->WaitStatus, childPid = zombie->Pid;
                if (statusAddress != 0 && UserMemory.CopyTo(statusAddress, &status, 4) < 0) return -Errno.EFAULT;
                if (rusageAddress != 0)
                {
                    byte* usage = stackalloc byte[144];
                    Runtime.Bytes.Zero(usage, 144);
                    if (UserMemory.CopyTo(rusageAddress, usage, 144) < 0) return -Errno.EFAULT;
                }
                ProcessLifecycle.WaitAndReap(childPid);
                return childPid;
            }
            if ((options & WNohang) != 0) return 0;
            if (SignalSend.Interrupting(self)) return -SignalDelivery.ERestartSys;
            if (!Scheduler.Yield()) Cpu.Pause();
        }
    }

    /// <summary>On exit: zombie children are reaped now, live ones become orphans.</summary>
    public static void OrphanChildren(Process* parent)
    {
        for (int i = 1; i < ProcessTable.MaxTasks; i++)
        {
            Process* c = ProcessTable.Slot(i);
            if (c == null || c == parent || c->ParentPid != parent->Pid || parent->IsKernelTask) continue;
            if (c->State == TaskState.Zombie) ProcessLifecycle.WaitAndReap(c->Pid);
            else
            {
                c->Orphan = true;
                c->ParentPid = 0;
            }
        }
    }

    /// <summary>Reaps orphans that have ended (not the caller: its stack is in use).</summary>
    public static void ReapOrphans()
    {
        Process* self = Scheduler.Current;
        for (int i = 1; i < ProcessTable.MaxTasks; i++)
        {
            Process* c = ProcessTable.Slot(i);
            if (c != null && c != self && c->Orphan && c->State == TaskState.Zombie) ProcessLifecycle.WaitAndReap(c->Pid);
        }
    }
}
