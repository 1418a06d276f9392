// Platform-neutral shared source (kernel and host tests).
// Growing a growsdown stack (Linux expand_downwards / acct_stack_growth): the fault handler
// extends the VMA down to the faulting page when FaultDecision says ExtendStack.
using Kernel.Syscalls;

namespace Kernel.Memory.Virtual;

public unsafe partial struct VmSpace
{
    /// <summary>0 when <paramref name="stack"/> may grow down to cover <paramref name="address"/>;
    /// -EPERM below mmap_min_addr, -ENOMEM past RLIMIT_STACK or within the stack guard gap of
    /// an accessible mapping below (a growsdown or PROT_NONE one may come closer, as in Linux).</summary>
    public int CheckStackExpansion(VmArea* stack, ulong address)
    {
        address &= ~PageMask;
        if (address < MmapMinAddr) return -Errno.EPERM;
        if (address >= stack->Start) return 0;
        VmArea* prev = stack->Prev;
        if (prev != null)
        {
            if (prev->End > address) return -Errno.ENOMEM;
            bool accessible = (prev->Protection & Prot.Access) != 0;
            if (!prev->GrowsDown && accessible && address - prev->End < Tree.StackGuardGap) return -Errno.ENOMEM;
        }
        if (stack->End - address > StackLimit) return -Errno.ENOMEM;
        return 0;
    }

    /// <summary>Extends <paramref name="stack"/> down to the page of <paramref name="address"/>.
    /// 0 or the CheckStackExpansion error. Should the stack now touch an identical growsdown VMA
    /// below, the two merge (the tree stays maximally merged) and <paramref name="stack"/> is
    /// freed: look the VMA up again (FaultDecision.Decide does) before using it.</summary>
    public int ExpandStack(VmArea* stack, ulong address)
    {
        int check = CheckStackExpansion(stack, address);
        if (check != 0) return check;
        address &= ~PageMask;
        if (address >= stack->Start) return 0;
        Resize(stack, address, stack->End);
        VmArea* prev = stack->Prev;
        if (prev != null && prev->End == stack->Start && VmArea.Compatible(prev, stack))
        {
            ulong end = stack->End;
            Unlink(stack);
            Resize(prev, prev->Start, end);
        }
        return 0;
    }
}
