// Platform-neutral shared source (kernel and host tests).
// Listing /proc and /proc/PID as linux_dirent64 records (StatBuffer.Dirent). A directory
// descriptor's position is where the next call continues:
//   /proc:      0 ".", 1 "..", 2-4 meminfo, buddyinfo, slabinfo, 5 "self",
//               FirstPidPosition + p: the first live pid >= p (so a process that dies between
//               two calls is skipped and the ones after it are still listed, each once);
//   /proc/PID:  0 ".", 1 "..", 2 "maps".
// Each record's d_off is the position after it, which lseek(SEEK_SET) accepts back.
// "self" is listed as a directory (DT_DIR), not a symlink: opening it gives the caller's own
// /proc/PID, and there is no readlink.
using Kernel.Syscalls;

namespace Kernel.Fs.Proc;

public static unsafe class ProcDirectory
{
    public const byte TypeDirectory = 4, TypeRegular = 8; // DT_DIR, DT_REG
    public const ulong FirstPidPosition = 16;
    public const ulong RootInode = 1;
    const ulong SelfPosition = 5;

    /// <summary>The inode number of a node: 1 for /proc, distinct and non-zero for the others.</summary>
    public static ulong InodeOf(ProcFile file, int pid) =>
        file == ProcFile.Root ? RootInode : 0x1000 + ((ulong)pid << 8 | (ulong)file);

    /// <summary>
    /// Writes the entries of <paramref name="directory"/> (Root, or ProcessDirectory of
    /// <paramref name="pid"/>) from <paramref name="position"/> into <paramref name="output"/>
    /// while they fit, and advances the position past them. <paramref name="nextLivePid"/>(p)
    /// gives the smallest live pid >= p, or -1. Returns the bytes written, 0 at the end, or
    /// -EINVAL when the next entry does not fit in <paramref name="room"/> at all.
    /// </summary>
    public static int List(ProcFile directory, int pid, int selfPid, byte* output, int room, ref ulong position,
                           delegate*<int, int> nextLivePid)
    {
        byte* name = stackalloc byte[16];
        int used = 0;
        while (Entry(directory, pid, selfPid, position, nextLivePid, name, out int nameLength, out ulong inode,
                     out byte type, out ulong next))
        {
            int written = StatBuffer.Dirent(output + used, room - used, inode, (long)next, type, name, nameLength);
            if (written == 0) return used == 0 ? -Errno.EINVAL : used;
            used += written;
            position = next;
        }
        return used;
    }

    /// <summary>The entry at <paramref name="position"/>; false past the last one.</summary>
    static bool Entry(ProcFile directory, int pid, int selfPid, ulong position, delegate*<int, int> nextLivePid,
                      byte* name, out int nameLength, out ulong inode, out byte type, out ulong next)
    {
        nameLength = 0;
        type = TypeDirectory;
        next = position + 1;
        ulong self = InodeOf(directory, pid);
        if (position == 0) { inode = self; nameLength = Copy(".", name); return true; }
        if (position == 1) { inode = RootInode; nameLength = Copy("..", name); return true; }
        inode = 0;
        if (directory == ProcFile.ProcessDirectory)
        {
            if (position != 2) return false;
            inode = InodeOf(ProcFile.Maps, pid);
            type = TypeRegular;
            nameLength = Copy("maps", name);
            return true;
        }
        if (position < SelfPosition)
        {
            ProcFile file = (ProcFile)((int)ProcFile.MemInfo + (int)(position - 2));
            inode = InodeOf(file, 0);
            type = TypeRegular;
            nameLength = Copy(ProcPath.NameOf(file), name);
            return true;
        }
        if (position == SelfPosition)
        {
            inode = InodeOf(ProcFile.ProcessDirectory, selfPid);
            next = FirstPidPosition;
            nameLength = Copy("self", name);
            return true;
        }
        ulong from = position < FirstPidPosition ? 0 : position - FirstPidPosition;
        if (from > ProcPath.MaxPid) return false;
        int live = nextLivePid((int)from);
        if (live <= 0) return false;
        inode = InodeOf(ProcFile.ProcessDirectory, live);
        next = FirstPidPosition + (ulong)live + 1;
        nameLength = ProcPath.WriteDecimal(live, name);
        return true;
    }

    static int Copy(string text, byte* name)
    {
        for (int i = 0; i < text.Length; i++) name[i] = (byte)text[i];
        return text.Length;
    }
}
