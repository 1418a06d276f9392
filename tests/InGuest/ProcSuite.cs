// /proc as the kernel serves it: the /proc listing follows the process table (a spawned
// process appears, a reaped one is gone), /proc/PID of a dead pid lists nothing (ENOENT), a
// buffer too small for one entry is EINVAL and moves nothing, and stat by path gives Linux's
// modes. The syscall side is user/proclist.c.
using Kernel.Diagnostics.Testing;
using Kernel.Fs;
using Kernel.Fs.Proc;
using Kernel.Tasks;

namespace Kernel.Tests.InGuest;

public static unsafe class ProcSuite
{
    public const string Name = "proc";
    const int ENOENT = -2, EINVAL = -22;

    public static void Register(TestSuite suite)
    {
        suite.Add("root_lists_a_spawned_pid_until_reaped", &ListsSpawnedPid);
        suite.Add("dead_pid_directory_is_enoent", &DeadPidDirectory);
        suite.Add("small_buffer_is_einval_and_keeps_position", &SmallBuffer);
        suite.Add("stat_by_path_gives_linux_modes", &StatByPath);
    }

    static int RootEntry => (int)ProcFile.Root << 24;
    static int PidEntry(int pid) => (int)ProcFile.ProcessDirectory << 24 | pid;

    /// <summary>Lists the whole directory; the d_type of <paramref name="name"/> (0 when absent).</summary>
    static byte TypeOf(int entry, string text, out int entries)
    {
        byte* name = stackalloc byte[16];
        return TypeOf(entry, name, Put(name, text), out entries);
    }

    static byte TypeOf(int entry, byte* name, int nameLength, out int entries)
    {
        byte* buffer = stackalloc byte[512];
        ulong position = 0;
        byte type = 0;
        entries = 0;
        int n;
        while ((n = ProcFiles.List(entry, buffer, 512, ref position)) > 0)
            for (int at = 0; at < n; at += *(ushort*)(buffer + at + 16))
            {
                entries++;
                byte* d = buffer + at + 19;
                int length = 0;
                while (d[length] != 0) length++;
                bool same = length == nameLength;
                for (int i = 0; same && i < length; i++) same = d[i] == name[i];
                if (same) type = buffer[at + 18];
            }
        KTest.ExpectEqual(0L, n, "the listing ends with 0");
        return type;
    }

    static void ListsSpawnedPid()
    {
        UserPrograms.RequireInitrd("bin/spin");
        int pid = UserPrograms.Spawn("bin/spin");
        byte* name = stackalloc byte[16];
        int nameLength = ProcPath.WriteDecimal(pid, name);
        KTest.ExpectEqual((long)ProcDirectory.TypeRegular, (long)TypeOf(RootEntry, "meminfo", out _), "meminfo is DT_REG");
        KTest.ExpectEqual((long)ProcDirectory.TypeDirectory, (long)TypeOf(RootEntry, "self", out _), "self is DT_DIR");
        KTest.ExpectEqual((long)ProcDirectory.TypeDirectory, (long)TypeOf(RootEntry, name, nameLength, out int withChild), "the spawned pid is DT_DIR");
        KTest.ExpectEqual((long)ProcDirectory.TypeRegular, (long)TypeOf(PidEntry(pid), "maps", out int inPid), "its directory has maps");
        KTest.ExpectEqual(3L, inPid, ". .. maps");
        ProcessLifecycle.Kill(pid, Signals.SIGKILL);
        ProcessLifecycle.WaitAndReap(pid);
        KTest.ExpectEqual(0L, (long)TypeOf(RootEntry, name, nameLength, out int without), "the reaped pid is gone");
        KTest.ExpectEqual(withChild - 1L, without, "one entry fewer");
    }

    static void DeadPidDirectory()
    {
        byte* buffer = stackalloc byte[256];
        ulong position = 0;
        KTest.ExpectEqual(ENOENT, ProcFiles.List(PidEntry(999999), buffer, 256, ref position), "no such pid");
        KTest.ExpectEqual(0L, (long)position, "position kept");
    }

    static void SmallBuffer()
    {
        byte* buffer = stackalloc byte[64];
        ulong position = 2; // meminfo: a 32-byte record
        KTest.ExpectEqual(EINVAL, ProcFiles.List(RootEntry, buffer, 31, ref position), "31 bytes");
        KTest.ExpectEqual(2L, (long)position, "position kept");
        KTest.ExpectEqual(32L, ProcFiles.List(RootEntry, buffer, 32, ref position), "32 bytes: one record");
        KTest.ExpectEqual(3L, (long)position, "past meminfo");
    }

    static void StatByPath()
    {
        byte* stat = stackalloc byte[StatBuffer.Size];
        byte* path = stackalloc byte[32];
        KTest.Assert(ProcFiles.TryStat(path, Put(path, "proc"), stat, out long result) && result == 0, "proc");
        KTest.ExpectEqual(0x416dL, *(uint*)(stat + 24), "a 0555 directory");
        KTest.Assert(ProcFiles.TryStat(path, Put(path, "proc/meminfo"), stat, out result) && result == 0, "proc/meminfo");
        KTest.ExpectEqual(0x8124L, *(uint*)(stat + 24), "a 0444 regular file");
        KTest.Assert(ProcFiles.TryStat(path, Put(path, "proc/999999"), stat, out result) && result == ENOENT, "a missing pid");
        KTest.Assert(ProcFiles.TryStat(path, Put(path, "proc/nothing/maps"), stat, out result) && result == ENOENT, "a bad name");
        KTest.Assert(!ProcFiles.TryStat(path, Put(path, "procx"), stat, out result), "procx is not /proc");
    }

    static int Put(byte* path, string text)
    {
        for (int i = 0; i < text.Length; i++) path[i] = (byte)text[i];
        return text.Length;
    }
}
