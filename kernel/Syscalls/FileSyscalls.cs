// open/openat, close, read, pread64, write, lseek, fstat/newfstatat, getdents64 and ioctl on
// the read-only initrd, /proc (Fs/Proc) and the console. Paths are copied from user memory
// (PATH_MAX), then normalised against the root (no chdir yet) or a directory descriptor.
using Kernel.Arch.X64;
using Kernel.Fs;
using Kernel.Tasks;

namespace Kernel.Syscalls;

public static unsafe class FileSyscalls
{
    const int AtFdCwd = -100;
    const int OAccessMode = 3, OCreate = 0x40, OExclusive = 0x80, OTruncate = 0x200, ODirectory = 0x10000;
    const int AtSymlinkNoFollow = 0x100, AtNoAutomount = 0x800, AtEmptyPath = 0x1000;
    const int SeekSet = 0, SeekCurrent = 1, SeekEnd = 2;
    const int ChunkBytes = 256;

    static FileTable* Files => &Scheduler.Current->Files;

    // ---- paths -------------------------------------------------------------------------

    /// <summary>Copies the user path and resolves it against dirfd: the initrd entry
    /// (InitrdIndex.RootEntry for "/"), -1 when absent, or a negative errno below -1 ... as
    /// errors are returned through <paramref name="error"/>.</summary>
    static int Resolve(int dirfd, ulong userPath, bool allowEmpty, out int error)
    {
        error = 0;
        byte* raw = stackalloc byte[PathName.MaxLength];
        long n = UserMemory.StringFrom(raw, userPath, PathName.MaxLength);
        if (n < 0) { error = (int)n; return -1; }
        if (n == PathName.MaxLength) { error = -Errno.ENAMETOOLONG; return -1; }
        if (n == 0 && !allowEmpty) { error = -Errno.ENOENT; return -1; }

        byte* basePath = null;
        int baseLength = 0;
        if ((n == 0 || raw[0] != '/') && dirfd != AtFdCwd)
        {
            FileKind kind = Files->Kind(dirfd);
            if (kind == FileKind.None) { error = -Errno.EBADF; return -1; }
            if (kind != FileKind.Directory) { error = -Errno.ENOTDIR; return -1; }
            int dir = Files->Entry(dirfd);
            if (n == 0) return dir;
            if (dir != InitrdIndex.RootEntry)
            {
                basePath = Initrd.Index->Get(dir)->Path;
                baseLength = Initrd.Index->Get(dir)->PathLength;
            }
        }
        if (n == 0) return InitrdIndex.RootEntry; // AT_FDCWD with an empty path: the cwd, "/"
        byte* normal = stackalloc byte[PathName.MaxLength];
        int length = PathName.Normalize(basePath, baseLength, raw, (int)n, normal);
        if (length < 0) { error = -Errno.ENAMETOOLONG; return -1; }
        int entry = Initrd.Index->Find(normal, length);
        if (entry == -1) error = -Errno.ENOENT;
        return entry;
    }

    public static long Open(ulong path, int flags, int mode) => OpenAt(AtFdCwd, path, flags, mode);

    public static long OpenAt(int dirfd, ulong path, int flags, int mode)
    {
        byte* procPath = stackalloc byte[PathName.MaxLength];
        int procLength = ProcPathOf(dirfd, path, false, procPath);
        if (procLength >= 0 && Fs.Proc.ProcFiles.TryOpen(Files, procPath, procLength, flags, out long procResult)) return procResult;
        int entry = Resolve(dirfd, path, false, out int error);
        if (error == -Errno.ENOENT && (flags & OCreate) != 0) return -Errno.EROFS;
        if (error != 0) return error;
        if ((flags & (OCreate | OExclusive)) == (OCreate | OExclusive)) return -Errno.EEXIST;
        bool directory = Initrd.Index->IsDirectory(entry);
        bool writing = (flags & OAccessMode) != 0 || (flags & OTruncate) != 0;
        if (writing) return directory ? -Errno.EISDIR : -Errno.EROFS;
        if ((flags & ODirectory) != 0 && !directory) return -Errno.ENOTDIR;
        return Files->Open(directory ? FileKind.Directory : FileKind.File, entry, flags);
    }

    /// <summary>The normalised path for /proc's look-up: absolute paths, paths relative to the
    /// cwd "/" and paths relative to a /proc directory descriptor. Its length, or -1 for paths
    /// that cannot name /proc (Resolve reports their errors).</summary>
    static int ProcPathOf(int dirfd, ulong userPath, bool allowEmpty, byte* normal)
    {
        byte* raw = stackalloc byte[PathName.MaxLength];
        long n = UserMemory.StringFrom(raw, userPath, PathName.MaxLength);
        if (n < 0 || n == PathName.MaxLength || (n == 0 && !allowEmpty)) return -1;
        byte* basePath = stackalloc byte[16];
        int baseLength = 0;
        if ((n == 0 || raw[0] != '/') && dirfd != AtFdCwd)
        {
            if (Files->Kind(dirfd) != FileKind.ProcDirectory) return -1;
            baseLength = Fs.Proc.ProcFiles.PathOf(Files->Entry(dirfd), basePath);
        }
        return PathName.Normalize(basePath, baseLength, raw, (int)n, normal);
    }

    public static long Close(int fd) => Files->Close(fd);

    // ---- reading and writing -------------------------------------------------------------

    public static long Read(int fd, ulong buffer, ulong count)
    {
        FileKind kind = Files->Kind(fd);
        if (kind == FileKind.None) return -Errno.EBADF;
        if (kind == FileKind.Directory || kind == FileKind.ProcDirectory) return -Errno.EISDIR;
        if (count > long.MaxValue) count = long.MaxValue;
        if (kind == FileKind.Console) return ReadConsole(buffer, count);
        long n = kind == FileKind.Proc ? Fs.Proc.ProcFiles.ReadAt(Files->Entry(fd), buffer, count, Files->Position(fd)) : ReadFileAt(fd, buffer, count, Files->Position(fd));
        if (n > 0) Files->SetPosition(fd, Files->Position(fd) + (ulong)n);
        return n;
    }

    public static long PRead(int fd, ulong buffer, ulong count, long offset)
    {
        FileKind kind = Files->Kind(fd);
        if (kind == FileKind.None) return -Errno.EBADF;
        if (offset < 0) return -Errno.EINVAL;
        if (kind == FileKind.Console) return -Errno.ESPIPE;
        if (kind == FileKind.Directory || kind == FileKind.ProcDirectory) return -Errno.EISDIR;
        if (kind == FileKind.Proc) return Fs.Proc.ProcFiles.ReadAt(Files->Entry(fd), buffer, count, (ulong)offset);
        return ReadFileAt(fd, buffer, count, (ulong)offset);
    }

    static long ReadFileAt(int fd, ulong buffer, ulong count, ulong position)
    {
        InitrdIndex.Entry* e = Initrd.Index->Get(Files->Entry(fd));
        if (!UserMemory.RangeOk(buffer, count)) return -Errno.EFAULT;
        if (position >= e->Size) return 0;
        ulong n = e->Size - position < count ? e->Size - position : count;
        long r = UserMemory.CopyTo(buffer, e->Data + position, n);
        return r < 0 ? r : (long)n;
    }

    /// <summary>The whole buffer is checked first: a bad pointer fails at once, not after a wait.</summary>
    internal static long ReadConsole(ulong buffer, ulong count)
    {
        if (count == 0) return UserMemory.RangeOk(buffer, 0) ? 0 : -Errno.EFAULT;
        if (Tasks.Vm.UserPages.FaultIn(Scheduler.Current, buffer, count, write: true) != 0) return -Errno.EFAULT;
        byte* chunk = stackalloc byte[ChunkBytes];
        int n = ConsoleDevice.Read(chunk, count < ChunkBytes ? (int)count : ChunkBytes);
        if (n < 0) return n; // Ctrl-C: -EINTR, and SIGINT is pending
        long r = UserMemory.CopyTo(buffer, chunk, (ulong)n);
        return r < 0 ? r : n;
    }

    public static long Write(int fd, ulong buffer, ulong count)
    {
        FileKind kind = Files->Kind(fd);
        if (kind == FileKind.None) return -Errno.EBADF;
        if (kind != FileKind.Console) return -Errno.EBADF; // initrd files are open read-only
        return WriteConsole(buffer, count);
    }

    internal static long WriteConsole(ulong buffer, ulong count)
    {
        if (!UserMemory.RangeOk(buffer, count)) return -Errno.EFAULT;
        byte* chunk = stackalloc byte[ChunkBytes];
        ulong done = 0;
        while (done < count)
        {
            ulong n = count - done < ChunkBytes ? count - done : ChunkBytes;
            if (UserMemory.CopyFrom(chunk, buffer + done, n) < 0) return done > 0 ? (long)done : -Errno.EFAULT;
            ConsoleDevice.Write(chunk, (int)n);
            done += n;
        }
        return (long)done;
    }

    public static long Seek(int fd, long offset, int whence)
    {
        FileKind kind = Files->Kind(fd);
        if (kind == FileKind.None) return -Errno.EBADF;
        if (kind == FileKind.Console) return -Errno.ESPIPE;
        long position = (long)Files->Position(fd);
        long target;
        if (kind == FileKind.Directory || kind == FileKind.ProcDirectory)
        {
            if (whence != SeekSet) return -Errno.EINVAL;
            target = offset;
        }
        else if (whence == SeekSet) target = offset;
        else if (whence == SeekCurrent) target = position + offset;
        else if (whence == SeekEnd && kind == FileKind.Proc) return -Errno.EINVAL; // no size, as Linux's seq files
        else if (whence == SeekEnd) target = (long)Initrd.Index->Get(Files->Entry(fd))->Size + offset;
        else return -Errno.EINVAL;
        if (whence != SeekSet && ((offset > 0 && target < position && whence == SeekCurrent))) return -Errno.EOVERFLOW;
        if (target < 0) return -Errno.EINVAL;
        Files->SetPosition(fd, (ulong)target);
        return target;
    }

    // ---- metadata ------------------------------------------------------------------------

    public static long Fstat(int fd, ulong statbuf)
    {
        FileKind kind = Files->Kind(fd);
        if (kind == FileKind.None) return -Errno.EBADF;
        byte* s = stackalloc byte[StatBuffer.Size];
        if (kind == FileKind.Console) StatBuffer.ForConsole(s);
        else if (kind == FileKind.Proc || kind == FileKind.ProcDirectory) Fs.Proc.ProcFiles.Stat(Files->Entry(fd), s);
        else StatBuffer.ForInitrd(s, Initrd.Index, Files->Entry(fd));
        return UserMemory.CopyTo(statbuf, s, StatBuffer.Size);
    }

    public static long NewFstatAt(int dirfd, ulong path, ulong statbuf, int flags)
    {
        if ((flags & ~(AtSymlinkNoFollow | AtNoAutomount | AtEmptyPath)) != 0) return -Errno.EINVAL;
        bool emptyOk = (flags & AtEmptyPath) != 0;
        if (emptyOk && dirfd != AtFdCwd && (Files->Kind(dirfd) == FileKind.Console || Files->Kind(dirfd) == FileKind.Proc))
        {
            byte first;
            if (UserMemory.CopyFrom(&first, path, 1) < 0) return -Errno.EFAULT;
            if (first == 0) return Fstat(dirfd, statbuf);
        }
        byte* s = stackalloc byte[StatBuffer.Size];
        byte* procPath = stackalloc byte[PathName.MaxLength];
        int procLength = ProcPathOf(dirfd, path, emptyOk, procPath);
        if (procLength >= 0 && Fs.Proc.ProcFiles.TryStat(procPath, procLength, s, out long procResult))
            return procResult < 0 ? procResult : UserMemory.CopyTo(statbuf, s, StatBuffer.Size);
        int entry = Resolve(dirfd, path, emptyOk, out int error);
        if (error != 0) return error;
        StatBuffer.ForInitrd(s, Initrd.Index, entry);
        return UserMemory.CopyTo(statbuf, s, StatBuffer.Size);
    }

    /// <summary>Lists an initrd directory (ListInitrd) or a /proc one (ProcFiles.List) into a
    /// kernel buffer, then copies what fitted out and keeps the position where it stopped.</summary>
    public static long GetDents64(int fd, ulong buffer, ulong count)
    {
        FileKind kind = Files->Kind(fd);
        if (kind == FileKind.None) return -Errno.EBADF;
        if (kind != FileKind.Directory && kind != FileKind.ProcDirectory) return -Errno.ENOTDIR;
        if (!UserMemory.RangeOk(buffer, count)) return -Errno.EFAULT;
        int room = count < 2048 ? (int)count : 2048;
        byte* out_ = stackalloc byte[2048];
        ulong position = Files->Position(fd);
        int used = kind == FileKind.ProcDirectory
            ? Fs.Proc.ProcFiles.List(Files->Entry(fd), out_, room, ref position)
            : ListInitrd(Files->Entry(fd), out_, room, ref position);
        if (used < 0) return used;
        long r = UserMemory.CopyTo(buffer, out_, (ulong)used);
        if (r < 0) return r;
        Files->SetPosition(fd, position);
        return used;
    }

    /// <summary>Positions: 0 ".", 1 "..", then 2 + the index entry to search from. Bytes
    /// written, or -EINVAL when not even one entry fits.</summary>
    static int ListInitrd(int dir, byte* out_, int room, ref ulong position)
    {
        int used = 0;
        byte* dot = stackalloc byte[2];
        dot[0] = dot[1] = (byte)'.';
        while (true)
        {
            int written;
            ulong next;
            if (position < 2)
            {
                next = position + 1;
                written = StatBuffer.Dirent(out_ + used, room - used, position == 0 ? StatBuffer.InodeOf(Initrd.Index, dir) : 1,
                                            (long)next, 4, dot, (int)position + 1);
            }
            else
            {
                int child = Initrd.Index->NextChild(dir, (int)(position - 2), out byte* name, out int nameLength);
                if (child < 0) break;
                next = (ulong)child + 3;
                written = StatBuffer.Dirent(out_ + used, room - used, StatBuffer.InodeOf(Initrd.Index, child), (long)next,
                                            (byte)((Initrd.Index->Get(child)->Mode >> 12) & 0xf), name, nameLength);
            }
            if (written == 0)
            {
                if (used == 0) return -Errno.EINVAL;
                break;
            }
            used += written;
            position = next;
        }
        return used;
    }

    const int FDupFd = 0, FGetFd = 1, FSetFd = 2, FGetFl = 3, FSetFl = 4, FDupFdCloexec = 1030;

    /// <summary>Descriptor flags are accepted and not kept (no exec yet); F_DUPFD duplicates.</summary>
    public static long Fcntl(int fd, int command, ulong argument)
    {
        FileKind kind = Files->Kind(fd);
        if (kind == FileKind.None) return -Errno.EBADF;
        switch (command)
        {
            case FGetFd: return 0;
            case FSetFd: return 0;
            case FGetFl: return Files->Flags(fd);
            case FSetFl: return 0;
            case FDupFd:
            case FDupFdCloexec:
                if (argument >= FileTable.MaxFiles) return -Errno.EINVAL;
                return Files->Duplicate(fd, (int)argument);
            default: return -Errno.EINVAL;
        }
    }

    // ---- ioctl ---------------------------------------------------------------------------

    const uint Tcgets = 0x5401, Tiocgwinsz = 0x5413, Tiocsctty = 0x540e, Tiocgpgrp = 0x540f, Tiocspgrp = 0x5410, Tiocnotty = 0x5422;

    public static long Ioctl(int fd, uint command, ulong argument)
    {
        FileKind kind = Files->Kind(fd);
        if (kind == FileKind.None) return -Errno.EBADF;
        if (kind != FileKind.Console) return -Errno.ENOTTY;
        if (command == Tiocgwinsz)
        {
            ushort* size = stackalloc ushort[4];
            size[0] = 25; size[1] = 80; size[2] = 0; size[3] = 0;
            return UserMemory.CopyTo(argument, size, 8);
        }
        if (command == Tcgets)
        {
            // struct termios (36 bytes): canonical mode with echo, as a fresh Linux console.
            byte* t = stackalloc byte[36];
            for (int i = 0; i < 36; i++) t[i] = 0;
            *(uint*)(t + 0) = 0x500;   // c_iflag: ICRNL | IXON
            *(uint*)(t + 4) = 0x5;     // c_oflag: OPOST | ONLCR
            *(uint*)(t + 8) = 0xbf;    // c_cflag: B38400 | CS8 | CREAD | HUPCL
            *(uint*)(t + 12) = 0x8a3b; // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
            byte* cc = t + 17;
            cc[0] = 3; cc[1] = 0x1c; cc[2] = 0x7f; cc[3] = 0x15; cc[4] = 4; cc[5] = 0; cc[6] = 1;
            return UserMemory.CopyTo(argument, t, 36);
        }
        if (command == Tiocgpgrp)
        {
            int group = ConsoleForeground.Group;
            return UserMemory.CopyTo(argument, &group, 4);
        }
        if (command == Tiocspgrp)
        {
            int group;
            if (UserMemory.CopyFrom(&group, argument, 4) < 0) return -Errno.EFAULT;
            return ConsoleForeground.Change(group);
        }
        // The console is every process's controlling terminal: taking or dropping it is a no-op.
        if (command == Tiocsctty || command == Tiocnotty) return 0;
        return -Errno.ENOTTY;
    }
}
