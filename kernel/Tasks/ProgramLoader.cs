// Creates a process from an initrd file: validate the ELF (ElfImage), build the address space
// (segments with their permissions, bss zeroed, a 128 KiB stack under the user limit, its
// executability from PT_GNU_STACK), the initial stack (InitialStack), a kernel stack from
// vmalloc, and the first return to ring 3 (TaskStack). Any failure undoes everything and
// returns a Linux errno with a one-line reason on the log.
using Kernel.Arch.X64;
using Kernel.Arch.X64.Paging;
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Fs;
using Kernel.Memory;
using Kernel.Memory.Virtual;
using Kernel.Tasks.Elf;

namespace Kernel.Tasks;

public static unsafe class ProgramLoader
{
    public const ulong StackTop = UserAddressSpace.End;
    public const ulong StackSize = 128 * 1024;
    public const ulong KernelStackSize = 32 * 1024;
    const int ENOENT = -2, ENOMEM = -12, EACCES = -13, EAGAIN = -11, ENOEXEC = -8;
    const int StackImagePages = 2; // the argv/envp/auxv image is built in 8 KiB

    /// <summary>Starts <paramref name="path"/> (a normalised initrd path) as a runnable
    /// process; its pid, or a negative errno.</summary>
    public static int Spawn(byte* path, int pathLength, StringList* argv, StringList* envp, int parentPid)
    {
        int entry = Initrd.Index->Find(path, pathLength);
        if (entry < 0 || !Initrd.Present) return Report(ENOENT, path, pathLength, "no such file in the initrd");
        if (Initrd.Index->IsDirectory(entry)) return Report(EACCES, path, pathLength, "is a directory");
        InitrdIndex.Entry* file = Initrd.Index->Get(entry);
        if ((file->Mode & CpioArchive.TypeMask) != CpioArchive.TypeRegular) return Report(EACCES, path, pathLength, "not a regular file");
        if ((file->Mode & 0x49) == 0) return Report(EACCES, path, pathLength, "not executable (no x permission bit)");

        ElfImage image = default;
        int error = image.Parse(file->Data, file->Size);
        if (error != 0) return Report(error, path, pathLength, image.Message);

        Process* p = ProcessTable.Allocate();
        if (p == null) return Report(EAGAIN, path, pathLength, "process table full or no memory");
        p->ParentPid = parentPid;
        int nameStart = pathLength;
        while (nameStart > 0 && path[nameStart - 1] != '/') nameStart--;
        for (int i = nameStart; i < pathLength && p->NameLength < Process.NameCapacity; i++) p->Name[p->NameLength++] = path[i];

        FrameSource frames = PhysicalPages.Frames;
        if (UserAddressSpace.Create(KernelAddressSpace.Root, in frames, out p->Memory) != PagingStatus.Ok)
            return Undo(p, ENOMEM, path, pathLength, "no memory for a page table");
        if ((error = LoadSegments(&image, file->Data, &p->Memory, in frames)) != 0)
            return Undo(p, error, path, pathLength, "no memory for the program's pages");
        ulong sp = BuildStack(&image, p, argv, envp, path, pathLength, in frames);
        if (sp == 0) return Undo(p, ENOMEM, path, pathLength, "no memory for the stack, or arguments too long");

        void* stack = KernelVmalloc.Allocate(KernelStackSize);
        if (stack == null) return Undo(p, ENOMEM, path, pathLength, "no memory for a kernel stack");
        p->KernelStackBottom = (ulong)stack;
        p->KernelStackTop = (ulong)stack + KernelStackSize;
        p->SavedRsp = TaskStack.Prepare(p->KernelStackTop, image.Entry, sp);
        p->Files.OpenStandard();
        p->State = TaskState.Runnable;
        return p->Pid;
    }

    static int LoadSegments(ElfImage* image, byte* file, UserAddressSpace* space, in FrameSource frames)
    {
        for (int i = 0; i < image->SegmentCount; i++)
        {
            ElfSegment* s = image->Segment(i);
            PageFlags flags = PageFlags.User;
            if ((s->Flags & ElfImage.FlagWrite) != 0) flags |= PageFlags.Writable;
            if ((s->Flags & ElfImage.FlagExecute) == 0 && CpuFeatures.NoExecute) flags |= PageFlags.NoExecute;
            if (space->EnsureRange(s->VirtualAddress, s->VirtualAddress + s->MemorySize, flags, in frames) != PagingStatus.Ok) return ENOMEM;
            // The frames are zeroed, so whatever lies past p_filesz (the bss) is zero already.
            if (space->Write(s->VirtualAddress, file + s->FileOffset, s->FileSize) != PagingStatus.Ok) return ENOMEM;
        }
        return 0;
    }

    static ulong BuildStack(ElfImage* image, Process* p, StringList* argv, StringList* envp, byte* path, int pathLength, in FrameSource frames)
    {
        PageFlags flags = PageFlags.User | PageFlags.Writable;
        if (!image->ExecutableStack && CpuFeatures.NoExecute) flags |= PageFlags.NoExecute;
        if (p->Memory.EnsureRange(StackTop - StackSize, StackTop, flags, in frames) != PagingStatus.Ok) return 0;

        ulong bufferPhysical = PhysicalPages.Allocate(1);
        if (bufferPhysical == 0) return 0;
        byte* buffer = (byte*)PhysicalMap.ToVirtual(bufferPhysical);
        const ulong Capacity = StackImagePages * 4096;
        AuxValues aux = default;
        aux.Hwcap = Cpu.Cpuid(1).Edx;
        aux.ProgramHeaders = image->ProgramHeaderAddress;
        aux.ProgramHeaderSize = ElfImage.ProgramHeaderSize;
        aux.ProgramHeaderCount = image->ProgramHeaderCount;
        aux.Entry = image->Entry;
        aux.ClockTicks = 100;
        byte* random = stackalloc byte[16];
        RandomSource.Fill(random, 16);
        // AT_EXECFN is the path as given to exec; ours are absolute.
        byte* execfn = stackalloc byte[pathLength + 1];
        execfn[0] = (byte)'/';
        for (int i = 0; i < pathLength; i++) execfn[i + 1] = path[i];
        ulong sp = InitialStack.Build(buffer, Capacity, StackTop, argv, envp, execfn, pathLength + 1, &aux, random, out ulong used);
        if (sp != 0 && p->Memory.Write(sp, buffer + (Capacity - used), used) != PagingStatus.Ok) sp = 0;
        PhysicalPages.Free(bufferPhysical, 1);
        return sp;
    }

    static int Undo(Process* p, int error, byte* path, int pathLength, string why)
    {
        FrameSource frames = PhysicalPages.Frames;
        p->Memory.Destroy(in frames);
        ProcessTable.Release(p);
        return Report(error, path, pathLength, why);
    }

    static int Report(int error, byte* path, int pathLength, string why)
    {
        var line = new LogLine(0, 0);
        line.AppendLiteral("exec: /");
        for (int i = 0; i < pathLength && i < 200; i++) line.AppendFormatted((char)path[i]);
        line.AppendLiteral(": ");
        line.AppendLiteral(why);
        line.AppendLiteral(" (");
        line.AppendFormatted(Kernel.Syscalls.Errno.Name(error));
        line.AppendLiteral(")");
        Log.Warning(ref line);
        return error;
    }
}
