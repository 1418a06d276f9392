// What a pending signal carries until delivery: Process.PendingInfo keeps Words ulongs per
// signal (standard signals do not queue: a second send before delivery replaces the first).
//   [0] si_code (low 32 bits) and the sender's pid (high 32 bits)
//   [1] si_addr for a fault, si_status for SIGCHLD
//   [2] for a fault: the CPU vector (low 32) and error code (high 32), for uc_mcontext
// Written into the user's siginfo_t (128 bytes: si_signo, si_errno, si_code, then the union at
// offset 16) by SignalFrame.
namespace Kernel.Tasks;

public static unsafe class SignalInfo
{
    public const int Words = 3;
    public const int Size = 128;

    /// <summary>si_code values (Linux's include/uapi/asm-generic/siginfo.h).</summary>
    public const int SiUser = 0, SiKernel = 0x80, SiTkill = -6,
        SegvMaperr = 1, SegvAccerr = 2, FpeIntdiv = 1, IllIllopn = 2, TrapBrkpt = 1,
        CldExited = 1, CldKilled = 2;

    public static void Store(Process* p, int signal, int code, int senderPid, ulong value, ulong trap)
    {
        ulong* w = p->PendingInfo + (signal - 1) * Words;
        w[0] = (uint)code | (ulong)(uint)senderPid << 32;
        w[1] = value;
        w[2] = trap;
    }

    public static int Code(Process* p, int signal) => (int)(uint)p->PendingInfo[(signal - 1) * Words];

    /// <summary>The user's siginfo_t for a pending signal, at <paramref name="info"/> (Size bytes).</summary>
    public static void Write(Process* p, int signal, byte* info)
    {
        ulong* w = p->PendingInfo + (signal - 1) * Words;
        Runtime.Bytes.Zero(info, Size);
        *(int*)info = signal;
        *(int*)(info + 8) = (int)(uint)w[0];
        int code = (int)(uint)w[0];
        if (IsFault(signal, code))
        {
            *(ulong*)(info + 16) = w[1];                 // si_addr
            return;
        }
        *(int*)(info + 16) = (int)(w[0] >> 32);         // si_pid
        *(uint*)(info + 20) = 0;                        // si_uid: root
        if (signal == Signals.SIGCHLD) *(int*)(info + 24) = (int)w[1]; // si_status
    }

    /// <summary>A signal raised by the CPU (its info holds an address, not a sender).</summary>
    public static bool IsFault(int signal, int code) =>
        code > 0 && code < SiKernel && (signal == Signals.SIGSEGV || signal == Signals.SIGBUS ||
                                        signal == Signals.SIGFPE || signal == Signals.SIGILL || signal == Signals.SIGTRAP);

    public static ulong TrapWord(Process* p, int signal) => p->PendingInfo[(signal - 1) * Words + 2];
    public static ulong Value(Process* p, int signal) => p->PendingInfo[(signal - 1) * Words + 1];
}
