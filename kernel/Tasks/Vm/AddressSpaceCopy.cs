// fork's address-space copy (Linux dup_mmap + copy_page_range): the child gets every VMA and,
// for each present page, an entry naming the same frame. Private pages become read-only in
// both (the first write faults and copies, or reuses a frame mapped only once); shared pages
// keep their entries. Each new entry is one more mapping in the frame's descriptor.
using Kernel.Arch.X64.Paging;
using Kernel.Boot.Memory;
using Kernel.Memory.Virtual;
using Kernel.Syscalls;

namespace Kernel.Tasks.Vm;

public static unsafe class AddressSpaceCopy
{
    const ulong PageBytes = 4096;

    /// <summary>Copies <paramref name="parent"/>'s user half into <paramref name="child"/>
    /// (page-table root created, VmSpace initialised, empty). 0 or -ENOMEM (the caller then
    /// destroys the child's half; the parent is unchanged but for write-protected entries).</summary>
    public static int Copy(Process* parent, Process* child)
    {
        int status = parent->Vm.CopyTo(&child->Vm);
        if (status != 0) return status;
        child->Vm.StackLimit = parent->Vm.StackLimit;
        child->Vm.DataLimit = parent->Vm.DataLimit;
        ulong from = parent->Memory.Root, to = child->Memory.Root;
        FrameSource frames = PhysicalPages.Frames;
        for (VmArea* vma = parent->Vm.Tree.First; vma != null; vma = vma->Next)
        {
            for (ulong page = vma->Start; page < vma->End; page += PageBytes)
            {
                if (PageTables.Translate(from, page, out ulong frame, out PageFlags flags, out PageSize _) != PagingStatus.Ok) continue;
                flags &= ~(PageFlags.Accessed | PageFlags.Dirty | PageFlags.Present);
                if (!vma->IsShared && (flags & PageFlags.Writable) != 0)
                {
                    flags &= ~PageFlags.Writable;
                    if (PageTables.Protect(from, page, PageBytes, flags | PageFlags.Present, in frames) != PagingStatus.Ok) return -Errno.ENOMEM;
                }
                if (PageTables.Map(to, page, frame, PageSize.Size4K, flags, in frames) != PagingStatus.Ok) return -Errno.ENOMEM;
                UserFrames.Get(frame);
            }
        }
        return 0;
    }
}
