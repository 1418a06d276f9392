// Platform-neutral shared source (kernel and host tests).
// What a user page fault means, decided from the VMAs and the page-table entry alone (Linux's
// do_user_addr_fault + access_error + handle_pte_fault, without touching memory): the page-fault
// handler asks, then does the page work the answer names and returns to the program or signals.
namespace Kernel.Memory.Virtual;

/// <summary>Which access faulted (bits combine; no bit = a read by the kernel).</summary>
public static class FaultAccess
{
    public const int Write = 1;
    public const int Exec = 2;
    public const int User = 4;
}

/// <summary>The entry's state at fault time, as the page-table layer reads it.</summary>
public struct PteState
{
    public bool Present;
    public bool Writable;
    /// <summary>Present and mapping the shared zero frame.</summary>
    public bool ZeroPage;
    /// <summary>Present and its frame is mapped only here (a write may reuse it instead of copying).</summary>
    public bool Exclusive;
}

public enum FaultAction : byte
{
    /// <summary>Read of a never-touched private anonymous page: map the shared zero frame read-only.</summary>
    MapZeroPage,
    /// <summary>Write to a never-touched private anonymous page: map a fresh zeroed frame.</summary>
    AllocZeroed,
    /// <summary>Write to a present read-only private page (zero frame or shared after fork):
    /// copy into a new frame (zero-fill for the zero frame) and map it writable.</summary>
    CopyOnWrite,
    /// <summary>Write to a present read-only private page that only this mapping uses, or to
    /// a shared mapping's page: make the entry writable, no copy.</summary>
    MakeWritable,
    /// <summary>Not present in a file or shared mapping: map the object's page (read-only for a
    /// private mapping until written).</summary>
    MapFilePage,
    /// <summary>Write to a not-present page of a private file mapping: copy the file's page.</summary>
    CopyFilePage,
    /// <summary>Just below a growsdown stack within its limits: VmSpace.ExpandStack, then decide again.</summary>
    ExtendStack,
    /// <summary>The entry already allows the access (another path fixed it): just return.</summary>
    Spurious,
    /// <summary>SIGSEGV, SEGV_MAPERR: no VMA there.</summary>
    SegvMaperr,
    /// <summary>SIGSEGV, SEGV_ACCERR: a VMA, but it does not allow this access.</summary>
    SegvAccerr,
}

public static unsafe class FaultDecision
{
    /// <summary>Decides a fault at <paramref name="address"/>; <paramref name="vma"/> is the
    /// VMA involved (the stack to extend for ExtendStack), or null for SegvMaperr.</summary>
    public static FaultAction Decide(VmSpace* space, ulong address, int access, in PteState pte, out VmArea* vma)
    {
        vma = space->Tree.Find(address);
        if (vma == null) return FaultAction.SegvMaperr;
        if (vma->Start > address)
        {
            if (!vma->GrowsDown || space->CheckStackExpansion(vma, address) != 0) { vma = null; return FaultAction.SegvMaperr; }
            return FaultAction.ExtendStack;
        }

        bool write = (access & FaultAccess.Write) != 0;
        if ((access & FaultAccess.Exec) != 0)
        {
            // The kernel never executes user pages (SMEP); a program only executable ones.
            if ((access & FaultAccess.User) == 0 || !vma->CanExec) return FaultAction.SegvAccerr;
        }
        else if (write)
        {
            if (!vma->CanWrite) return FaultAction.SegvAccerr;
        }
        else
        {
            // x86 cannot map write-only or exec-only pages: any access right makes reads work.
            if ((vma->Protection & Prot.Access) == 0) return FaultAction.SegvAccerr;
            if (pte.Present) return FaultAction.Spurious;
        }

        bool objectBacked = vma->File != 0;
        if (!pte.Present)
        {
            if (objectBacked) return write && !vma->IsShared ? FaultAction.CopyFilePage : FaultAction.MapFilePage;
            return write ? FaultAction.AllocZeroed : FaultAction.MapZeroPage;
        }
        if (!write || pte.Writable) return FaultAction.Spurious;
        if (vma->IsShared) return FaultAction.MakeWritable;
        if (pte.ZeroPage || !pte.Exclusive) return FaultAction.CopyOnWrite;
        return FaultAction.MakeWritable;
    }
}
