// Linux x86-64's rt_sigframe, built on the user stack for a handler and read back by
// rt_sigreturn. From the handler's RSP up (arch/x86/include/asm/sigframe.h, facts only):
//   +0    pretcode: sa_restorer, the handler's return address (it calls rt_sigreturn)
//   +8    ucontext: uc_flags, uc_link, uc_stack (24 bytes), uc_mcontext (struct sigcontext,
//         256 bytes at +48), uc_sigmask (the mask to restore, at +304)
//   +312  siginfo_t (128 bytes)
// and above it, 16-aligned, the 512-byte fxsave image uc_mcontext.fpstate points at. All of it
// sits below the interrupted code's 128-byte red zone, or at the top of the alternate stack for
// an SA_ONSTACK handler (SignalStack); the handler starts with (RSP + 8) % 16
// == 0, as after a call. rt_sigreturn treats the frame as hostile: user CS/SS are forced,
// RFLAGS keeps only the bits user code may change, MXCSR keeps only its defined bits, and a
// non-canonical RIP or RSP (or an unreadable frame) kills the process with SIGSEGV.
using Kernel.Arch.X64;

namespace Kernel.Tasks;

public static unsafe class SignalFrame
{
    const int UcOffset = 8, McOffset = UcOffset + 40, MaskOffset = UcOffset + 296, InfoOffset = 312;
    public const int Size = InfoOffset + SignalInfo.Size;
    const int UcontextBytes = MaskOffset + 8 - UcOffset;
    const ulong RedZone = 128;
    const ulong UcSigcontextSs = 2, UcStrictRestoreSs = 4;
    /// <summary>Linux's FIX_EFLAGS: AC OF DF TF SF ZF AF PF CF RF, what sigreturn may set.</summary>
    const ulong UserFlags = 1UL << 18 | 1UL << 11 | 1UL << 10 | 1UL << 8 | 1UL << 7 | 1UL << 6 | 1UL << 4 | 1UL << 2 | 1UL << 0 | 1UL << 16;
    const ulong FlagTrap = 1UL << 8, FlagDirection = 1UL << 10, FlagResume = 1UL << 16;
    /// <summary>fxsave bytes 464..511 are left to software: never copied out from the kernel stack.</summary>
    const int FxsaveUsed = 464;

    // struct sigcontext, in 8-byte words from uc_mcontext.
    const int R8 = 0, R9 = 1, R10 = 2, R11 = 3, R12 = 4, R13 = 5, R14 = 6, R15 = 7, Rdi = 8, Rsi = 9, Rbp = 10,
        Rbx = 11, Rdx = 12, Rax = 13, Rcx = 14, Rsp = 15, Rip = 16, Eflags = 17, CsGsFsSs = 18, Err = 19,
        TrapNo = 20, OldMask = 21, Cr2 = 22, FpState = 23;

    /// <summary>Builds the frame for <paramref name="signal"/> (pending info in the process) and
    /// points the saved registers at the handler. False when the frame could not be written.</summary>
    public static bool Build(Process* p, InterruptFrame* frame, int signal, ulong handler, ulong restorer, bool onStack)
    {
        ulong top = SignalStack.HandlerTop(p, frame->Rsp, onStack, RedZone, out bool switched);
        ulong fpAddress = (top - TaskStack.FpuBytes) & ~15UL;
        ulong sp = ((fpAddress - Size) & ~15UL) - 8;
        if (fpAddress > top || sp > fpAddress || top > frame->Rsp && !switched) return false; // the stack pointer wrapped
        if (switched && sp <= p->AltStackBase) return false; // the alternate stack is too small for the frame

        byte* fpu = stackalloc byte[TaskStack.FpuBytes];
        Runtime.Bytes.Copy(fpu, TaskStack.FpuImage(frame), FxsaveUsed);
        Runtime.Bytes.Zero(fpu + FxsaveUsed, TaskStack.FpuBytes - FxsaveUsed);
        if (UserMemory.CopyTo(fpAddress, fpu, TaskStack.FpuBytes) < 0) return false;

        byte* f = stackalloc byte[Size];
        Runtime.Bytes.Zero(f, Size);
        *(ulong*)f = restorer;
        ulong* uc = (ulong*)(f + UcOffset);
        uc[0] = UcSigcontextSs | UcStrictRestoreSs;
        SignalStack.Describe(p, frame->Rsp, f + UcOffset + 16);   // uc_stack, as at the interruption
        SaveRegisters(frame, (ulong*)(f + McOffset));
        ulong* mc = (ulong*)(f + McOffset);
        ulong trap = SignalInfo.TrapWord(p, signal);
        if (trap != 0)
        {
            mc[TrapNo] = (uint)trap;
            mc[Err] = trap >> 32;
            if ((int)(uint)trap == Exceptions.PageFault) mc[Cr2] = SignalInfo.Value(p, signal);
        }
        ulong restored = p->RestoreMask ? p->SavedMask : p->SignalMask;
        mc[OldMask] = restored;
        mc[FpState] = fpAddress;
        *(ulong*)(f + MaskOffset) = restored;
        SignalInfo.Write(p, signal, f + InfoOffset);
        if (UserMemory.CopyTo(sp, f, Size) < 0) return false;

        frame->Rip = handler;
        frame->Rsp = sp;
        frame->Rdi = (ulong)signal;
        frame->Rsi = sp + InfoOffset;
        frame->Rdx = sp + UcOffset;
        frame->Rax = 0;
        frame->Cs = Gdt.UserCode | 3;
        frame->Ss = Gdt.UserData | 3;
        frame->Rflags &= ~(FlagTrap | FlagDirection | FlagResume);
        TaskStack.CleanFpu(TaskStack.FpuImage(frame));
        return true;
    }

    static void SaveRegisters(InterruptFrame* frame, ulong* mc)
    {
        mc[R8] = frame->R8; mc[R9] = frame->R9; mc[R10] = frame->R10; mc[R11] = frame->R11;
        mc[R12] = frame->R12; mc[R13] = frame->R13; mc[R14] = frame->R14; mc[R15] = frame->R15;
        mc[Rdi] = frame->Rdi; mc[Rsi] = frame->Rsi; mc[Rbp] = frame->Rbp; mc[Rbx] = frame->Rbx;
        mc[Rdx] = frame->Rdx; mc[Rax] = frame->Rax; mc[Rcx] = frame->Rcx; mc[Rsp] = frame->Rsp;
        mc[Rip] = frame->Rip; mc[Eflags] = frame->Rflags;
        mc[CsGsFsSs] = (frame->Cs & 0xffff) | (frame->Ss & 0xffff) << 48;
    }

    /// <summary>rt_sigreturn: the registers, mask and FPU state from the frame the handler's
    /// return left at the user RSP. Returns the restored rax; a bad frame kills (SIGSEGV).</summary>
    public static long Return(Process* p, InterruptFrame* frame)
    {
        byte* uc = stackalloc byte[UcontextBytes];
        if (UserMemory.CopyFrom(uc, frame->Rsp, UcontextBytes) < 0) BadFrame(p, frame, "unreadable");
        ulong* mc = (ulong*)(uc + McOffset - UcOffset);
        if (!Canonical(mc[Rip]) || !Canonical(mc[Rsp])) BadFrame(p, frame, "non-canonical RIP or RSP");

        byte* fpu = stackalloc byte[TaskStack.FpuBytes];
        if (mc[FpState] == 0) TaskStack.CleanFpu(fpu);
        else if (UserMemory.CopyFrom(fpu, mc[FpState], TaskStack.FpuBytes) < 0) BadFrame(p, frame, "unreadable FPU state");
        byte* image = TaskStack.FpuImage(frame);
        uint mxcsrMask = *(uint*)(image + 28);   // written by fxsave on entry; 0 means the default
        if (mxcsrMask == 0) mxcsrMask = 0xffbf;
        *(uint*)(fpu + 24) &= mxcsrMask;         // a reserved MXCSR bit would make fxrstor fault
        Runtime.Bytes.Copy(image, fpu, TaskStack.FpuBytes);

        frame->R8 = mc[R8]; frame->R9 = mc[R9]; frame->R10 = mc[R10]; frame->R11 = mc[R11];
        frame->R12 = mc[R12]; frame->R13 = mc[R13]; frame->R14 = mc[R14]; frame->R15 = mc[R15];
        frame->Rdi = mc[Rdi]; frame->Rsi = mc[Rsi]; frame->Rbp = mc[Rbp]; frame->Rbx = mc[Rbx];
        frame->Rdx = mc[Rdx]; frame->Rax = mc[Rax]; frame->Rcx = mc[Rcx]; frame->Rsp = mc[Rsp];
        frame->Rip = mc[Rip];
        frame->Rflags = frame->Rflags & ~UserFlags | mc[Eflags] & UserFlags | Cpu.FlagInterrupt | 2;
        frame->Cs = Gdt.UserCode | 3;
        frame->Ss = Gdt.UserData | 3;
        frame->Vector = ulong.MaxValue;          // no syscall to restart
        p->SignalMask = *(ulong*)(uc + MaskOffset - UcOffset) & ~SignalSend.Unblockable;
        SignalStack.Set(p, frame->Rsp, uc + 16);   // uc_stack back (SS_AUTODISARM); errors ignored, as in Linux
        return (long)mc[Rax];
    }

    static bool Canonical(ulong address) => address < 0x0000800000000000UL || address >= 0xffff800000000000UL;

    static void BadFrame(Process* p, InterruptFrame* frame, string why)
    {
        ProcessLifecycle.KillForBadFrame(p, frame, why);
    }
}
