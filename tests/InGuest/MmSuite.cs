// Process memory end to end: many fork + exit lifetimes lose no frame and leave no user frame
// counted; a process that allocates without end is killed by the OOM path and the kernel gets
// every frame back. The soak suite (mm-soak) runs 10,000 lifetimes.
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;
using Kernel.Fs.Proc;
using Kernel.Tasks;
using Kernel.Tasks.Vm;

namespace Kernel.Tests.InGuest;

public static unsafe class MmSuite
{
    public const string Name = "mm";
    public const string SoakName = "mm-soak";

    public static void Register(TestSuite suite)
    {
        suite.Add("fork_exit_1000_no_frame_lost", &Lifetimes1000);
        suite.Add("oom_kill_gets_every_frame_back", &OomKill);
        suite.Add("proc_maps_of_a_live_process", &MapsOfLiveProcess);
        suite.Add("proc_maps_of_a_missing_pid_fails", &MapsOfMissingPid);
    }

    public static void RegisterSoak(TestSuite suite)
    {
        suite.Add("fork_exit_10000_no_frame_lost", &Lifetimes10000);
    }

    static void Lifetimes1000() => Lifetimes("1000");
    static void Lifetimes10000() => Lifetimes("10000");

    static void Lifetimes(string count)
    {
        UserPrograms.RequireInitrd("bin/forker");
        UserPrograms.Run("bin/forker", "2"); // first run: caches and tables settle
        BuddyPages before = BuddyPages.Now();
        ulong userFrames = UserFrames.Live;
        ulong created = ProcessTable.Created;
        KTest.ExpectEqual((long)WaitStatus.Exited(0), UserPrograms.Run("bin/forker", count), "every child exited with its status");
        KTest.Assert(ProcessTable.Created - created > 1000, "the children were processes");
        KTest.ExpectEqual(0L, ProcessTable.Live, "all reaped");
        KTest.ExpectEqual(userFrames, UserFrames.Live, "no user frame still counted");
        before.ExpectRestored("no frame lost over the lifetimes");
    }

    static void MapsOfLiveProcess()
    {
        UserPrograms.RequireInitrd("bin/spin");
        int pid = UserPrograms.Spawn("bin/spin");
        byte* buffer = stackalloc byte[4096];
        var text = new TextBuilder(buffer, 4096);
        KTest.Assert(ProcText.Maps(pid, ref text), "maps of a live process");
        int lines = 0;
        for (int i = 0; i < text.Length; i++) if (buffer[i] == '\n') lines++;
        KTest.Assert(lines >= 3, "text, data and stack lines at least");
        KTest.Assert(Contains(buffer, text.Length, "[stack]"), "the stack is named [stack]");
        KTest.Assert(Contains(buffer, text.Length, "r-xp"), "an executable private mapping");
        ProcessLifecycle.Kill(pid, Signals.SIGKILL);
        ProcessLifecycle.WaitAndReap(pid);
    }

    static void MapsOfMissingPid()
    {
        byte* buffer = stackalloc byte[64];
        var text = new TextBuilder(buffer, 64);
        KTest.Assert(!ProcText.Maps(999999, ref text), "no such pid");
        KTest.ExpectEqual(0L, text.Length, "nothing written");
    }

    static bool Contains(byte* s, int n, string what)
    {
        for (int i = 0; i + what.Length <= n; i++)
        {
            int k = 0;
            while (k < what.Length && s[i + k] == what[k]) k++;
            if (k == what.Length) return true;
        }
        return false;
    }

    static void OomKill()
    {
        UserPrograms.RequireInitrd("bin/hog");
        // Filling all of RAM page by page takes about 1 s per 100 MiB under TCG.
        if (Boot.Memory.PhysicalPages.HandedOverFrames > (768UL << 20) / 4096) KTest.Skip("more than 768 MiB of RAM: too slow to exhaust");
        UserPrograms.Run("bin/forker", "2");
        BuddyPages before = BuddyPages.Now();
        ulong kills = ProcessLifecycle.OomKills;
        KTest.ExpectEqual((long)WaitStatus.Killed(Signals.SIGKILL), UserPrograms.Run("bin/hog"), "the hog died of SIGKILL");
        KTest.ExpectEqual(kills + 1, ProcessLifecycle.OomKills, "one OOM kill");
        KTest.ExpectEqual(0L, ProcessTable.Live, "reaped");
        before.ExpectRestored("every frame back after the OOM kill");
    }
}
