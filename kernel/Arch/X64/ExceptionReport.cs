// The report printed for an exception: what (name, vector, error code decoded for #PF), a
// one-line explanation where one is known (NULL dereference, stack overflow), where (RIP and
// its C# method), the control registers, every general register, and a backtrace. It writes
// straight to the consoles and never allocates; a fault while reporting becomes a nested panic.
using Kernel.Boot;
using Kernel.Diagnostics;

namespace Kernel.Arch.X64;

public static unsafe class ExceptionReport
{
    public static void Print(InterruptFrame* f, bool fatal)
    {
        if (fatal) Panic.Enter("fatal exception");
        int vector = (int)f->Vector;
        ulong cr2 = Cpu.ReadCr2();
        KernelConsole.Print($"\nEXCEPTION {Exceptions.Mnemonic(vector)} {Exceptions.Name(vector)} (vector {vector}) error {f->ErrorCode:x} {(f->FromUserMode ? "in user mode" : "in kernel mode")}\n");
        if (vector == Exceptions.PageFault) PrintPageFaultCause(f->ErrorCode, cr2);
        if (vector == Exceptions.DoubleFault || vector == Exceptions.PageFault) PrintStackOverflowCause(cr2, f->Rsp);

        byte* buffer = stackalloc byte[200];
        var text = new TextBuilder(buffer, 200);
        text.Append("RIP: ");
        text.AppendHex(f->Cs, 4);
        text.Append(':');
        text.AppendHex(f->Rip, 16);
        text.Append(' ');
        Symbols.AppendSymbol(ref text, f->Rip);
        text.Append('\n');
        KernelConsole.Write(buffer, text.Length);

        KernelConsole.Print($"RSP: {f->Ss:x4}:{f->Rsp:x16} RFLAGS: {f->Rflags:x16}\n");
        KernelConsole.Print($"CR0: {Cpu.ReadCr0():x16} CR2: {cr2:x16} CR3: {Cpu.ReadCr3():x16} CR4: {Cpu.ReadCr4():x16}\n");
        KernelConsole.Print($"RAX: {f->Rax:x16} RBX: {f->Rbx:x16} RCX: {f->Rcx:x16}\n");
        KernelConsole.Print($"RDX: {f->Rdx:x16} RSI: {f->Rsi:x16} RDI: {f->Rdi:x16}\n");
        KernelConsole.Print($"RBP: {f->Rbp:x16} R08: {f->R8:x16} R09: {f->R9:x16}\n");
        KernelConsole.Print($"R10: {f->R10:x16} R11: {f->R11:x16} R12: {f->R12:x16}\n");
        KernelConsole.Print($"R13: {f->R13:x16} R14: {f->R14:x16} R15: {f->R15:x16}\n");
        Backtrace.Print(f->Rbp, f->Rip);
        if (fatal) KernelConsole.Write("---[ end Kernel panic: fatal exception ]---\n");
    }

    /// <summary>#PF error code bits: P (0), W (1), U (2), RSVD (3), I (4), PK (5), SS (6).</summary>
    static void PrintPageFaultCause(ulong error, ulong address)
    {
        string presence = (error & 1) != 0 ? "protection violation (page present)" : "page not present";
        string access = (error & 16) != 0 ? "instruction fetch" : (error & 2) != 0 ? "write" : "read";
        string mode = (error & 4) != 0 ? "user" : "kernel";
        KernelConsole.Print($"#PF: {presence}, {access} access, {mode} mode{((error & 8) != 0 ? ", reserved bit set" : "")}\n");
        if (address < 4096)
            KernelConsole.Print($"BUG: kernel NULL pointer dereference, address: {address:x16}\n");
        else
            KernelConsole.Print($"BUG: unable to handle page fault for address: {address:x16}\n");
    }

    /// <summary>A fault on a stack guard page (the boot stack's, or one of vmalloc's below a
    /// kernel stack) means that stack overflowed.</summary>
    static void PrintStackOverflowCause(ulong cr2, ulong rsp)
    {
        ulong guard = KernelLayout.Current->BootStackGuard;
        if ((cr2 >= guard && cr2 < guard + 4096) || (rsp >= guard - 4096 && rsp < guard + 4096))
        {
            KernelConsole.Print($"BUG: kernel stack overflow: guard page {guard:x16} hit (boot stack, top {KernelLayout.Current->BootStackTop:x16})\n");
            return;
        }
        if (Boot.Memory.KernelVmalloc.IsGuardPage(cr2, out ulong start, out ulong end) ||
            Boot.Memory.KernelVmalloc.IsGuardPage(rsp, out start, out end))
            KernelConsole.Print($"BUG: kernel stack overflow: guard page {cr2 & ~4095UL:x16} hit (vmalloc stack {start:x16}-{end:x16})\n");
    }
}
