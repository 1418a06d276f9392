// Platform-neutral shared source (kernel and host tests).
// The initrd's files, indexed once at boot: each cpio entry's normalised path ("bin/hello";
// the root is ""), its type, size and data, which stay where the boot loader put the archive.
// Lookups are linear (an initrd holds tens of files). The root directory always exists, and
// a directory is listed by finding the entries whose parent it is.
namespace Kernel.Fs;

public unsafe struct InitrdIndex
{
    public const int MaxEntries = 512;
    public const int RootEntry = -2; // the root, whether or not the archive has a "." entry

    public struct Entry
    {
        public byte* Path;
        public int PathLength;
        public byte* Data;
        public ulong Size;
        public uint Mode, Inode, Links, ModifiedTime;
    }

    fixed byte _entries[MaxEntries * 48];
    int _count;
    int _dropped;

    public int Count => _count;
    /// <summary>Entries beyond MaxEntries, or with names too long or not normal, left out.</summary>
    public int Dropped => _dropped;

    public Entry* Get(int i)
    {
        fixed (byte* e = _entries) return (Entry*)e + i;
    }

    /// <summary>Indexes an archive. Ok when it ends at its trailer; a malformed archive keeps the
    /// entries read before the damage and returns why it stopped.</summary>
    public CpioStatus Build(byte* archive, ulong length)
    {
        _count = 0;
        _dropped = 0;
        ulong offset = 0;
        while (true)
        {
            CpioStatus status = CpioArchive.Next(archive, length, ref offset, out CpioEntry e);
            if (status == CpioStatus.End) return CpioStatus.Ok;
            if (status != CpioStatus.Ok) return status;
            int start = 0;
            while (start < e.NameLength && (e.Name[start] == '/' || (e.Name[start] == '.' && start + 1 < e.NameLength && e.Name[start + 1] == '/')))
                start += e.Name[start] == '/' ? 1 : 2;
            int pathLength = e.NameLength - start;
            if (pathLength == 1 && e.Name[start] == '.') pathLength = 0;
            while (pathLength > 0 && e.Name[start + pathLength - 1] == '/') pathLength--;
            if (pathLength == 0 || !IsNormal(e.Name + start, pathLength) || _count == MaxEntries)
            {
                if (pathLength != 0) _dropped++; // "." is the root, which always exists
                continue;
            }
            Entry* entry = Get(_count++);
            entry->Path = e.Name + start;
            entry->PathLength = pathLength;
            entry->Data = e.Data;
            uint type = e.Mode & CpioArchive.TypeMask;
            entry->Size = type == CpioArchive.TypeRegular || type == CpioArchive.TypeSymlink ? e.Size : 0; // a link's data is its target
            entry->Mode = e.Mode;
            entry->Inode = e.Inode;
            entry->Links = e.Links;
            entry->ModifiedTime = e.ModifiedTime;
        }
    }

    /// <summary>The entry for a normalised path: its index, RootEntry for "", or -1.</summary>
    public int Find(byte* path, int length)
    {
        if (length == 0) return RootEntry;
        for (int i = 0; i < _count; i++)
        {
            Entry* e = Get(i);
            if (e->PathLength == length && Same(e->Path, path, length)) return i;
        }
        return -1;
    }

    public bool IsDirectory(int index) =>
        index == RootEntry || (index >= 0 && index < _count && (Get(index)->Mode & CpioArchive.TypeMask) == CpioArchive.TypeDirectory);

    /// <summary>The first entry at or after <paramref name="from"/> whose parent directory is
    /// <paramref name="directory"/>, or -1. Its name is the part after the parent's path.</summary>
    public int NextChild(int directory, int from, out byte* name, out int nameLength)
    {
        name = null;
        nameLength = 0;
        byte* dirPath = directory == RootEntry ? null : Get(directory)->Path;
        int dirLength = directory == RootEntry ? 0 : Get(directory)->PathLength;
        for (int i = from < 0 ? 0 : from; i < _count; i++)
        {
            Entry* e = Get(i);
            int prefix = dirLength == 0 ? 0 : dirLength + 1;
            if (e->PathLength <= prefix) continue;
            if (dirLength != 0 && (!Same(e->Path, dirPath, dirLength) || e->Path[dirLength] != '/')) continue;
            bool direct = true;
            for (int k = prefix; k < e->PathLength; k++) if (e->Path[k] == '/') { direct = false; break; }
            if (!direct) continue;
            name = e->Path + prefix;
            nameLength = e->PathLength - prefix;
            return i;
        }
        return -1;
    }

    static bool Same(byte* a, byte* b, int n)
    {
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return false;
        return true;
    }

    /// <summary>No empty, "." or ".." components, no doubled slashes: what Normalize produces.</summary>
    static bool IsNormal(byte* p, int n)
    {
        int start = 0;
        for (int i = 0; i <= n; i++)
        {
            if (i < n && p[i] != '/') continue;
            int part = i - start;
            if (part == 0) return false;
            if (part == 1 && p[start] == '.') return false;
            if (part == 2 && p[start] == '.' && p[start + 1] == '.') return false;
            start = i + 1;
        }
        return true;
    }
}
