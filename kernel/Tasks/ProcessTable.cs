// Every task: slot 0 is the kernel task (the boot thread, pid 0, which spawns init and reaps),
// the other slots hold processes. A process comes from its own kmem_cache ("task_struct", as
// in Linux); pids count up from 1 and are not reused while the kernel runs.
using Kernel.Diagnostics;
using Kernel.Memory.Slab;

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
    static SlabCache* s_cache;

    public static Process* KernelTask { get { fixed (Process* k = &s_kernelTask) return k; } }
    public static int Live => s_live;
    public static ulong Created => s_created;
    public static ulong Reaped => s_reaped;

    public static void Initialize()
    {
        s_cache = Kmem.CreateCache("task_struct", (uint)sizeof(Process), 64, SlabFlags.HwCacheAlign, null);
        if (s_cache == null) Panic.Halt("tasks: no kmem_cache for processes");
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
        if (s_live >= MaxTasks - 1) ProcessWait.ReapOrphans();
        for (int i = 1; i < MaxTasks; i++)
        {
            if (s_slots.Entries[i] != 0) continue;
            var p = (Process*)KmemCache.Alloc(s_cache);
            if (p == null) return null;
            Runtime.Bytes.Zero(p, (ulong)sizeof(Process));
            p->Pid = s_nextPid++;
            s_slots.Entries[i] = (ulong)p;
            s_live++;
            s_created++;
            return p;
        }
        return null;
    }

    /// <summary>Takes a process out of the table and frees it (its stack and memory are gone already).</summary>
    public static void Release(Process* p)
    {
        for (int i = 1; i < MaxTasks; i++)
        {
            if (s_slots.Entries[i] != (ulong)p) continue;
            s_slots.Entries[i] = 0;
            s_live--;
            s_reaped++;
            KmemCache.Free(s_cache, p);
            return;
        }
        Panic.Halt("tasks: releasing a process that is not in the table");
    }
}
