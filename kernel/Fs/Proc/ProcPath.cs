// Platform-neutral shared source (kernel and host tests).
// Names under /proc: a normalised path ("proc", "proc/meminfo", "proc/self", "proc/12/maps")
// becomes the node it names and, for per-process nodes, the pid. Whether that process is alive
// is the caller's question; this only reads the name.
namespace Kernel.Fs.Proc;

/// <summary>What a /proc node is. Root and ProcessDirectory are directories (ProcDirectory lists
/// them); the others are read-only text files (ProcText).</summary>
public enum ProcFile : byte { None = 0, MemInfo, BuddyInfo, SlabInfo, Maps, Root, ProcessDirectory }

public static unsafe class ProcPath
{
    /// <summary>Largest pid a name may hold; longer digit strings are not pids (ENOENT).</summary>
    public const int MaxPid = 9_999_999;

    /// <summary>The name of a file of /proc itself (MemInfo, BuddyInfo, SlabInfo), else null.</summary>
    public static string NameOf(ProcFile file) => file switch
    {
        ProcFile.MemInfo => "meminfo",
        ProcFile.BuddyInfo => "buddyinfo",
        ProcFile.SlabInfo => "slabinfo",
        _ => null,
    };

    /// <summary>False when <paramref name="path"/> does not lie under proc/ (or is not "proc").
    /// Otherwise true, with <paramref name="file"/> None for a name /proc does not have;
    /// "self" means <paramref name="selfPid"/>. Pids are decimal without a leading zero, as Linux.</summary>
    public static bool Parse(byte* path, int length, int selfPid, out ProcFile file, out int pid)
    {
        file = ProcFile.None;
        pid = 0;
        if (!StartsWith(path, length, "proc") || (length > 4 && path[4] != '/')) return false;
        if (length == 4) { file = ProcFile.Root; return true; }
        byte* rest = path + 5;
        int n = length - 5;
        for (ProcFile f = ProcFile.MemInfo; f <= ProcFile.SlabInfo; f++)
            if (Is(rest, n, NameOf(f))) { file = f; return true; }
        int nameLength = 0;
        while (nameLength < n && rest[nameLength] != '/') nameLength++;
        if (Is(rest, nameLength, "self")) pid = selfPid;
        else if (!ParsePid(rest, nameLength, out pid)) return true;
        byte* inner = rest + nameLength;
        int innerLength = n - nameLength;
        if (innerLength == 0) file = ProcFile.ProcessDirectory;
        else if (Is(inner, innerLength, "/maps")) file = ProcFile.Maps;
        return true;
    }

    static bool ParsePid(byte* s, int n, out int pid)
    {
        pid = 0;
        if (n == 0 || n > 7 || (s[0] == '0' && n > 1)) return false;
        for (int i = 0; i < n; i++)
        {
            if (s[i] < '0' || s[i] > '9') return false;
            pid = pid * 10 + (s[i] - '0');
        }
        return pid > 0;
    }

    static bool StartsWith(byte* s, int n, string prefix)
    {
        if (n < prefix.Length) return false;
        for (int i = 0; i < prefix.Length; i++) if (s[i] != prefix[i]) return false;
        return true;
    }

    static bool Is(byte* s, int n, string text) => n == text.Length && StartsWith(s, n, text);

    /// <summary>Writes "proc" (Root) or "proc/PID" (ProcessDirectory) to output (16 bytes or
    /// more); its length.</summary>
    public static int Format(ProcFile directory, int pid, byte* output)
    {
        output[0] = (byte)'p'; output[1] = (byte)'r'; output[2] = (byte)'o'; output[3] = (byte)'c';
        if (directory != ProcFile.ProcessDirectory) return 4;
        output[4] = (byte)'/';
        return 5 + WriteDecimal(pid, output + 5);
    }

    /// <summary>A non-negative number in decimal; its length (at most 10).</summary>
    public static int WriteDecimal(int value, byte* output)
    {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) digits++;
        for (int i = digits - 1; i >= 0; i--, value /= 10) output[i] = (byte)('0' + value % 10);
        return digits;
    }

    public static bool IsDirectory(ProcFile file) => file == ProcFile.Root || file == ProcFile.ProcessDirectory;
}
