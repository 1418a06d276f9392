// The per-CPU area, reached through the GS base in kernel mode (boot/syscall.asm reads the
// kernel stack top and parks the user RSP there on SYSCALL). SWAPGS exchanges GS base with
// KERNEL_GS_BASE on every entry from and return to ring 3, so in ring 0 GS always points here.
using System.Runtime.InteropServices;

namespace Kernel.Arch.X64;

[StructLayout(LayoutKind.Sequential)]
public struct PerCpuArea
{
    public ulong Self;              // 0: the area's own address
    public ulong KernelStackTop;    // 8: RSP for SYSCALL entry (the current task's stack top)
    public ulong UserRspScratch;    // 16: the user RSP while the entry builds the frame
    public ulong CurrentTask;       // 24: the running task (kernel/Tasks/Process.cs)
}

public static unsafe class PerCpu
{
    public const uint MsrFsBase = 0xc0000100, MsrGsBase = 0xc0000101, MsrKernelGsBase = 0xc0000102;

    static PerCpuArea s_area;

    public static PerCpuArea* Area { get { fixed (PerCpuArea* a = &s_area) return a; } }

    /// <summary>GS base = this area, KERNEL_GS_BASE = the user's GS base (0).</summary>
    public static void Initialize()
    {
        PerCpuArea* a = Area;
        a->Self = (ulong)a;
        Cpu.WriteMsr(MsrGsBase, (ulong)a);
        Cpu.WriteMsr(MsrKernelGsBase, 0);
    }

    /// <summary>Where SYSCALL and interrupts from ring 3 land: TSS.RSP0 and the per-CPU copy.</summary>
    public static void SetKernelStack(ulong top)
    {
        s_area.KernelStackTop = top;
        Gdt.Tss->Rsp0 = top;
    }
}
