// The global descriptor table and the task state segment. The order of the descriptors is
// fixed by SYSCALL/SYSRET: STAR names the kernel code selector (data follows it) and a base
// for SYSRET, which loads user CS = base + 16 and user SS = base + 8. Hence:
//   0x08 kernel code, 0x10 kernel data, 0x18 user code (32-bit, placeholder),
//   0x20 user data, 0x28 user code (64-bit), 0x30 TSS (16 bytes).
// The TSS gives the CPU RSP0 (the kernel stack on entry from ring 3) and the IST stacks used
// for #DF, NMI and #MC, so those run on a known-good stack even after a kernel stack overflow.
using System.Runtime.InteropServices;

namespace Kernel.Arch.X64;

public static unsafe class Gdt
{
    public const ushort KernelCode = 0x08, KernelData = 0x10, UserCode32 = 0x18, UserData = 0x20, UserCode = 0x28, TaskState = 0x30;
    public const int IstDoubleFault = 1, IstNmi = 2, IstMachineCheck = 3;
    public const int IstStackSize = 16 * 1024;
    const int EntryCount = 8; // null, 5 segments, TSS (2 slots)

    [StructLayout(LayoutKind.Explicit, Size = 104)]
    public struct TaskStateSegment
    {
        [FieldOffset(4)] public ulong Rsp0;
        [FieldOffset(12)] public ulong Rsp1;
        [FieldOffset(20)] public ulong Rsp2;
        [FieldOffset(36)] public ulong Ist1;
        [FieldOffset(44)] public ulong Ist2;
        [FieldOffset(52)] public ulong Ist3;
        [FieldOffset(60)] public ulong Ist4;
        [FieldOffset(68)] public ulong Ist5;
        [FieldOffset(76)] public ulong Ist6;
        [FieldOffset(84)] public ulong Ist7;
        [FieldOffset(102)] public ushort IoMapBase;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 2)]
    struct Pointer { public ushort Limit; public ulong Base; }

    struct Table { public fixed ulong Entries[EntryCount]; }
    struct IstStacks { public fixed byte Bytes[3 * IstStackSize]; }

    static Table s_table;
    static TaskStateSegment s_tss;
    static IstStacks s_istStacks;

    public static TaskStateSegment* Tss { get { fixed (TaskStateSegment* t = &s_tss) return t; } }

    // Access byte / flags for flat segments: present, DPL, code/data, 64-bit (L) for code.
    const ulong Present = 1UL << 47, UserDpl = 3UL << 45, CodeOrData = 1UL << 44, Executable = 1UL << 43,
                ReadWrite = 1UL << 41, LongMode = 1UL << 53, Big = 1UL << 54, Granularity = 1UL << 55, Limit = 0xf00000000ffffUL;

    public static void Initialize()
    {
        ulong* e = GetEntries();
        e[0] = 0;
        e[KernelCode / 8] = Present | CodeOrData | Executable | ReadWrite | LongMode | Granularity | Limit;
        e[KernelData / 8] = Present | CodeOrData | ReadWrite | Big | Granularity | Limit;
        e[UserCode32 / 8] = Present | UserDpl | CodeOrData | Executable | ReadWrite | Big | Granularity | Limit;
        e[UserData / 8] = Present | UserDpl | CodeOrData | ReadWrite | Big | Granularity | Limit;
        e[UserCode / 8] = Present | UserDpl | CodeOrData | Executable | ReadWrite | LongMode | Granularity | Limit;

        TaskStateSegment* tss = Tss;
        fixed (byte* stacks = s_istStacks.Bytes)
        {
            // Stacks grow down: each IST entry points at the top of its 16 KiB, 16-byte aligned.
            tss->Ist1 = ((ulong)stacks + 1 * IstStackSize) & ~15UL;
            tss->Ist2 = ((ulong)stacks + 2 * IstStackSize) & ~15UL;
            tss->Ist3 = ((ulong)stacks + 3 * IstStackSize) & ~15UL;
        }
        tss->IoMapBase = (ushort)sizeof(TaskStateSegment); // no I/O permission bitmap
        ulong b = (ulong)tss, limit = (ulong)sizeof(TaskStateSegment) - 1;
        // A 64-bit TSS descriptor takes two slots: type 9 (available 64-bit TSS), then base[63:32].
        e[TaskState / 8] = (limit & 0xffff) | (b & 0xffffff) << 16 | 0x89UL << 40 | ((limit >> 16) & 0xf) << 48 | ((b >> 24) & 0xff) << 56;
        e[TaskState / 8 + 1] = b >> 32;

        Pointer p;
        p.Limit = EntryCount * 8 - 1;
        p.Base = (ulong)e;
        Cpu.LoadGdt(&p, KernelCode, KernelData);
        Cpu.LoadTaskRegister(TaskState);
    }

    public static ulong* GetEntries() { fixed (ulong* e = s_table.Entries) return e; }

    /// <summary>
    /// Moves IST n (1..3) to a new stack [bottom, bottom + size), e.g. one from vmalloc with a
    /// guard page. The boot-time stacks in .bss serve until then.
    /// </summary>
    public static void SetIstStack(int ist, ulong bottom, ulong size)
    {
        ulong top = (bottom + size) & ~15UL;
        if (ist == IstDoubleFault) s_tss.Ist1 = top;
        else if (ist == IstNmi) s_tss.Ist2 = top;
        else if (ist == IstMachineCheck) s_tss.Ist3 = top;
        s_istBottom[ist - 1] = bottom;
        s_istSize[ist - 1] = size;
    }

    struct IstRanges { public fixed ulong Values[3]; }
    static IstRanges s_istBottomStorage, s_istSizeStorage;
    static ulong* s_istBottom { get { fixed (ulong* p = s_istBottomStorage.Values) return p; } }
    static ulong* s_istSize { get { fixed (ulong* p = s_istSizeStorage.Values) return p; } }

    /// <summary>The IST stack range [bottom, top) of IST n (1..3), for reports and tests.</summary>
    public static void IstStackRange(int ist, out ulong bottom, out ulong top)
    {
        if (s_istSize[ist - 1] != 0)
        {
            bottom = s_istBottom[ist - 1];
            top = bottom + s_istSize[ist - 1];
            return;
        }
        fixed (byte* stacks = s_istStacks.Bytes)
        {
            bottom = (ulong)stacks + (ulong)(ist - 1) * IstStackSize;
            top = bottom + IstStackSize;
        }
    }
}
