// A new task's kernel stack, built so that the first switch_context to it "returns" into
// task_start (boot/syscall.asm), which restores a clean FPU image and leaves for ring 3
// through the same path as a syscall return:
//   top - 176: the user frame (InterruptFrame): RIP = entry, RSP = the initial stack, user
//              CS/SS, RFLAGS = IF only, every general register zero (as Linux starts a program);
//   top - 688: the fxsave image: FCW 0x37f, MXCSR 0x1f80, everything else zero;
//   below:     what switch_context pops: six callee-saved registers (zero), RFLAGS (interrupts
//              off) and task_start.
using Kernel.Arch.X64;

namespace Kernel.Tasks;

public static unsafe class TaskStack
{
    public const int FrameBytes = 22 * 8, FpuBytes = 512, SwitchBytes = 8 * 8;

    /// <summary>Builds the stack under <paramref name="top"/> (16-byte aligned); returns the RSP to switch to.</summary>
    public static ulong Prepare(ulong top, ulong entry, ulong userStack)
    {
        var frame = (InterruptFrame*)(top - FrameBytes);
        StartUserState(frame, entry, userStack);
        byte* fpu = (byte*)frame - FpuBytes;
        var words = (ulong*)(fpu - SwitchBytes);
        for (int i = 0; i < 6; i++) words[i] = 0;
        words[6] = 2; // RFLAGS: reserved bit 1, IF clear until the return to ring 3
        words[7] = SyscallGate.TaskStartAddress();
        return (ulong)words;
    }

    /// <summary>The user state a program starts with (also execve's): the frame at
    /// <paramref name="frame"/> and the clean FPU image just below it.</summary>
    public static void StartUserState(InterruptFrame* frame, ulong entry, ulong userStack)
    {
        Runtime.Bytes.Zero((byte*)frame, FrameBytes);
        frame->Rip = entry;
        frame->Cs = Gdt.UserCode | 3;
        frame->Rflags = Cpu.FlagInterrupt | 2; // bit 1 is always set
        frame->Rsp = userStack;
        frame->Ss = Gdt.UserData | 3;

        CleanFpu(FpuImage(frame));
    }

    /// <summary>The x87/SSE state at program start (and at a signal handler's entry).</summary>
    public static void CleanFpu(byte* fpu)
    {
        Runtime.Bytes.Zero(fpu, FpuBytes);
        *(ushort*)fpu = 0x37f;          // FCW: all x87 exceptions masked, 64-bit precision
        *(uint*)(fpu + 24) = 0x1f80;    // MXCSR: all SSE exceptions masked, round to nearest
    }

    /// <summary>The user's fxsave image, just below the frame of an entry from ring 3.</summary>
    public static byte* FpuImage(InterruptFrame* frame) => (byte*)frame - FpuBytes;

    /// <summary>fork: the child's stack under <paramref name="top"/> returns to ring 3 with the
    /// parent's registers (rax = 0) and the parent's FPU image, both as saved at its syscall entry.</summary>
    public static ulong PrepareForkChild(ulong top, InterruptFrame* parentFrame)
    {
        ulong rsp = Prepare(top, 0, 0);
        var frame = (InterruptFrame*)(top - FrameBytes);
        Runtime.Bytes.Copy(frame, parentFrame, FrameBytes);
        frame->Rax = 0;
        Runtime.Bytes.Copy((byte*)frame - FpuBytes, (byte*)parentFrame - FpuBytes, FpuBytes);
        return rsp;
    }

    /// <summary>The saved user registers of a task that is in the kernel.</summary>
    public static InterruptFrame* UserFrame(Process* p) => (InterruptFrame*)(p->KernelStackTop - FrameBytes);
}
