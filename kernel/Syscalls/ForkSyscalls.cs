// fork, vfork (a fork: the child gets a copy, which vfork's callers cannot tell apart), clone for
// new processes (no shared address space or threads yet: CLONE_VM / CLONE_THREAD / CLONE_SIGHAND
// are -ENOSYS), execve and wait4.
using Kernel.Arch.X64;
using Kernel.Tasks;

namespace Kernel.Syscalls;

public static unsafe class ForkSyscalls
{
    const ulong CloneVm = 0x100, CloneFs = 0x200, CloneFiles = 0x400, CloneSighand = 0x800, CloneVfork = 0x4000,
        CloneThread = 0x10000, CloneSettls = 0x80000, CloneParentSettid = 0x100000, CloneChildCleartid = 0x200000,
        CloneChildSettid = 0x01000000, CloneSignalMask = 0xff;

    public static long Fork() => ProcessFork.Fork(0, false, false);

    /// <summary>clone(flags, newsp, parent_tid, child_tid, tls) as x86-64 orders them.</summary>
    public static long Clone(ulong flags, ulong newStack, ulong parentTid, ulong childTid, ulong tls)
    {
        if ((flags & (CloneVm | CloneThread | CloneSighand | CloneFs | CloneFiles)) != 0) return -Errno.ENOSYS;
        ulong known = CloneVfork | CloneSettls | CloneParentSettid | CloneChildCleartid | CloneChildSettid | CloneSignalMask;
        if ((flags & ~known) != 0) return -Errno.EINVAL;
        if ((flags & CloneSettls) != 0 && tls >= SyscallGate.UserLimit) return -Errno.EPERM;
        int pid = ProcessFork.Fork(childTid, (flags & CloneChildSettid) != 0, (flags & CloneChildCleartid) != 0);
        if (pid < 0) return pid;
        Process* child = ProcessTable.Find(pid);
        if (newStack != 0) TaskStack.UserFrame(child)->Rsp = newStack;
        if ((flags & CloneSettls) != 0) child->FsBase = tls;
        if ((flags & CloneParentSettid) != 0) UserMemory.CopyTo(parentTid, &pid, 4);
        return pid;
    }

    public static long Execve(ulong path, ulong argv, ulong envp) => ProgramExec.Execve(path, argv, envp);

    public static long Wait4(int pid, ulong status, int options, ulong rusage) => ProcessWait.Wait4(pid, status, options, rusage);
}
