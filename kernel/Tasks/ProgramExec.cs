// execve: the arguments, environment and path are copied into the kernel and the file checked
// first (errors return to the caller as Linux's errno); then the old user half goes and the new
// program is loaded into the same process (a failure past that point kills it, as in Linux),
// with the start-up register and FPU state, FS base 0, caught signals reset to default and no alternate signal stack.
using Kernel.Arch.X64;
using Kernel.Boot.Memory;
using Kernel.Fs;
using Kernel.Memory;
using Kernel.Tasks.Elf;
using Kernel.Syscalls;

namespace Kernel.Tasks;

public static unsafe class ProgramExec
{
    /// <summary>Room for argument and environment strings: the initial stack image is built in
    /// 8 KiB, so more would only fail after the point of no return.</summary>
    const ulong StringBytes = 6 * 1024;

    public static long Execve(ulong userPath, ulong userArgv, ulong userEnvp)
    {
        Process* p = Scheduler.Current;
        byte* raw = stackalloc byte[PathName.MaxLength];
        long n = UserMemory.StringFrom(raw, userPath, PathName.MaxLength);
        if (n < 0) return -Errno.EFAULT;
        if (n == PathName.MaxLength) return -Errno.ENAMETOOLONG;
        if (n == 0) return -Errno.ENOENT;
        byte* path = stackalloc byte[PathName.MaxLength];
        int pathLength = PathName.Normalize(null, 0, raw, (int)n, path);
        if (pathLength < 0) return -Errno.ENAMETOOLONG;

        ulong bufferPhysical = PhysicalPages.Allocate(1);
        if (bufferPhysical == 0) return -Errno.ENOMEM;
        byte* buffer = (byte*)PhysicalMap.ToVirtual(bufferPhysical);
        StringList argv = default, envp = default;
        ulong used = 0;
        long error = CopyStrings(userArgv, &argv, buffer, ref used);
        if (error == 0) error = CopyStrings(userEnvp, &envp, buffer, ref used);
        ElfImage image = default;
        InitrdIndex.Entry* file = null;
        if (error == 0) error = ProgramLoader.Open(path, pathLength, true, &image, out file);
        if (error != 0)
        {
            PhysicalPages.Free(bufferPhysical, 1);
            return error;
        }

        // The point of no return.
        p->Vm.Destroy();
        ulong sp = ProgramLoader.Load(p, &image, file->Data, &argv, &envp, path, pathLength, out string _);
        PhysicalPages.Free(bufferPhysical, 1);
        if (sp == 0) ProcessLifecycle.ExitCurrent(WaitStatus.Killed(Signals.SIGKILL));
        ProgramLoader.SetName(p, path, pathLength);
        TaskStack.StartUserState(TaskStack.UserFrame(p), image.Entry, sp);
        p->FsBase = 0;
        SyscallGate.SetFsBase(0);
        p->ClearChildTid = 0;
        p->Execed = true;
        SignalStack.Clear(p);
        // Caught signals go back to their default; ignored ones stay ignored (SIG_IGN = 1).
        for (int i = 0; i < Process.SignalCount; i++)
            if (p->SignalActions[i * 4] > 1) for (int k = 0; k < 4; k++) p->SignalActions[i * 4 + k] = 0;
        return 0;
    }

    /// <summary>Copies a user array of string pointers (NULL-terminated; a NULL array is empty)
    /// into <paramref name="buffer"/>: 0, -EFAULT or -E2BIG.</summary>
    static long CopyStrings(ulong userArray, StringList* list, byte* buffer, ref ulong used)
    {
        if (userArray == 0) return 0;
        for (int i = 0; ; i++)
        {
            ulong pointer;
            if (UserMemory.CopyFrom(&pointer, userArray + (ulong)i * 8, 8) < 0) return -Errno.EFAULT;
            if (pointer == 0) return 0;
            if (used >= StringBytes) return -Errno.E2BIG;
            long n = UserMemory.StringFrom(buffer + used, pointer, StringBytes - used);
            if (n < 0) return -Errno.EFAULT;
            if ((ulong)n == StringBytes - used) return -Errno.E2BIG;
            if (!list->Add(buffer + used, (int)n)) return -Errno.E2BIG;
            used += (ulong)n + 1;
        }
    }
}
