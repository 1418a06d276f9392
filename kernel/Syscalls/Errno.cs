// Platform-neutral shared source (kernel and host tests).
// Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h) as the syscalls return
// them (negated), and their names for log lines. The one definition: the memory manager's
// operations (kernel/Memory/Virtual) return these too, so the syscall layer forwards their
// results unchanged, and tests/Kernel.Tests and tools/Bench/VmaBench compile this file by path.
// It stays in Kernel.Syscalls, where most of its users live; Memory/Virtual imports it.
namespace Kernel.Syscalls;

public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, E2BIG = 7, ENOEXEC = 8, EBADF = 9,
        ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EISDIR = 21,
        EINVAL = 22, EMFILE = 24, ENOTTY = 25, ESPIPE = 29, EROFS = 30, ERANGE = 34, ENAMETOOLONG = 36,
        ENOSYS = 38, ENOTEMPTY = 39, EOVERFLOW = 75, EOPNOTSUPP = 95;

    /// <summary>The symbolic name of an errno value, positive or negated; "E?" for one not listed
    /// above (every constant has a case: tests/Kernel.Tests/Syscalls/ErrnoTests checks it).</summary>
    public static string Name(int error)
    {
        switch (error < 0 ? -error : error)
        {
            case EPERM: return "EPERM";
            case ENOENT: return "ENOENT";
            case ESRCH: return "ESRCH";
            case EINTR: return "EINTR";
            case EIO: return "EIO";
            case E2BIG: return "E2BIG";
            case ENOEXEC: return "ENOEXEC";
            case EBADF: return "EBADF";
            case ECHILD: return "ECHILD";
            case EAGAIN: return "EAGAIN";
            case ENOMEM: return "ENOMEM";
            case ENODEV: return "ENODEV";
            case EACCES: return "EACCES";
            case EFAULT: return "EFAULT";
            case EEXIST: return "EEXIST";
            case ENOTDIR: return "ENOTDIR";
            case EISDIR: return "EISDIR";
            case EINVAL: return "EINVAL";
            case EMFILE: return "EMFILE";
            case ENOTTY: return "ENOTTY";
            case ESPIPE: return "ESPIPE";
            case EROFS: return "EROFS";
            case ERANGE: return "ERANGE";
            case ENAMETOOLONG: return "ENAMETOOLONG";
            case ENOSYS: return "ENOSYS";
            case ENOTEMPTY: return "ENOTEMPTY";
            case EOVERFLOW: return "EOVERFLOW";
            case EOPNOTSUPP: return "EOPNOTSUPP";
            default: return "E?";
        }
    }
}
