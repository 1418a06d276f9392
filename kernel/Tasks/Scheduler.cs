// Round-robin over the task table. The kernel is not preemptible: a task switches when it
// yields (a blocking wait polls and yields), exits or is killed, or when the timer tick finds
// it running in ring 3 with its time slice used up (OnTick: the switch happens inside the
// interrupt, on the task's kernel stack, and the task resumes at its iretq later).
// A switch points the CPU at the next task: TSS.RSP0 and the per-CPU SYSCALL stack, CR3, the
// FS base; the user's general and FPU registers are already saved on its kernel stack.
using Kernel.Arch.X64;
using Kernel.Diagnostics;

namespace Kernel.Tasks;

public static unsafe class Scheduler
{
    static Process* s_current;
    static int s_cursor;
    static ulong s_switches;

    public static Process* Current => s_current;
    public static ulong Switches => s_switches;

    /// <summary>Timer ticks a task may run in ring 3 before another runnable task gets the CPU.</summary>
    public const int SliceTicks = 10;
    static int s_sliceLeft = SliceTicks;
    static ulong s_preemptions;

    public static ulong Preemptions => s_preemptions;

    public static void Initialize()
    {
        ProcessTable.Initialize();
        s_current = ProcessTable.KernelTask;
        s_cursor = 0;
        PerCpu.Area->CurrentTask = (ulong)s_current;
        Timer.SetTickHandler(&OnTick);
    }

    /// <summary>The tick hook (interrupt context, EOI sent): preempts only ring-3 code.</summary>
    static void OnTick(InterruptFrame* frame)
    {
        if (!frame->FromUserMode) return;
        if (--s_sliceLeft <= 0)
        {
            s_sliceLeft = SliceTicks;
            if (Yield()) s_preemptions++;
        }
    }

    /// <summary>Lets the next runnable task run; returns when this one is picked again.
    /// False when nothing else was runnable.</summary>
    public static bool Yield()
    {
        int slot = PickNext();
        if (slot < 0) return false;
        if (s_current->State == TaskState.Running) s_current->State = TaskState.Runnable;
        SwitchTo(slot);
        return true;
    }

    /// <summary>The current task is a zombie now: run something else, never come back.</summary>
    public static void ExitCurrent()
    {
        s_current->State = TaskState.Zombie;
        int slot = PickNext();
        if (slot < 0) Panic.Halt("scheduler: no task left to run (the kernel task must always be runnable)");
        SwitchTo(slot);
        Panic.Halt("scheduler: a zombie was scheduled");
    }

    /// <summary>The next runnable slot after the current one, round robin; -1 if none.</summary>
    static int PickNext()
    {
        for (int step = 1; step <= ProcessTable.MaxTasks; step++)
        {
            int slot = (s_cursor + step) % ProcessTable.MaxTasks;
            Process* p = ProcessTable.Slot(slot);
            if (p != null && p != s_current && p->State == TaskState.Runnable) return slot;
        }
        return -1;
    }

    static void SwitchTo(int slot)
    {
        Process* previous = s_current;
        Process* next = ProcessTable.Slot(slot);
        s_cursor = slot;
        s_current = next;
        s_sliceLeft = SliceTicks;
        next->State = TaskState.Running;
        s_switches++;
        PerCpu.Area->CurrentTask = (ulong)next;
        if (!next->IsKernelTask) PerCpu.SetKernelStack(next->KernelStackTop);
        ulong root = next->Memory.Root != 0 ? next->Memory.Root : KernelAddressSpace.Root;
        if (Cpu.ReadCr3() != root) Cpu.WriteCr3(root);
        SyscallGate.SetFsBase(next->FsBase);
        SyscallGate.SwitchContext(&previous->SavedRsp, next->SavedRsp);
    }
}
