// fork (and clone without CLONE_VM / CLONE_THREAD, which is fork with extras): a new process with
// a copy-on-write copy of the address space, the parent's registers and FPU image as saved at
// its syscall entry (rax = 0 in the child), FS base, signal records, alternate signal stack, process group, session and file descriptors.
using Kernel.Arch.X64;
using Kernel.Arch.X64.Paging;
using Kernel.Boot.Memory;
using Kernel.Memory.Virtual;
using Kernel.Tasks.Vm;
using Kernel.Syscalls;

namespace Kernel.Tasks;

public static unsafe class ProcessFork
{

    /// <summary>The child's pid, or -EAGAIN (process table full) / -ENOMEM.</summary>
    public static int Fork(ulong childTidAddress, bool setChildTid, bool clearChildTid)
    {
        Process* parent = Scheduler.Current;
        Process* child = ProcessTable.Allocate();
        if (child == null) return -Errno.EAGAIN;
        child->ParentPid = parent->Pid;
        child->NameLength = parent->NameLength;
        for (int i = 0; i < parent->NameLength; i++) child->Name[i] = parent->Name[i];
        child->FsBase = parent->FsBase;
        child->SignalMask = parent->SignalMask;
        child->Pgid = parent->Pgid;
        child->Sid = parent->Sid;
        child->AltStackBase = parent->AltStackBase;
        child->AltStackSize = parent->AltStackSize;
        child->AltStackFlags = parent->AltStackFlags;
        for (int i = 0; i < Process.SignalCount * 4; i++) child->SignalActions[i] = parent->SignalActions[i];
        child->Files = parent->Files;

        FrameSource frames = PhysicalPages.Frames;
        if (UserAddressSpace.Create(KernelAddressSpace.Root, in frames, out child->Memory) != PagingStatus.Ok) return Undo(child, -Errno.ENOMEM);
        UserPages.InitializeSpace(child);
        if (AddressSpaceCopy.Copy(parent, child) != 0) return Undo(child, -Errno.ENOMEM);

        void* stack = KernelVmalloc.Allocate(ProgramLoader.KernelStackSize);
        if (stack == null) return Undo(child, -Errno.ENOMEM);
        child->KernelStackBottom = (ulong)stack;
        child->KernelStackTop = (ulong)stack + ProgramLoader.KernelStackSize;
        child->SavedRsp = TaskStack.PrepareForkChild(child->KernelStackTop, TaskStack.UserFrame(parent));

        if (clearChildTid) child->ClearChildTid = childTidAddress;
        if (setChildTid)
        {
            // CLONE_CHILD_SETTID writes the child's tid into the child's memory (now a COW copy).
            int tid = child->Pid;
            if (UserPages.Fault(child, childTidAddress, FaultAccess.Write | FaultAccess.User) == FaultResult.Done)
                child->Memory.Write(childTidAddress, (byte*)&tid, 4);
        }
        child->State = TaskState.Runnable;
        return child->Pid;
    }

    static int Undo(Process* child, int error)
    {
        FrameSource frames = PhysicalPages.Frames;
        child->Vm.Destroy();
        child->Memory.Destroy(in frames);
        ProcessTable.Release(child);
        return error;
    }
}
