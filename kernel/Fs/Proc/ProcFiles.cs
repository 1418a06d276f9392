// /proc through descriptors: open, stat, read and list. A normalised path (ProcPath) names a
// node; files (meminfo, buddyinfo, slabinfo, PID/maps) open as kind Proc, directories (/proc,
// /proc/PID, /proc/self) as kind ProcDirectory; either way the entry word is file << 24 | pid.
// Every read regenerates the text (ProcText) and copies the part at the file position, so a
// descriptor holds no buffer (fork copies it freely) and a short read continues where it was.
// Texts longer than the read buffer (64 KiB) are cut at a whole line.
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Memory.Slab;
using Kernel.Tasks;
using Kernel.Syscalls;

namespace Kernel.Fs.Proc;

public static unsafe class ProcFiles
{
    const int TextBytes = 64 * 1024;
    const int OAccessMode = 3, OTruncate = 0x200, ODirectory = 0x10000;

    /// <summary>True when the normalised path (no leading '/') lies under proc/; then
    /// <paramref name="result"/> is the new descriptor or -errno.</summary>
    public static bool TryOpen(FileTable* files, byte* path, int length, int flags, out long result)
    {
        result = 0;
        if (!ProcPath.Parse(path, length, Scheduler.Current->Pid, out ProcFile file, out int pid)) return false;
        if (!Exists(file, pid)) { result = -Errno.ENOENT; return true; }
        bool directory = ProcPath.IsDirectory(file);
        if ((flags & OAccessMode) != 0 || (flags & OTruncate) != 0) { result = directory ? -Errno.EISDIR : -Errno.EROFS; return true; }
        if ((flags & ODirectory) != 0 && !directory) { result = -Errno.ENOTDIR; return true; }
        result = files->Open(directory ? FileKind.ProcDirectory : FileKind.Proc, (int)file << 24 | pid, flags);
        return true;
    }

    /// <summary>True when the normalised path lies under proc/; then <paramref name="result"/>
    /// is 0 with <paramref name="stat"/> filled, or -errno.</summary>
    public static bool TryStat(byte* path, int length, byte* stat, out long result)
    {
        result = 0;
        if (!ProcPath.Parse(path, length, Scheduler.Current->Pid, out ProcFile file, out int pid)) return false;
        if (!Exists(file, pid)) { result = -Errno.ENOENT; return true; }
        Stat((int)file << 24 | pid, stat);
        return true;
    }

    /// <summary>fstat of an open /proc node: a 0555 directory or a 0444 regular file of size 0.</summary>
    public static void Stat(int entry, byte* stat)
    {
        ProcFile file = (ProcFile)(entry >> 24);
        StatBuffer.ForProc(stat, ProcDirectory.InodeOf(file, entry & 0xffffff), ProcPath.IsDirectory(file));
    }

    /// <summary>"proc" or "proc/PID" for a directory descriptor's entry word: the base that
    /// openat and newfstatat resolve relative names against. Returns its length.</summary>
    public static int PathOf(int entry, byte* output) => ProcPath.Format((ProcFile)(entry >> 24), entry & 0xffffff, output);

    /// <summary>getdents64 on a directory descriptor (ProcDirectory.List): bytes written into
    /// <paramref name="output"/>, 0 at the end, -EINVAL when one entry does not fit, -ENOENT
    /// when the process whose directory it is has died.</summary>
    public static int List(int entry, byte* output, int room, ref ulong position)
    {
        ProcFile file = (ProcFile)(entry >> 24);
        int pid = entry & 0xffffff;
        if (!Exists(file, pid)) return -Errno.ENOENT;
        return ProcDirectory.List(file, pid, Scheduler.Current->Pid, output, room, ref position, &NextLivePid);
    }

    /// <summary>Reads from <paramref name="position"/>: bytes copied, 0 at the end, -errno.</summary>
    public static long ReadAt(int entry, ulong buffer, ulong count, ulong position)
    {
        byte* text = (byte*)Kmem.Kmalloc(TextBytes);
        if (text == null) return -Errno.ENOMEM;
        var builder = new TextBuilder(text, TextBytes);
        bool live = ProcText.Write((ProcFile)(entry >> 24), entry & 0xffffff, ref builder);
        long result;
        if (!live) result = -Errno.ESRCH;
        else if (position >= (ulong)builder.Length) result = 0;
        else
        {
            ulong n = (ulong)builder.Length - position;
            if (n > count) n = count;
            result = UserMemory.CopyTo(buffer, text + position, n);
            if (result == 0) result = (long)n;
        }
        Kmem.Kfree(text);
        return result;
    }

    static bool Exists(ProcFile file, int pid) =>
        file != ProcFile.None && (file != ProcFile.Maps && file != ProcFile.ProcessDirectory || Alive(pid));

    static bool Alive(int pid)
    {
        Process* p = ProcessTable.Find(pid);
        return p != null && p->State != TaskState.Zombie;
    }

    /// <summary>The smallest live (not zombie) user pid >= from, or -1: the kernel task (pid 0)
    /// has no /proc directory.</summary>
    static int NextLivePid(int from)
    {
        int best = -1;
        for (int i = 0; i < ProcessTable.MaxTasks; i++)
        {
            Process* p = ProcessTable.Slot(i);
            if (p == null || p->State == TaskState.Zombie || p->Pid <= 0 || p->Pid < from) continue;
            if (best < 0 || p->Pid < best) best = p->Pid;
        }
        return best;
    }
}
