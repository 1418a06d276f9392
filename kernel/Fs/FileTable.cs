// A process's open files: a fixed table of descriptors, each naming what it refers to (the
// console, an initrd file or directory) and its position. Nothing here owns memory: initrd
// data stays in the archive, so closing only clears the slot.
using Kernel.Syscalls;

namespace Kernel.Fs;

/// <summary>Proc, ProcDirectory: a /proc file or directory (Fs/Proc/ProcFiles.cs); its entry word
/// names the node and pid.</summary>
public enum FileKind : byte { None = 0, Console, File, Directory, Proc, ProcDirectory }

public unsafe struct FileTable
{
    public const int MaxFiles = 64;

    fixed byte _kind[MaxFiles];
    fixed int _entry[MaxFiles];     // the initrd entry (InitrdIndex) for files and directories
    fixed ulong _position[MaxFiles];
    fixed int _flags[MaxFiles];

    public FileKind Kind(int fd) => fd >= 0 && fd < MaxFiles ? (FileKind)_kind[fd] : FileKind.None;
    public int Entry(int fd) => _entry[fd];
    public ulong Position(int fd) => _position[fd];
    public void SetPosition(int fd, ulong position) => _position[fd] = position;
    public int Flags(int fd) => _flags[fd];

    /// <summary>The lowest free descriptor bound to this file, or -EMFILE.</summary>
    public int Open(FileKind kind, int entry, int flags)
    {
        for (int fd = 0; fd < MaxFiles; fd++)
        {
            if (_kind[fd] != 0) continue;
            _kind[fd] = (byte)kind;
            _entry[fd] = entry;
            _position[fd] = 0;
            _flags[fd] = flags;
            return fd;
        }
        return -Errno.EMFILE;
    }

    /// <summary>A copy of <paramref name="fd"/> at the lowest free descriptor >= minimum, or -EMFILE.
    /// (Without fork, copies keep their own position.)</summary>
    public int Duplicate(int fd, int minimum)
    {
        for (int copy = minimum; copy < MaxFiles; copy++)
        {
            if (_kind[copy] != 0) continue;
            _kind[copy] = _kind[fd];
            _entry[copy] = _entry[fd];
            _position[copy] = _position[fd];
            _flags[copy] = _flags[fd];
            return copy;
        }
        return -Errno.EMFILE;
    }

    public int Close(int fd)
    {
        if (Kind(fd) == FileKind.None) return -Errno.EBADF;
        _kind[fd] = 0;
        return 0;
    }

    public void CloseAll()
    {
        for (int fd = 0; fd < MaxFiles; fd++) _kind[fd] = 0;
    }

    /// <summary>stdin, stdout and stderr on the console.</summary>
    public void OpenStandard()
    {
        for (int fd = 0; fd < 3; fd++)
        {
            _kind[fd] = (byte)FileKind.Console;
            _position[fd] = 0;
            _flags[fd] = fd == 0 ? 0 : 1;
        }
    }
}
