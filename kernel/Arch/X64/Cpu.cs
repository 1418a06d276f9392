// The x86-64 instructions C# cannot express, as direct calls into boot/cpu.asm.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Kernel.Arch.X64;

public static unsafe class Cpu
{
    const MethodImplOptions Asm = MethodImplOptions.InternalCall;

    [MethodImpl(Asm), RuntimeImport("*", "cpu_outb")] public static extern void OutByte(ushort port, byte value);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_inb")] public static extern byte InByte(ushort port);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_outw")] public static extern void OutWord(ushort port, ushort value);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_inw")] public static extern ushort InWord(ushort port);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_outd")] public static extern void OutDword(ushort port, uint value);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_ind")] public static extern uint InDword(ushort port);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_io_wait")] public static extern void IoWait();

    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_cr0")] public static extern ulong ReadCr0();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_cr2")] public static extern ulong ReadCr2();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_cr3")] public static extern ulong ReadCr3();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_cr4")] public static extern ulong ReadCr4();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_write_cr0")] public static extern void WriteCr0(ulong value);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_write_cr3")] public static extern void WriteCr3(ulong value);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_write_cr4")] public static extern void WriteCr4(ulong value);

    [MethodImpl(Asm), RuntimeImport("*", "cpu_rdmsr")] public static extern ulong ReadMsr(uint msr);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_wrmsr")] public static extern void WriteMsr(uint msr, ulong value);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_cpuid")] static extern void CpuidRaw(uint leaf, uint subleaf, uint* result);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_rdtsc")] public static extern ulong ReadTsc();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_rflags")] public static extern ulong ReadFlags();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_rbp")] public static extern ulong ReadFramePointer();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_rsp")] public static extern ulong ReadStackPointer();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_cs")] public static extern ushort ReadCs();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_read_ss")] public static extern ushort ReadSs();

    [MethodImpl(Asm), RuntimeImport("*", "cpu_cli")] public static extern void DisableInterrupts();
    /// <summary>RFLAGS.IF as it was (0 or FlagInterrupt), then cli: one call on allocator fast paths.</summary>
    [MethodImpl(Asm), RuntimeImport("*", "cpu_irq_save")] public static extern ulong SaveFlagsAndDisableInterrupts();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_sti")] public static extern void EnableInterrupts();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_hlt")] public static extern void Halt();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_pause")] public static extern void Pause();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_invlpg")] public static extern void InvalidatePage(ulong address);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_lidt")] public static extern void LoadIdt(void* pointer);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_sidt")] public static extern void StoreIdt(void* pointer);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_sgdt")] public static extern void StoreGdt(void* pointer);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_str")] public static extern ushort StoreTaskRegister();
    [MethodImpl(Asm), RuntimeImport("*", "cpu_load_gdt")] public static extern void LoadGdt(void* pointer, ushort codeSelector, ushort dataSelector);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_load_tss")] public static extern void LoadTaskRegister(ushort selector);
    [MethodImpl(Asm), RuntimeImport("*", "cpu_halt_forever")] public static extern void HaltForever();

    public const ulong FlagInterrupt = 1UL << 9;

    public struct CpuidResult { public uint Eax, Ebx, Ecx, Edx; }

    public static CpuidResult Cpuid(uint leaf, uint subleaf = 0)
    {
        CpuidResult r;
        CpuidRaw(leaf, subleaf, (uint*)&r);
        return r;
    }

    public static bool InterruptsEnabled => (ReadFlags() & FlagInterrupt) != 0;
}
