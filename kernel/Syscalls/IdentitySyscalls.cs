// What a C library asks at start-up and a shell before it runs anything: user and group ids
// (everything runs as root), resource limits (prlimit64 / getrlimit with Linux's defaults, the
// stack limit from the process's VmSpace), prctl names, readlink (no links to read: /proc/self/exe
// is -ENOENT, which glibc's static start-up accepts), getcwd ("/": there is no chdir), dup/dup2/dup3.
using Kernel.Arch.X64;
using Kernel.Tasks;

namespace Kernel.Syscalls;

public static unsafe class IdentitySyscalls
{
    public static long GetId() => 0;

    /// <summary>getresuid / getresgid: real, effective and saved ids, all 0.</summary>
    public static long GetResId(ulong a, ulong b, ulong c)
    {
        uint zero = 0;
        if (UserMemory.CopyTo(a, &zero, 4) < 0 || UserMemory.CopyTo(b, &zero, 4) < 0 || UserMemory.CopyTo(c, &zero, 4) < 0) return -Errno.EFAULT;
        return 0;
    }

    const int RlimitStack = 3, RlimitNofile = 7, RlimitCount = 16;
    const ulong Infinity = ulong.MaxValue;

    /// <summary>prlimit64(pid, resource, new, old): only the caller (pid 0 or its own); a new
    /// limit is accepted (soft <= hard) and, for the stack, used by stack growth.</summary>
    public static long Prlimit(int pid, uint resource, ulong newLimit, ulong oldLimit)
    {
        Process* p = Scheduler.Current;
        if (pid != 0 && pid != p->Pid) return ProcessTable.Find(pid) == null ? -Errno.ESRCH : -Errno.EPERM;
        if (resource >= RlimitCount) return -Errno.EINVAL;
        ulong* limit = stackalloc ulong[2];
        if (newLimit != 0)
        {
            if (UserMemory.CopyFrom(limit, newLimit, 16) < 0) return -Errno.EFAULT;
            if (limit[0] > limit[1]) return -Errno.EINVAL;
        }
        if (oldLimit != 0)
        {
            ulong* old = stackalloc ulong[2];
            old[0] = old[1] = Infinity;
            if (resource == RlimitStack) { old[0] = p->Vm.StackLimit; }
            if (resource == RlimitNofile) old[0] = old[1] = Fs.FileTable.MaxFiles;
            if (UserMemory.CopyTo(oldLimit, old, 16) < 0) return -Errno.EFAULT;
        }
        if (newLimit != 0 && resource == RlimitStack) p->Vm.StackLimit = limit[0];
        return 0;
    }

    public static long GetRlimit(uint resource, ulong oldLimit) => Prlimit(0, resource, 0, oldLimit);

    const int PrSetName = 15, PrGetName = 16;

    public static long Prctl(int option, ulong arg)
    {
        Process* p = Scheduler.Current;
        byte* name = stackalloc byte[16];
        switch (option)
        {
            case PrSetName:
                long n = UserMemory.StringFrom(name, arg, 16);
                if (n < 0) return -Errno.EFAULT;
                p->NameLength = 0;
                for (int i = 0; i < n && i < 15; i++) p->Name[p->NameLength++] = name[i];
                return 0;
            case PrGetName:
                for (int i = 0; i < 16; i++) name[i] = i < p->NameLength && i < 15 ? p->Name[i] : (byte)0;
                return UserMemory.CopyTo(arg, name, 16) < 0 ? -Errno.EFAULT : 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>readlink / readlinkat: nothing here is a link the caller may read.</summary>
    public static long ReadLink(ulong path, ulong buffer, ulong size)
    {
        if ((long)size <= 0) return -Errno.EINVAL;
        byte first;
        if (UserMemory.CopyFrom(&first, path, 1) < 0) return -Errno.EFAULT;
        return -Errno.ENOENT;
    }

    public static long GetCwd(ulong buffer, ulong size)
    {
        if (size < 2) return -Errno.ERANGE;
        byte* root = stackalloc byte[2];
        root[0] = (byte)'/';
        root[1] = 0;
        return UserMemory.CopyTo(buffer, root, 2) < 0 ? -Errno.EFAULT : 2;
    }

    public static long Dup(int fd)
    {
        Fs.FileTable* files = &Scheduler.Current->Files;
        if (files->Kind(fd) == Fs.FileKind.None) return -Errno.EBADF;
        return files->Duplicate(fd, 0);
    }

    /// <summary>dup2 / dup3: the copy goes exactly to <paramref name="target"/> (closed first).</summary>
    public static long Dup2(int fd, int target, int flags, bool isDup3)
    {
        Fs.FileTable* files = &Scheduler.Current->Files;
        if (isDup3 && (flags & ~0x80000) != 0) return -Errno.EINVAL;
        if (files->Kind(fd) == Fs.FileKind.None) return -Errno.EBADF;
        if (target < 0 || target >= Fs.FileTable.MaxFiles) return -Errno.EBADF;
        if (fd == target) return isDup3 ? -Errno.EINVAL : target;
        if (files->Kind(target) != Fs.FileKind.None) files->Close(target);
        return files->Duplicate(fd, target);
    }
}
