// Processes end to end: the SYSCALL MSRs, programs run to their exit status, registers kept
// across syscalls, several processes interleaved round robin, every frame and page-table page
// returned at exit, and the crash storm: 1,000 faulting processes in a row leave the kernel
// up with no frame lost.
using Kernel.Arch.X64;
using Kernel.Diagnostics.Testing;
using Kernel.Tasks;

namespace Kernel.Tests.InGuest;

public static unsafe class ProcessSuite
{
    public const string Name = "process";

    public static void Register(TestSuite suite)
    {
        suite.Add("syscall_msrs_and_gs_base", &Msrs);
        suite.Add("exit_status_reported", &ExitStatus);
        suite.Add("registers_preserved_across_syscalls", &Registers);
        suite.Add("fault_kills_only_the_process", &FaultKills);
        suite.Add("return_rip_non_canonical_goes_by_iret", &NonCanonicalReturn);
        suite.Add("return_rip_in_kernel_goes_by_iret", &KernelReturn);
        suite.Add("three_processes_round_robin", &RoundRobin);
        suite.Add("timer_preempts_ring3", &Preemption);
        suite.Add("exit_returns_every_frame", &NoLeak);
        suite.Add("crash_storm_1000", &CrashStorm);
    }

    static void Msrs()
    {
        KTest.Assert((Cpu.ReadMsr(0xc0000080) & 1) != 0, "EFER.SCE");
        KTest.ExpectEqual((ulong)0x001b000800000000, Cpu.ReadMsr(0xc0000081), "STAR: kernel CS 0x08, SYSRET base 0x1b");
        KTest.Assert(Cpu.ReadMsr(0xc0000082) != 0, "LSTAR set");
        KTest.ExpectEqual(0x44700UL, Cpu.ReadMsr(0xc0000084), "SFMASK: TF IF DF NT AC");
        KTest.ExpectEqual((ulong)PerCpu.Area, Cpu.ReadMsr(PerCpu.MsrGsBase), "GS base is the per-CPU area in ring 0");
        KTest.ExpectEqual(0UL, Cpu.ReadMsr(PerCpu.MsrKernelGsBase), "the user's GS base is parked in KERNEL_GS_BASE");
    }

    static void ExitStatus()
    {
        UserPrograms.RequireInitrd("bin/exit_with");
        KTest.ExpectEqual((long)WaitStatus.Exited(0), UserPrograms.Run("bin/exit_with"), "exit 0");
        KTest.ExpectEqual((long)WaitStatus.Exited(42), UserPrograms.Run("bin/exit_with", "42"), "exit 42");
        KTest.ExpectEqual((long)WaitStatus.Exited(255), UserPrograms.Run("bin/exit_with", "255"), "exit 255");
    }

    static void Registers()
    {
        UserPrograms.RequireInitrd("bin/regs");
        KTest.ExpectEqual((long)WaitStatus.Exited(0), UserPrograms.Run("bin/regs", "quiet"), "regs quiet reports no failure");
    }

    static void FaultKills()
    {
        UserPrograms.RequireInitrd("bin/crash");
        ulong killed = ProcessLifecycle.Killed;
        ProcessLifecycle.QuietKills = true;
        int status = UserPrograms.Run("bin/crash");
        ProcessLifecycle.QuietKills = false;
        KTest.ExpectEqual((long)WaitStatus.Killed(Signals.SIGSEGV), status, "killed by SIGSEGV");
        KTest.ExpectEqual(139L, WaitStatus.ShellStatus(status), "shell status 139");
        KTest.ExpectEqual(killed + 1, ProcessLifecycle.Killed, "one kill counted");
    }

    /// <summary>A task whose saved RIP is changed before it first runs: SYSRET must not be used
    /// (Intel would #GP in ring 0 with the user's stack); IRET refuses a non-canonical RIP and
    /// the task dies of SIGSEGV, the kernel goes on.</summary>
    static int RunWithReturnRip(ulong rip)
    {
        UserPrograms.RequireInitrd("bin/exit_with");
        int pid = UserPrograms.Spawn("bin/exit_with");
        KTest.Assert(pid > 0, "spawn");
        TaskStack.UserFrame(ProcessTable.Find(pid))->Rip = rip;
        ProcessLifecycle.QuietKills = true;
        int status = ProcessLifecycle.WaitAndReap(pid);
        ProcessLifecycle.QuietKills = false;
        return status;
    }

    static void NonCanonicalReturn()
    {
        // Hardware raises #GP at the IRET itself (ring 0: the exception-table path in
        // boot/syscall.asm); QEMU's TCG loads the RIP and faults on the fetch in ring 3. Either
        // way only the task dies.
        KTest.ExpectEqual((long)WaitStatus.Killed(Signals.SIGSEGV), RunWithReturnRip(0x0000800000000000), "killed by SIGSEGV");
        KTest.ExpectEqual(0L, ProcessTable.Live, "reaped");
    }

    static void KernelReturn()
    {
        // Canonical but above the user limit: IRET succeeds, the fetch in ring 3 faults (U/S).
        KTest.ExpectEqual((long)WaitStatus.Killed(Signals.SIGSEGV), RunWithReturnRip(0xffffffff80100000), "killed by SIGSEGV");
    }

    static void RoundRobin()
    {
        UserPrograms.RequireInitrd("bin/exit_with");
        ulong switches = Scheduler.Switches;
        int a = UserPrograms.Spawn("bin/exit_with", "1");
        int b = UserPrograms.Spawn("bin/exit_with", "2");
        int c = UserPrograms.Spawn("bin/regs", "quiet");
        KTest.Assert(a > 0 && b > a && c > b, "three pids in order");
        KTest.ExpectEqual(4L, ProcessTable.Live + 1, "three live processes and the kernel task");
        KTest.ExpectEqual((long)WaitStatus.Exited(0), ProcessLifecycle.WaitAndReap(c), "third");
        KTest.ExpectEqual((long)WaitStatus.Exited(1), ProcessLifecycle.WaitAndReap(a), "first");
        KTest.ExpectEqual((long)WaitStatus.Exited(2), ProcessLifecycle.WaitAndReap(b), "second");
        KTest.ExpectEqual(0L, ProcessTable.Live, "all reaped");
        KTest.Assert(Scheduler.Switches >= switches + 4, "each ran: into the first, from each to the next, back to the kernel task");
    }

    static void Preemption()
    {
        UserPrograms.RequireInitrd("bin/spin");
        if (!Timer.Running || !Cpu.InterruptsEnabled) KTest.Skip("no timer interrupts");
        // Two endless loops: the kernel task gets the CPU back only if the tick preempts them.
        ulong preemptions = Scheduler.Preemptions, start = Timer.Ticks;
        int a = UserPrograms.Spawn("bin/spin");
        int b = UserPrograms.Spawn("bin/spin");
        while (Scheduler.Preemptions < preemptions + 2 && Timer.Ticks - start < 20000) Scheduler.Yield();
        KTest.ExpectEqual(0L, ProcessLifecycle.Kill(a, Signals.SIGKILL), "kill the first");
        KTest.ExpectEqual(0L, ProcessLifecycle.Kill(b, Signals.SIGKILL), "kill the second");
        KTest.ExpectEqual((long)WaitStatus.Killed(Signals.SIGKILL), ProcessLifecycle.WaitAndReap(a), "first spinner killed");
        KTest.ExpectEqual((long)WaitStatus.Killed(Signals.SIGKILL), ProcessLifecycle.WaitAndReap(b), "second spinner killed");
        KTest.Assert(Scheduler.Preemptions >= preemptions + 2, "the tick switched away from both spinners");
        KTest.ExpectEqual(-3L, ProcessLifecycle.Kill(a, Signals.SIGKILL), "a reaped pid is gone (ESRCH)");
    }

    static void NoLeak()
    {
        UserPrograms.RequireInitrd("bin/exit_with");
        UserPrograms.Run("bin/exit_with"); // first run: vmalloc's own tables settle
        BuddyPages before = BuddyPages.Now();
        for (int i = 0; i < 5; i++) UserPrograms.Run("bin/exit_with", "3");
        before.ExpectRestored("frames after five processes");
    }

    static void CrashStorm()
    {
        UserPrograms.RequireInitrd("bin/crash");
        UserPrograms.Run("bin/exit_with");
        BuddyPages before = BuddyPages.Now();
        ulong killed = ProcessLifecycle.Killed;
        ProcessLifecycle.QuietKills = true;
        int wrong = 0;
        for (int i = 0; i < 1000; i++)
            if (UserPrograms.Run("bin/crash") != WaitStatus.Killed(Signals.SIGSEGV)) wrong++;
        ProcessLifecycle.QuietKills = false;
        KTest.ExpectEqual(0L, wrong, "processes that did not die of SIGSEGV");
        KTest.ExpectEqual(killed + 1000, ProcessLifecycle.Killed, "kills counted");
        KTest.ExpectEqual(0L, ProcessTable.Live, "all reaped");
        before.ExpectRestored("no frame lost over 1,000 crashes");
    }
}
