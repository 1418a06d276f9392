// readv and writev: the iovec array is copied in a few entries at a time; entries of length 0
// are skipped whatever their base (musl's stdio flushes with a { NULL, 0 } entry). Linux's
// rules: more than IOV_MAX entries or a total over SSIZE_MAX is -EINVAL; a fault after some
// bytes moved returns the bytes moved; a short read ends the call.
using Kernel.Arch.X64;

namespace Kernel.Syscalls;

public static unsafe class VectorSyscalls
{
    const int IovMax = 1024;
    const int Batch = 16;

    public static long ReadV(int fd, ulong vector, long count) => Transfer(fd, vector, count, write: false);
    public static long WriteV(int fd, ulong vector, long count) => Transfer(fd, vector, count, write: true);

    static long Transfer(int fd, ulong vector, long count, bool write)
    {
        if (count < 0 || count > IovMax) return -Errno.EINVAL;
        if (Tasks.Scheduler.Current->Files.Kind(fd) == Fs.FileKind.None) return -Errno.EBADF;
        ulong* entries = stackalloc ulong[2 * Batch];
        // Validate the whole vector first, as Linux does before moving anything.
        ulong total = 0;
        for (long i = 0; i < count; i += Batch)
        {
            long n = count - i < Batch ? count - i : Batch;
            if (UserMemory.CopyFrom(entries, vector + (ulong)i * 16, (ulong)n * 16) < 0) return -Errno.EFAULT;
            for (long k = 0; k < n; k++)
            {
                ulong length = entries[2 * k + 1];
                if (length > long.MaxValue || total + length > long.MaxValue) return -Errno.EINVAL;
                total += length;
                if (length != 0 && !UserMemory.RangeOk(entries[2 * k], length)) return -Errno.EFAULT;
            }
        }
        long done = 0;
        for (long i = 0; i < count; i += Batch)
        {
            long n = count - i < Batch ? count - i : Batch;
            if (UserMemory.CopyFrom(entries, vector + (ulong)i * 16, (ulong)n * 16) < 0) return done > 0 ? done : -Errno.EFAULT;
            for (long k = 0; k < n; k++)
            {
                ulong length = entries[2 * k + 1];
                if (length == 0) continue;
                long r = write ? FileSyscalls.Write(fd, entries[2 * k], length) : FileSyscalls.Read(fd, entries[2 * k], length);
                if (r < 0) return done > 0 ? done : r;
                done += r;
                if ((ulong)r < length) return done;
            }
        }
        return done;
    }
}
