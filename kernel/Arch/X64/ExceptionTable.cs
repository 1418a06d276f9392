// Looks up the faulting instruction in the exception table (boot/extable.asm): a kernel-mode
// fault at a registered instruction resumes at its fixup, which returns an error to its caller.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Boot;

namespace Kernel.Arch.X64;

public static unsafe class ExceptionTable
{
    struct Entry { public ulong Instruction, Fixup; }

    static ulong s_fixupsTaken;

    public static ulong FixupsTaken => s_fixupsTaken;

    public static int EntryCount
    {
        get
        {
            KernelLayout* l = KernelLayout.Current;
            return (int)((l->ExceptionTableEnd - l->ExceptionTableStart) / (ulong)sizeof(Entry));
        }
    }

    public static ulong FindFixup(ulong rip)
    {
        KernelLayout* l = KernelLayout.Current;
        for (var e = (Entry*)l->ExceptionTableStart; e < (Entry*)l->ExceptionTableEnd; e++)
            if (e->Instruction == rip) return e->Fixup;
        return 0;
    }

    /// <summary>Redirects a kernel-mode fault to its fixup, if it has one.</summary>
    public static bool TryFixup(InterruptFrame* frame)
    {
        if (frame->FromUserMode) return false;
        ulong fixup = FindFixup(frame->Rip);
        if (fixup == 0 && frame->Vector == Exceptions.PageFault && (frame->ErrorCode & PageFaultFetch) != 0)
        {
            // A fetch fault is reported at the target of a call; a registered call site
            // (probe_execute) left its return address on top of the stack.
            ulong returnAddress;
            if (ProbeRead(frame->Rsp, &returnAddress) == 0 && (fixup = FindFixup(returnAddress)) != 0)
                frame->Rsp += 8;
        }
        if (fixup == 0) return false;
        frame->Rip = fixup;
        s_fixupsTaken++;
        return true;
    }

    const ulong PageFaultFetch = 1 << 4;

    // The probes: reads and writes that report a fault as -EFAULT instead of crashing.
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "probe_read_u64")]
    public static extern long ProbeRead(ulong address, ulong* value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "probe_read_u8")]
    public static extern long ProbeReadByte(ulong address, byte* value);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "probe_write_u8")]
    public static extern long ProbeWriteByte(ulong address, byte value);

    /// <summary>Calls code at address (it must return at once); -EFAULT if it cannot execute.</summary>
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "probe_execute")]
    public static extern long ProbeExecute(ulong address);
}
