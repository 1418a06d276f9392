// The syscall table: boot/syscall.asm calls Dispatch with the saved user frame. Linux x86-64
// convention: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9, result in rax (a
// negative errno on failure). Unknown numbers are -ENOSYS. Numbers from
// arch/x86/entry/syscalls/syscall_64.tbl.
using System.Runtime;
using Kernel.Arch.X64;

namespace Kernel.Syscalls;

public static unsafe class SyscallDispatch
{
    public const ulong Read = 0, Write = 1, Open = 2, Close = 3, Stat = 4, Fstat = 5, Lstat = 6, Lseek = 8, Mmap = 9, Mprotect = 10, Munmap = 11, Brk = 12,
        RtSigaction = 13, RtSigprocmask = 14, RtSigreturn = 15, Kill = 62, RtSigpending = 127, RtSigsuspend = 130, Pause = 34, Sigaltstack = 131,
        Setpgid = 109, Getpgrp = 111, Setsid = 112, Getpgid = 121, Getsid = 124, Tkill = 200, Tgkill = 234, Ioctl = 16, Pread64 = 17, Readv = 19, Writev = 20, SchedYield = 24, Mremap = 25, Madvise = 28,
        Nanosleep = 35, Getpid = 39, Clone = 56, Fork = 57, Vfork = 58, Execve = 59, Exit = 60, Wait4 = 61, Uname = 63, Getppid = 110, ArchPrctl = 158, Reboot = 169,
        Gettid = 186, Fcntl = 72, Getdents64 = 217, SetTidAddress = 218, ClockGettime = 228, ExitGroup = 231, Openat = 257,
        Newfstatat = 262, Getrandom = 318,
        Dup = 32, Dup2 = 33, Getcwd = 79, Readlink = 89, Getrlimit = 97, Getuid = 102, Getgid = 104, Geteuid = 107, Getegid = 108,
        Getresuid = 118, Getresgid = 120, Prctl = 157, Readlinkat = 267, Dup3 = 292, Prlimit64 = 302;

    static ulong s_calls;
    public static ulong Calls => s_calls;

    [RuntimeExport("syscall_dispatch")]
    static void Dispatch(InterruptFrame* f)
    {
        s_calls++;
        f->Rax = (ulong)Invoke(f->Vector, f->Rdi, f->Rsi, f->Rdx, f->R10, f->R8, f->R9);
        Tasks.SignalDelivery.AfterSyscall(f);
    }

    public static long Invoke(ulong number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
    {
        switch (number)
        {
            case Read: return FileSyscalls.Read((int)a0, a1, a2);
            case Write: return FileSyscalls.Write((int)a0, a1, a2);
            case Open: return FileSyscalls.Open(a0, (int)a1, (int)a2);
            case Close: return FileSyscalls.Close((int)a0);
            case Stat: return FileSyscalls.NewFstatAt(-100, a0, a1, 0);
            case Fstat: return FileSyscalls.Fstat((int)a0, a1);
            case Lstat: return FileSyscalls.NewFstatAt(-100, a0, a1, 0); // no symbolic links yet
            case Lseek: return FileSyscalls.Seek((int)a0, (long)a1, (int)a2);
            case Mmap: return MemorySyscalls.Mmap(a0, a1, a2, a3, (int)a4, a5);
            case Mprotect: return MemorySyscalls.Mprotect(a0, a1, a2);
            case Munmap: return MemorySyscalls.Munmap(a0, a1);
            case Brk: return MemorySyscalls.Brk(a0);
            case Mremap: return MemorySyscalls.Mremap(a0, a1, a2, a3, a4);
            case Madvise: return MemorySyscalls.Madvise(a0, a1, a2);
            case RtSigaction: return ProcessSyscalls.SigAction((int)a0, a1, a2, a3);
            case RtSigprocmask: return ProcessSyscalls.SigProcMask((int)a0, a1, a2, a3);
            case RtSigreturn: return ProcessSyscalls.SigReturn();
            case RtSigpending: return ProcessSyscalls.SigPending(a0, a1);
            case RtSigsuspend: return ProcessSyscalls.SigSuspend(a0, a1);
            case Pause: return ProcessSyscalls.Pause();
            case Sigaltstack: return ProcessSyscalls.SigAltStack(a0, a1);
            case Kill: return ProcessSyscalls.Kill((int)a0, (int)a1);
            case Setpgid: return ProcessSyscalls.SetPgid((int)a0, (int)a1);
            case Getpgid: return ProcessSyscalls.GetPgid((int)a0);
            case Getpgrp: return ProcessSyscalls.GetPgid(0);
            case Setsid: return ProcessSyscalls.SetSid();
            case Getsid: return ProcessSyscalls.GetSid((int)a0);
            case Tkill: return ProcessSyscalls.ThreadKill(-1, (int)a0, (int)a1);
            case Tgkill: return ProcessSyscalls.ThreadKill((int)a0, (int)a1, (int)a2);
            case Ioctl: return FileSyscalls.Ioctl((int)a0, (uint)a1, a2);
            case Pread64: return FileSyscalls.PRead((int)a0, a1, a2, (long)a3);
            case Readv: return VectorSyscalls.ReadV((int)a0, a1, (long)a2);
            case Writev: return VectorSyscalls.WriteV((int)a0, a1, (long)a2);
            case SchedYield: return ProcessSyscalls.Yield();
            case Nanosleep: return SystemSyscalls.NanoSleep(a0, a1);
            case Getpid: return ProcessSyscalls.GetPid();
            case Clone: return ForkSyscalls.Clone(a0, a1, a2, a3, a4);
            case Fork: return ForkSyscalls.Fork();
            case Vfork: return ForkSyscalls.Fork();
            case Execve: return ForkSyscalls.Execve(a0, a1, a2);
            case Wait4: return ForkSyscalls.Wait4((int)a0, a1, (int)a2, a3);
            case Exit: return ProcessSyscalls.Exit((int)a0);
            case Uname: return SystemSyscalls.Uname(a0);
            case Fcntl: return FileSyscalls.Fcntl((int)a0, (int)a1, a2);
            case Getppid: return ProcessSyscalls.GetParentPid();
            case ArchPrctl: return ProcessSyscalls.ArchPrctl((int)a0, a1);
            case Reboot: return SystemSyscalls.Reboot((uint)a0, (uint)a1, (uint)a2);
            case Gettid: return ProcessSyscalls.GetPid();
            case Getdents64: return FileSyscalls.GetDents64((int)a0, a1, a2);
            case SetTidAddress: return ProcessSyscalls.SetTidAddress(a0);
            case ClockGettime: return SystemSyscalls.ClockGetTime((int)a0, a1);
            case ExitGroup: return ProcessSyscalls.Exit((int)a0);
            case Openat: return FileSyscalls.OpenAt((int)a0, a1, (int)a2, (int)a3);
            case Newfstatat: return FileSyscalls.NewFstatAt((int)a0, a1, a2, (int)a3);
            case Getrandom: return SystemSyscalls.GetRandom(a0, a1, (uint)a2);
            case Dup: return IdentitySyscalls.Dup((int)a0);
            case Dup2: return IdentitySyscalls.Dup2((int)a0, (int)a1, 0, false);
            case Dup3: return IdentitySyscalls.Dup2((int)a0, (int)a1, (int)a2, true);
            case Getcwd: return IdentitySyscalls.GetCwd(a0, a1);
            case Readlink: return IdentitySyscalls.ReadLink(a0, a1, a2);
            case Readlinkat: return IdentitySyscalls.ReadLink(a1, a2, a3);
            case Getrlimit: return IdentitySyscalls.GetRlimit((uint)a0, a1);
            case Prlimit64: return IdentitySyscalls.Prlimit((int)a0, (uint)a1, a2, a3);
            case Getuid: case Getgid: case Geteuid: case Getegid: return IdentitySyscalls.GetId();
            case Getresuid: case Getresgid: return IdentitySyscalls.GetResId(a0, a1, a2);
            case Prctl: return IdentitySyscalls.Prctl((int)a0, a1);
            default: return -Errno.ENOSYS;
        }
    }
}
