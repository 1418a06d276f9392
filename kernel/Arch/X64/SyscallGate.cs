// SYSCALL/SYSRET set-up. STAR's selector bases follow the GDT order (kernel/Arch/X64/Gdt.cs):
// SYSCALL loads CS = 0x08, SS = 0x10; SYSRET (64-bit) loads CS = 0x18 + 16 = 0x28 | 3 and
// SS = 0x18 + 8 = 0x20 | 3. SFMASK clears IF, TF, DF, AC and NT on entry, so the entry stub
// runs with interrupts off and string instructions going up.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Kernel.Arch.X64;

public static unsafe class SyscallGate
{
    const uint MsrEfer = 0xc0000080, MsrStar = 0xc0000081, MsrLstar = 0xc0000082, MsrSfmask = 0xc0000084;
    const ulong EferSyscallEnable = 1;
    const ulong FlagTrap = 1 << 8, FlagInterrupt = 1 << 9, FlagDirection = 1 << 10, FlagNested = 1 << 14, FlagAlignment = 1 << 18;

    /// <summary>The highest user address + 1: the user half ends one page below the canonical hole.</summary>
    public const ulong UserLimit = 0x00007ffffffff000;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "syscall_entry_address")]
    static extern ulong EntryAddress();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "task_start_address")]
    public static extern ulong TaskStartAddress();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "switch_context")]
    public static extern void SwitchContext(ulong* saveRsp, ulong newRsp);

    public static void Initialize()
    {
        PerCpu.Initialize();
        Cpu.WriteMsr(MsrStar, (ulong)(Gdt.UserCode32 | 3) << 48 | (ulong)Gdt.KernelCode << 32);
        Cpu.WriteMsr(MsrLstar, EntryAddress());
        Cpu.WriteMsr(MsrSfmask, FlagTrap | FlagInterrupt | FlagDirection | FlagNested | FlagAlignment);
        Cpu.WriteMsr(MsrEfer, Cpu.ReadMsr(MsrEfer) | EferSyscallEnable);
    }

    public static void SetFsBase(ulong value) => Cpu.WriteMsr(PerCpu.MsrFsBase, value);
}
