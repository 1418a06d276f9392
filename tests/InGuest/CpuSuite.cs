// The CPU state boot left behind: descriptor tables, selectors, IST stacks, SSE, the PICs.
using Kernel.Arch.X64;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class CpuSuite
{
    public const string Name = "cpu";

    public static void Register(TestSuite suite)
    {
        suite.Add("gdt_loaded", &GdtLoaded);
        suite.Add("gdt_syscall_order", &GdtSyscallOrder);
        suite.Add("segments_are_kernel", &SegmentsAreKernel);
        suite.Add("task_register", &TaskRegister);
        suite.Add("ist_stacks", &IstStacks);
        suite.Add("idt_loaded", &IdtLoaded);
        suite.Add("idt_gates", &IdtGates);
        suite.Add("sse_enabled", &SseEnabled);
        suite.Add("long_mode_paging", &LongModePaging);
        suite.Add("pic_remapped_lines_masked", &PicMasked);
    }

    struct TablePointer { public ushort Limit; public ulong Base; }

    static void GdtLoaded()
    {
        byte* raw = stackalloc byte[16];
        Cpu.StoreGdt(raw);
        ulong b = *(ulong*)(raw + 2);
        KTest.ExpectEqual((ulong)Gdt.GetEntries(), b, "GDTR base");
        KTest.ExpectEqual(8UL * 8 - 1, *(ushort*)raw, "GDTR limit");
    }

    static void GdtSyscallOrder()
    {
        ulong* e = Gdt.GetEntries();
        // L bit (53) marks 64-bit code; DPL in bits 45-46; executable bit 43.
        KTest.Assert((e[1] >> 53 & 1) == 1 && (e[1] >> 45 & 3) == 0, "0x08 is 64-bit kernel code");
        KTest.Assert((e[2] >> 43 & 1) == 0 && (e[2] >> 45 & 3) == 0, "0x10 is kernel data");
        KTest.Assert((e[3] >> 43 & 1) == 1 && (e[3] >> 53 & 1) == 0 && (e[3] >> 45 & 3) == 3, "0x18 is 32-bit user code");
        KTest.Assert((e[4] >> 43 & 1) == 0 && (e[4] >> 45 & 3) == 3, "0x20 is user data");
        KTest.Assert((e[5] >> 53 & 1) == 1 && (e[5] >> 45 & 3) == 3, "0x28 is 64-bit user code");
        KTest.ExpectEqual(0x9UL, e[6] >> 40 & 0xd, "0x30 is a 64-bit TSS (type 0x9, or 0xb once busy)");
    }

    static void SegmentsAreKernel()
    {
        KTest.ExpectEqual((ulong)Gdt.KernelCode, Cpu.ReadCs(), "CS");
        KTest.ExpectEqual((ulong)Gdt.KernelData, Cpu.ReadSs(), "SS");
    }

    static void TaskRegister()
    {
        KTest.ExpectEqual((ulong)Gdt.TaskState, Cpu.StoreTaskRegister(), "TR");
        KTest.ExpectEqual(0xbUL, Gdt.GetEntries()[6] >> 40 & 0xf, "TSS descriptor busy after ltr");
    }

    static void IstStacks()
    {
        Gdt.TaskStateSegment* tss = Gdt.Tss;
        for (int ist = 1; ist <= 3; ist++)
        {
            Gdt.IstStackRange(ist, out ulong bottom, out ulong top);
            ulong entry = ist == 1 ? tss->Ist1 : ist == 2 ? tss->Ist2 : tss->Ist3;
            KTest.Assert(entry > bottom && entry <= top, "IST entry inside its stack");
            KTest.ExpectEqual(0UL, entry & 15, "IST entry 16-byte aligned");
        }
    }

    static void IdtLoaded()
    {
        byte* raw = stackalloc byte[16];
        Cpu.StoreIdt(raw);
        KTest.ExpectEqual((ulong)Idt.Gates, *(ulong*)(raw + 2), "IDTR base");
        KTest.ExpectEqual(256UL * 16 - 1, *(ushort*)raw, "IDTR limit");
    }

    static void IdtGates()
    {
        Idt.Gate* g = Idt.Gates;
        for (int v = 0; v < 256; v++)
        {
            KTest.ExpectEqual(Idt.ExpectedHandler(v), g[v].Offset, "gate handler address");
            KTest.ExpectEqual((ulong)Gdt.KernelCode, g[v].Selector, "gate selector");
            KTest.Assert((g[v].TypeAttributes & 0x8f) == 0x8e, "present 64-bit interrupt gate");
        }
        KTest.ExpectEqual((ulong)Gdt.IstDoubleFault, g[Exceptions.DoubleFault].Ist, "#DF IST");
        KTest.ExpectEqual((ulong)Gdt.IstNmi, g[Exceptions.NonMaskableInterrupt].Ist, "NMI IST");
        KTest.ExpectEqual((ulong)Gdt.IstMachineCheck, g[Exceptions.MachineCheck].Ist, "#MC IST");
        KTest.ExpectEqual(0UL, g[Exceptions.PageFault].Ist, "#PF runs on the current stack");
        KTest.ExpectEqual(3UL, (ulong)(g[Exceptions.Breakpoint].TypeAttributes >> 5 & 3), "int3 allowed from ring 3");
        KTest.ExpectEqual(0UL, (ulong)(g[Exceptions.GeneralProtection].TypeAttributes >> 5 & 3), "#GP DPL 0");
    }

    static void SseEnabled()
    {
        ulong cr0 = Cpu.ReadCr0(), cr4 = Cpu.ReadCr4();
        KTest.Assert((cr0 & (1 << 2)) == 0, "CR0.EM clear");
        KTest.Assert((cr0 & (1 << 1)) != 0, "CR0.MP set");
        KTest.Assert((cr4 & (1 << 9)) != 0 && (cr4 & (1 << 10)) != 0, "CR4.OSFXSR and OSXMMEXCPT");
        double x = 1.5, y = 2.25;
        KTest.Assert(x * y == 3.375, "floating point arithmetic");
    }

    static void LongModePaging()
    {
        ulong efer = Cpu.ReadMsr(0xc0000080);
        KTest.Assert((efer & (1 << 10)) != 0, "EFER.LMA (long mode active)");
        KTest.Assert((Cpu.ReadCr0() & (1UL << 31)) != 0, "CR0.PG");
        KTest.Assert((Cpu.ReadCr0() & (1UL << 16)) != 0, "CR0.WP (kernel honours read-only pages)");
    }

    static void PicMasked()
    {
        // Under the APIC every 8259 line stays masked; with the 8259 only lines a driver asked for open.
        ulong expected = InterruptControllers.UsingApic ? 0xffffUL : Pic.Mask;
        KTest.ExpectEqual(expected, (ulong)(Cpu.InByte(0x21) | Cpu.InByte(0xa1) << 8), "8259 masks");
    }
}
