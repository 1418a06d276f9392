// Creates a process from an initrd file: validate the ELF (ElfImage), build the address space
// (segments as VMAs with their permissions, bss zeroed, the break after them, a 128 KiB growsdown
// stack VMA under the user limit, its executability from PT_GNU_STACK), the initial stack (InitialStack), a kernel stack from
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
using Kernel.Tasks.Vm;
using Kernel.Syscalls;

namespace Kernel.Tasks;

public static unsafe class ProgramLoader
{
    public const ulong StackTop = UserAddressSpace.End;
    public const ulong StackSize = 128 * 1024;
    public const ulong KernelStackSize = 32 * 1024;
    const int StackImagePages = 2; // the argv/envp/auxv image is built in 8 KiB
    const ulong PageBytes = 4096, PageMask = PageBytes - 1;

    /// <summary>Starts <paramref name="path"/> (a normalised initrd path) as a runnable
    /// process; its pid, or a negative errno.</summary>
    public static int Spawn(byte* path, int pathLength, StringList* argv, StringList* envp, int parentPid)
    {
        ElfImage image = default;
        int error = Open(path, pathLength, false, &image, out InitrdIndex.Entry* file);
        if (error != 0) return error;

        Process* p = ProcessTable.Allocate();
        if (p == null) return Report(-Errno.EAGAIN, path, pathLength, "process table full or no memory");
        p->ParentPid = parentPid;
        ProcessGroups.Lead(p);
        SetName(p, path, pathLength);

        FrameSource frames = PhysicalPages.Frames;
        if (UserAddressSpace.Create(KernelAddressSpace.Root, in frames, out p->Memory) != PagingStatus.Ok)
            return Undo(p, -Errno.ENOMEM, path, pathLength, "no memory for a page table");
        ulong sp = Load(p, &image, file->Data, argv, envp, path, pathLength, out string why);
        if (sp == 0) return Undo(p, -Errno.ENOMEM, path, pathLength, why);

        void* stack = KernelVmalloc.Allocate(KernelStackSize);
        if (stack == null) return Undo(p, -Errno.ENOMEM, path, pathLength, "no memory for a kernel stack");
        p->KernelStackBottom = (ulong)stack;
        p->KernelStackTop = (ulong)stack + KernelStackSize;
        p->SavedRsp = TaskStack.Prepare(p->KernelStackTop, image.Entry, sp);
        p->Files.OpenStandard();
        p->State = TaskState.Runnable;
        return p->Pid;
    }

    /// <summary>Finds an executable initrd file and validates its ELF headers into
    /// <paramref name="image"/>: 0 or -ENOENT / -EACCES / -ENOEXEC / -EINVAL (reported on the
    /// log unless <paramref name="quiet"/>: execve failures are the program's business).</summary>
    internal static int Open(byte* path, int pathLength, bool quiet, ElfImage* image, out InitrdIndex.Entry* file)
    {
        file = null;
        int entry = Initrd.Index->Find(path, pathLength);
        if (entry >= 0 && Initrd.Present) entry = FollowLink(entry);
        if (entry < 0 || !Initrd.Present) return Fail(quiet, -Errno.ENOENT, path, pathLength, "no such file in the initrd");
        if (Initrd.Index->IsDirectory(entry)) return Fail(quiet, -Errno.EACCES, path, pathLength, "is a directory");
        file = Initrd.Index->Get(entry);
        if ((file->Mode & CpioArchive.TypeMask) != CpioArchive.TypeRegular) return Fail(quiet, -Errno.EACCES, path, pathLength, "not a regular file");
        if ((file->Mode & 0x49) == 0) return Fail(quiet, -Errno.EACCES, path, pathLength, "not executable (no x permission bit)");
        int error = image->Parse(file->Data, file->Size);
        if (error != 0) return Fail(quiet, error, path, pathLength, image->Message);
        return 0;
    }

    /// <summary>A symbolic link (busybox's applet links) names its target: absolute, or
    /// relative to the link's directory. One level is followed; -1 when the target is missing.</summary>
    static int FollowLink(int entry)
    {
        InitrdIndex.Entry* link = Initrd.Index->Get(entry);
        if ((link->Mode & CpioArchive.TypeMask) != CpioArchive.TypeSymlink) return entry;
        byte* target = stackalloc byte[PathName.MaxLength];
        int dirLength = link->PathLength;
        while (dirLength > 0 && link->Path[dirLength - 1] != '/') dirLength--;
        int n = PathName.Normalize(link->Path, dirLength > 0 ? dirLength - 1 : 0, link->Data, (int)link->Size, target);
        return n < 0 ? -1 : Initrd.Index->Find(target, n);
    }

    static int Fail(bool quiet, int error, byte* path, int pathLength, string why) =>
        quiet ? error : Report(error, path, pathLength, why);

    /// <summary>Builds the user half of <paramref name="p"/> (page-table root already there,
    /// no VMAs): segments, break, stack with the argument image. The initial stack pointer, or
    /// 0 with the reason (the caller tears down what was built).</summary>
    internal static ulong Load(Process* p, ElfImage* image, byte* data, StringList* argv, StringList* envp, byte* path, int pathLength, out string why)
    {
        why = "no memory for the program's pages";
        UserPages.InitializeSpace(p);
        if (LoadSegments(image, data, p) != 0) return 0;
        why = "no memory for the stack, or arguments too long";
        return BuildStack(image, p, argv, envp, path, pathLength);
    }

    /// <summary>The process name: the last component of the path (Linux's comm).</summary>
    internal static void SetName(Process* p, byte* path, int pathLength)
    {
        int nameStart = pathLength;
        while (nameStart > 0 && path[nameStart - 1] != '/') nameStart--;
        p->NameLength = 0;
        for (int i = nameStart; i < pathLength && p->NameLength < Process.NameCapacity; i++) p->Name[p->NameLength++] = path[i];
    }

    /// <summary>Each PT_LOAD segment becomes a private anonymous VMA with its permissions,
    /// filled at once from the file (the rest of its last page and the bss are zero). A page two
    /// segments share gets both permissions. The break starts after the last segment.</summary>
    static int LoadSegments(ElfImage* image, byte* file, Process* p)
    {
        ulong top = 0;
        for (int i = 0; i < image->SegmentCount; i++)
        {
            ElfSegment* s = image->Segment(i);
            int prot = Prot.Read;
            if ((s->Flags & ElfImage.FlagWrite) != 0) prot |= Prot.Write;
            if ((s->Flags & ElfImage.FlagExecute) != 0) prot |= Prot.Exec;
            ulong start = s->VirtualAddress & ~PageMask, end = (s->VirtualAddress + s->MemorySize + PageMask) & ~PageMask;
            if (start < top)
            {
                // The first page is the previous segment's last: give it both permissions.
                VmArea* shared = p->Vm.Tree.FindContaining(start);
                if (shared != null && p->Vm.Mprotect(start, PageBytes, shared->Protection | prot) != 0) return -Errno.ENOMEM;
                start = top;
            }
            if (end > start && p->Vm.Mmap(start, end - start, prot, MapFlags.Fixed | MapFlags.Private | MapFlags.Anonymous, null, 0) < 0)
                return -Errno.ENOMEM;
            if (end > top) top = end;
            for (ulong page = s->VirtualAddress & ~PageMask; page < end; page += PageBytes)
            {
                ulong frame = SegmentFrame(p, page);
                if (frame == 0) return -Errno.ENOMEM;
                // Copy the part of [vaddr, vaddr + filesz) that falls in this page.
                ulong from = page > s->VirtualAddress ? page : s->VirtualAddress;
                ulong to = s->VirtualAddress + s->FileSize;
                if (to > page + PageBytes) to = page + PageBytes;
                if (to > from)
                    Runtime.Bytes.Copy((byte*)PhysicalMap.ToVirtual(frame) + (from - page), file + s->FileOffset + (from - s->VirtualAddress), to - from);
            }
        }
        p->Vm.StartBrk = p->Vm.Brk = top;
        return 0;
    }

    /// <summary>The frame behind a segment page: the one already there, or a new zeroed one
    /// mapped with its VMA's permissions (private: written later through a fault that reuses it).</summary>
    static ulong SegmentFrame(Process* p, ulong page)
    {
        if (PageTables.Translate(p->Memory.Root, page, out ulong frame, out PageFlags _, out PageSize _) == PagingStatus.Ok)
            return frame;
        VmArea* vma = p->Vm.Tree.FindContaining(page);
        frame = UserFrames.AllocateZeroed();
        if (frame == 0 || vma == null) return 0;
        FrameSource frames = PhysicalPages.Frames;
        if (PageTables.Map(p->Memory.Root, page, frame, PageSize.Size4K, UserPages.EntryFlags(vma, false), in frames) != PagingStatus.Ok)
        {
            UserFrames.Put(frame);
            return 0;
        }
        return frame;
    }

    /// <summary>The stack: a growsdown VMA of StackSize under StackTop, only the pages of the
    /// argv/envp/auxv image populated (the rest arrives by faults, and grows down to RLIMIT_STACK).</summary>
    static ulong BuildStack(ElfImage* image, Process* p, StringList* argv, StringList* envp, byte* path, int pathLength)
    {
        int prot = Prot.Read | Prot.Write | (image->ExecutableStack ? Prot.Exec : 0);
        if (p->Vm.Mmap(StackTop - StackSize, StackSize, prot, MapFlags.Fixed | MapFlags.Private | MapFlags.Anonymous | MapFlags.GrowsDown, null, 0) < 0) return 0;

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
        if (sp != 0 && UserPages.Populate(p, sp, StackTop) != FaultResult.Done) sp = 0;
        if (sp != 0 && p->Memory.Write(sp, buffer + (Capacity - used), used) != PagingStatus.Ok) sp = 0;
        p->Vm.StartStack = sp;
        PhysicalPages.Free(bufferPhysical, 1);
        return sp;
    }

    static int Undo(Process* p, int error, byte* path, int pathLength, string why)
    {
        FrameSource frames = PhysicalPages.Frames;
        p->Vm.Destroy();
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
