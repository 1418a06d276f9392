// /proc as files: open of /proc/meminfo, /proc/buddyinfo, /proc/slabinfo, /proc/self/maps or
// /proc/PID/maps gives a descriptor of kind Proc whose entry word names the file and the pid.
// Every read regenerates the text (ProcText) and copies the part at the file position, so a
// descriptor holds no buffer (fork copies it freely) and a short read continues where it was.
// Texts longer than the read buffer (64 KiB) are cut at a whole line.
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Memory.Slab;
using Kernel.Tasks;

namespace Kernel.Fs.Proc;

public static unsafe class ProcFiles
{
    const int TextBytes = 64 * 1024;
    const int ENOENT = -2, ENOMEM = -12, EROFS = -30, EISDIR = -21, ENOTDIR = -20, ESRCH = -3;

    /// <summary>True when the normalised path (no leading '/') lies under proc/; then
    /// <paramref name="result"/> is the new descriptor or -errno.</summary>
    public static bool TryOpen(FileTable* files, byte* path, int length, int flags, out long result)
    {
        result = 0;
        if (!StartsWith(path, length, "proc") || (length > 4 && path[4] != '/')) return false;
        if (length == 4) { result = EISDIR; return true; } // the directory itself is not listable yet
        if ((flags & 3) != 0 || (flags & 0x200) != 0) { result = EROFS; return true; } // O_WRONLY/O_RDWR, O_TRUNC
        if ((flags & 0x10000) != 0) { result = ENOTDIR; return true; } // O_DIRECTORY
        byte* rest = path + 5;
        int n = length - 5;
        ProcFile file = ProcFile.None;
        int pid = 0;
        if (Is(rest, n, "meminfo")) file = ProcFile.MemInfo;
        else if (Is(rest, n, "buddyinfo")) file = ProcFile.BuddyInfo;
        else if (Is(rest, n, "slabinfo")) file = ProcFile.SlabInfo;
        else if (Is(rest, n, "self/maps"))
        {
            file = ProcFile.Maps;
            pid = Scheduler.Current->Pid;
        }
        else if (ParsePidMaps(rest, n, out pid))
        {
            Process* p = ProcessTable.Find(pid);
            if (p == null || p->State == TaskState.Zombie) { result = ENOENT; return true; }
            file = ProcFile.Maps;
        }
        if (file == ProcFile.None) { result = ENOENT; return true; }
        result = files->Open(FileKind.Proc, (int)file << 24 | pid, flags);
        return true;
    }

    /// <summary>Reads from <paramref name="position"/>: bytes copied, 0 at the end, -errno.</summary>
    public static long ReadAt(int entry, ulong buffer, ulong count, ulong position)
    {
        byte* text = (byte*)Kmem.Kmalloc(TextBytes);
        if (text == null) return ENOMEM;
        var builder = new TextBuilder(text, TextBytes);
        bool live = ProcText.Write((ProcFile)(entry >> 24), entry & 0xffffff, ref builder);
        long result;
        if (!live) result = ESRCH;
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

    static bool ParsePidMaps(byte* s, int n, out int pid)
    {
        pid = 0;
        int i = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && pid < 10000000) pid = pid * 10 + (s[i++] - '0');
        return i > 0 && Is(s + i, n - i, "/maps");
    }

    static bool StartsWith(byte* s, int n, string prefix)
    {
        if (n < prefix.Length) return false;
        for (int i = 0; i < prefix.Length; i++) if (s[i] != prefix[i]) return false;
        return true;
    }

    static bool Is(byte* s, int n, string text) => n == text.Length && StartsWith(s, n, text);
}
