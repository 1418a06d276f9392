// One process (one thread: no clone yet), from the task_struct kmem_cache (ProcessTable owns it). The kernel stack comes from vmalloc with a guard page below it; its
// top holds the user frame and the user's FPU image whenever the process is in the kernel.
using System.Runtime.InteropServices;
using Kernel.Fs;
using Kernel.Memory.Virtual;

namespace Kernel.Tasks;

public enum TaskState : int { Free = 0, Runnable, Running, Zombie }

[StructLayout(LayoutKind.Sequential)]
public unsafe struct Process
{
    public const int NameCapacity = 48;
    public const int SignalCount = 64;

    public int Pid;
    public int ParentPid;
    public TaskState State;
    /// <summary>Linux wait status (WaitStatus), valid once Zombie.</summary>
    public int WaitStatus;
    /// <summary>The kernel RSP saved by switch_context while another task runs.</summary>
    public ulong SavedRsp;
    public ulong KernelStackBottom;
    public ulong KernelStackTop;
    public ulong FsBase;
    public ulong ClearChildTid;
    /// <summary>Blocked signals (bit n-1 for signal n); SIGKILL and SIGSTOP are never in it.</summary>
    public ulong SignalMask;
    /// <summary>Signals sent and not yet delivered (bit n-1 for signal n): acted on when the
    /// process next returns to ring 3 (SignalDelivery), blocked ones wait for an unblock.</summary>
    public ulong PendingSignals;
    /// <summary>rt_sigsuspend's caller mask, put back by the handler's rt_sigreturn (it goes into
    /// the frame's uc_sigmask) or at the return if no handler ran; valid while RestoreMask.</summary>
    public ulong SavedMask;
    public bool RestoreMask;
    /// <summary>Process group and session ids (ProcessGroups); a process the kernel starts leads both.</summary>
    public int Pgid;
    public int Sid;
    /// <summary>Ran execve since its fork: its parent may no longer setpgid it (-EACCES).</summary>
    public bool Execed;
    /// <summary>sigaltstack: the alternate signal stack (SignalStack); size 0 means none.</summary>
    public ulong AltStackBase;
    public ulong AltStackSize;
    /// <summary>SS_AUTODISARM when asked for: the stack is disarmed while a handler runs on it.</summary>
    public int AltStackFlags;
    /// <summary>Started in the background (shell `run -b`): reaped by ReapBackground, not waited for.</summary>
    public bool Background;
    /// <summary>Its parent exited first: nobody will wait4 for it, the kernel reaps it (ProcessWait).</summary>
    public bool Orphan;
    /// <summary>The page tables (root) of the user half.</summary>
    public UserAddressSpace Memory;
    /// <summary>The VMAs and layout (brk, stack, mmap base); page work goes to Memory (UserPages).</summary>
    public VmSpace Vm;
    public int NameLength;
    public fixed byte Name[NameCapacity];
    /// <summary>rt_sigaction records: handler, flags, restorer, mask per signal (1..64).</summary>
    public fixed ulong SignalActions[SignalCount * 4];
    /// <summary>The siginfo of each pending signal (SignalInfo: code and sender, value, trap).</summary>
    public fixed ulong PendingInfo[SignalCount * SignalInfo.Words];
    public FileTable Files;

    public bool IsKernelTask => Pid == 0;
}
