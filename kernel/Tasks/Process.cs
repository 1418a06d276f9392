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
    public ulong SignalMask;
    /// <summary>A fatal signal sent by Kill, acted on when the process next leaves the kernel.</summary>
    public int PendingSignal;
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
    public FileTable Files;

    public bool IsKernelTask => Pid == 0;
}
