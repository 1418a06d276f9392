// Every task: slot 0 is the kernel task (the boot thread, pid 0, which spawns init and reaps),
// the other slots hold processes. A process lives in one zeroed buddy page (until the slab
// allocator lands); pids count up from 1 and are not reused while the kernel runs.
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Tasks;

public static unsafe class ProcessTable
{
    public const int MaxTasks = 64;

    struct Slots { public fixed ulong Entries[MaxTasks]; }
    static Slots s_slots;
    static Process s_kernelTask;
    static int s_nextPid = 1;
    static int s_live;
    static ulong s_created, s_reaped;

    public static Process* KernelTask { get { fixed (Process* k = &s_kernelTask) return k; } }
    public static int Live => s_live;
    public static ulong Created => s_created;
    public static ulong Reaped => s_reaped;

    public static void Initialize()
    {
        if (sizeof(Process) > 4096) Panic.Halt("tasks: struct Process outgrew its page");
        Process* k = KernelTask;
        k->Pid = 0;
        k->State = TaskState.Running;
        const string Name = "kernel";
        for (int i = 0; i < Name.Length; i++) k->Name[i] = (byte)Name[i];
        k->NameLength = Name.Length;
        s_slots.Entries[0] = (ulong)k;
    }

    public static Process* Slot(int i) => i >= 0 && i < MaxTasks ? (Process*)s_slots.Entries[i] : null;

    public static Process* Find(int pid)
    {
        for (int i = 0; i < MaxTasks; i++)
        {
            Process* p = (Process*)s_slots.Entries[i];
            if (p != null && p->Pid == pid) return p;
        }
        return null;
    }

    /// <summary>A zeroed process with a new pid in a free slot; null when the table or memory is full.</summary>
    public static Process* Allocate()
    {
        for (int i = 1; i < MaxTasks; i++)
        {
            if (s_slots.Entries[i] != 0) continue;
            ulong page = PhysicalPages.AllocateZeroed();
            if (page == 0) return null;
            var p = (Process*)PhysicalMap.ToVirtual(page);
            p->Pid = s_nextPid++;
            s_slots.Entries[i] = (ulong)p;
            s_live++;
            s_created++;
            return p;
        }
        return null;
    }

    /// <summary>Takes a process out of the table and frees its page (its stack and memory are gone already).</summary>
    public static void Release(Process* p)
    {
        for (int i = 1; i < MaxTasks; i++)
        {
            if (s_slots.Entries[i] != (ulong)p) continue;
            s_slots.Entries[i] = 0;
            s_live--;
            s_reaped++;
            PhysicalPages.Free(PhysicalMap.ToPhysical(p));
            return;
        }
        Panic.Halt("tasks: releasing a process that is not in the table");
    }
}
