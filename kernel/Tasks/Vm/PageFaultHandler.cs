// The #PF entry for user memory: a fault in ring 3 or in a user copy is handed to FaultDecision
// through UserPages; what it cannot fix becomes SIGSEGV (SEGV_MAPERR / SEGV_ACCERR) or, when
// memory ran out, an OOM kill (SignalDelivery.OnFault runs a handler instead if there is one). Other CPU exceptions in ring 3 go straight to the kill path.
using Kernel.Arch.X64;
using Kernel.Memory.Virtual;

namespace Kernel.Tasks.Vm;

public static unsafe class PageFaultHandler
{
    const ulong ErrorWrite = 1 << 1, ErrorUser = 1 << 2, ErrorFetch = 1 << 4;
    static ulong s_resolved;

    /// <summary>Faults resolved (demand paging, copy-on-write, stack growth).</summary>
    public static ulong Resolved => s_resolved;

    public static void Install()
    {
        Exceptions.UserFaultHandler = &OnUserException;
        Exceptions.KernelUserPageFaultHandler = &OnKernelAccess;
    }

    static int Access(ulong errorCode)
    {
        int access = 0;
        if ((errorCode & ErrorWrite) != 0) access |= FaultAccess.Write;
        if ((errorCode & ErrorFetch) != 0) access |= FaultAccess.Exec;
        if ((errorCode & ErrorUser) != 0) access |= FaultAccess.User;
        return access;
    }

    static void OnUserException(InterruptFrame* frame)
    {
        if ((int)frame->Vector != Exceptions.PageFault)
        {
            SignalDelivery.OnFault(frame, SignalDelivery.CodeFor((int)frame->Vector), null);
            return;
        }
        ulong address = Cpu.ReadCr2();
        Process* p = Scheduler.Current;
        FaultResult r = p->IsKernelTask ? FaultResult.Maperr : UserPages.Fault(p, address, Access(frame->ErrorCode));
        if (r == FaultResult.Done)
        {
            s_resolved++;
            return;
        }
        if (r == FaultResult.OutOfMemory) ProcessLifecycle.KillForOom(p);
        if (r == FaultResult.Accerr) SignalDelivery.OnFault(frame, SignalInfo.SegvAccerr, "SEGV_ACCERR");
        else SignalDelivery.OnFault(frame, SignalInfo.SegvMaperr, "SEGV_MAPERR");
    }

    static bool OnKernelAccess(InterruptFrame* frame, ulong address)
    {
        Process* p = Scheduler.Current;
        if (p->IsKernelTask || p->Memory.Root == 0) return false;
        if (UserPages.Fault(p, address, Access(frame->ErrorCode)) != FaultResult.Done) return false;
        s_resolved++;
        return true;
    }
}
