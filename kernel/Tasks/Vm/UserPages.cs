// The page work of one process's address space: the VmPageOps that VmSpace calls (unmap, protect,
// move, discard), the entry flags a VMA's protection means on x86, and the page-fault actions
// FaultDecision names (zero page, zeroed frame, copy-on-write, file pages). Every page-table
// change goes through the page-table API; every user frame through UserFrames (map counts).
using Kernel.Arch.X64;
using Kernel.Arch.X64.Paging;
using Kernel.Boot.Memory;
using Kernel.Fs;
using Kernel.Memory;
using Kernel.Memory.Virtual;

namespace Kernel.Tasks.Vm;

public enum FaultResult : byte { Done, Maperr, Accerr, OutOfMemory }

public static unsafe class UserPages
{
    const ulong PageBytes = 4096;

    /// <summary>Sets up <paramref name="p"/>'s VMA side: nodes from the vm_area_struct cache,
    /// page work on its page tables.</summary>
    public static void InitializeSpace(Process* p)
    {
        _ = UserFrames.ZeroPage; // allocated with the first process, kept for ever
        // One "vm_area_struct" cache for the kernel (cache-line aligned nodes): VmaNodeCache.
        VmaNodeAllocator nodes = VmaNodeCache.Allocator;
        VmPageOps ops;
        ops.Context = p;
        ops.Unmap = &Unmap;
        ops.Protect = &Protect;
        ops.Move = &Move;
        ops.Discard = &Discard;
        p->Vm.Initialize(nodes, ops);
    }

    /// <summary>The leaf flags for <paramref name="vma"/>'s pages. Private mappings never get
    /// write access here: the first write faults and FaultDecision chooses copy or reuse.
    /// PROT_NONE pages stay present for the kernel only, so ring 3 faults on them.</summary>
    public static PageFlags EntryFlags(VmArea* vma, bool writable)
    {
        PageFlags flags = PageFlags.Present;
        if ((vma->Protection & Prot.Access) != 0) flags |= PageFlags.User;
        if (writable && vma->CanWrite) flags |= PageFlags.Writable;
        if (!vma->CanExec && CpuFeatures.NoExecute) flags |= PageFlags.NoExecute;
        return flags;
    }

    static ulong Root(void* context) => ((Process*)context)->Memory.Root;

    static void PutLeaf(ulong virt, ulong phys, PageSize size) => UserFrames.Put(phys);

    static void Unmap(void* context, VmArea* vma, ulong start, ulong end)
    {
        FrameSource frames = PhysicalPages.Frames;
        PageTables.UnmapRange(Root(context), start, end - start, in frames, &PutLeaf, out ulong _);
    }

    static void Protect(void* context, VmArea* vma, ulong start, ulong end)
    {
        FrameSource frames = PhysicalPages.Frames;
        PageTables.Protect(Root(context), start, end - start, EntryFlags(vma, vma->IsShared), in frames);
    }

    static void Move(void* context, ulong oldStart, ulong newStart, ulong length)
    {
        ulong root = Root(context);
        FrameSource frames = PhysicalPages.Frames;
        for (ulong offset = 0; offset < length; offset += PageBytes)
        {
            if (PageTables.Translate(root, oldStart + offset, out ulong _, out PageFlags flags, out PageSize _) != PagingStatus.Ok) continue;
            if (PageTables.Unmap(root, oldStart + offset, PageSize.Size4K, out ulong frame, in frames) != PagingStatus.Ok) continue;
            if (PageTables.Map(root, newStart + offset, frame, PageSize.Size4K, flags & ~PageFlags.Present, in frames) != PagingStatus.Ok)
                UserFrames.Put(frame); // no memory for a table: the page's contents are lost, not leaked
        }
    }

    /// <summary>MADV_DONTNEED: private pages go (reads give zeroes again); a shared anonymous
    /// mapping's pages are its object, which has no other home here, so they stay.</summary>
    static void Discard(void* context, VmArea* vma, ulong start, ulong end)
    {
        if (!vma->IsShared) Unmap(context, vma, start, end);
    }

    /// <summary>Resolves a fault at <paramref name="address"/> (FaultAccess bits) in the current
    /// process's address space.</summary>
    public static FaultResult Fault(Process* p, ulong address, int access)
    {
        ulong root = p->Memory.Root;
        ulong page = address & ~(PageBytes - 1);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            PteState pte = default;
            ulong frame = 0;
            if (PageTables.Translate(root, page, out frame, out PageFlags old, out PageSize _) == PagingStatus.Ok)
            {
                pte.Present = true;
                pte.Writable = (old & PageFlags.Writable) != 0;
                pte.ZeroPage = frame == UserFrames.ZeroPage;
                pte.Exclusive = UserFrames.IsExclusive(frame);
            }
            FaultAction action = FaultDecision.Decide(&p->Vm, address, access, in pte, out VmArea* vma);
            switch (action)
            {
                case FaultAction.ExtendStack:
                    if (p->Vm.ExpandStack(vma, address) != 0) return FaultResult.Maperr;
                    continue;
                case FaultAction.SegvMaperr: return FaultResult.Maperr;
                case FaultAction.SegvAccerr: return FaultResult.Accerr;
                case FaultAction.Spurious:
                    Kernel.Platform.Tlb.Invalidate(page);
                    return FaultResult.Done;
                default:
                    return Act(p, vma, page, action, frame);
            }
        }
        return FaultResult.Maperr;
    }

    static FaultResult Act(Process* p, VmArea* vma, ulong page, FaultAction action, ulong oldFrame)
    {
        ulong root = p->Memory.Root;
        FrameSource frames = PhysicalPages.Frames;
        switch (action)
        {
            case FaultAction.MapZeroPage:
            {
                ulong zero = UserFrames.ZeroPage;
                if (zero == 0) return FaultResult.OutOfMemory;
                return PageTables.Map(root, page, zero, PageSize.Size4K, EntryFlags(vma, false), in frames) == PagingStatus.Ok
                    ? FaultResult.Done : FaultResult.OutOfMemory;
            }
            case FaultAction.AllocZeroed:
                return MapNew(root, page, UserFrames.AllocateZeroed(), EntryFlags(vma, true));
            case FaultAction.MapFilePage:
            case FaultAction.CopyFilePage:
            {
                bool writable = action == FaultAction.CopyFilePage || vma->IsShared;
                ulong frame = (vma->File & VmSpace.SharedAnonymousTag) != 0 ? UserFrames.AllocateZeroed() : FilePage(vma, page);
                return MapNew(root, page, frame, EntryFlags(vma, writable));
            }
            case FaultAction.CopyOnWrite:
            {
                ulong copy = oldFrame == UserFrames.ZeroPage ? UserFrames.AllocateZeroed() : UserFrames.AllocateCopy(oldFrame);
                if (copy == 0) return FaultResult.OutOfMemory;
                PageTables.Unmap(root, page, PageSize.Size4K, out ulong _, in frames);
                UserFrames.Put(oldFrame);
                return MapNew(root, page, copy, EntryFlags(vma, true));
            }
            case FaultAction.MakeWritable:
                return PageTables.Protect(root, page, PageBytes, EntryFlags(vma, true), in frames) == PagingStatus.Ok
                    ? FaultResult.Done : FaultResult.OutOfMemory;
        }
        return FaultResult.Maperr;
    }

    static FaultResult MapNew(ulong root, ulong page, ulong frame, PageFlags flags)
    {
        if (frame == 0) return FaultResult.OutOfMemory;
        FrameSource frames = PhysicalPages.Frames;
        if (PageTables.Map(root, page, frame, PageSize.Size4K, flags, in frames) == PagingStatus.Ok) return FaultResult.Done;
        UserFrames.Put(frame);
        return FaultResult.OutOfMemory;
    }

    /// <summary>A private copy of the initrd file page behind <paramref name="page"/> (zeroes
    /// past the end of the file), or 0. VmArea.File is the initrd entry + 1.</summary>
    static ulong FilePage(VmArea* vma, ulong page)
    {
        ulong frame = UserFrames.AllocateZeroed();
        if (frame == 0) return 0;
        InitrdIndex.Entry* file = Initrd.Index->Get((int)(vma->File - 1));
        ulong offset = vma->FileOffset + (page - vma->Start);
        if (offset < file->Size)
        {
            ulong n = file->Size - offset < PageBytes ? file->Size - offset : PageBytes;
            Runtime.Bytes.Copy(PhysicalMap.ToVirtual(frame), file->Data + offset, n);
        }
        return frame;
    }

    /// <summary>Linux faults a buffer in before a blocking read: every page of [address, address
    /// + length) must be reachable with that access now. 0 or -EFAULT.</summary>
    public static long FaultIn(Process* p, ulong address, ulong length, bool write)
    {
        if (!UserMemory.RangeOk(address, length)) return UserMemory.EFAULT;
        for (ulong page = address & ~(PageBytes - 1); page < address + length; page += PageBytes)
            if (Fault(p, page, FaultAccess.User | (write ? FaultAccess.Write : 0)) != FaultResult.Done) return UserMemory.EFAULT;
        return 0;
    }

    /// <summary>Faults [start, end) in as the VMAs allow (MAP_POPULATE, the loader): writable
    /// pages get their own frames. Stops at the first failure.</summary>
    public static FaultResult Populate(Process* p, ulong start, ulong end)
    {
        for (ulong page = start & ~(PageBytes - 1); page < end; page += PageBytes)
        {
            VmArea* vma = p->Vm.Tree.FindContaining(page);
            if (vma == null) return FaultResult.Maperr;
            int access = FaultAccess.User | (vma->CanWrite ? FaultAccess.Write : 0);
            FaultResult r = Fault(p, page, access);
            if (r != FaultResult.Done) return r;
        }
        return FaultResult.Done;
    }
}
