// The 32 CPU exception vectors: names, and what happens when one arrives. A kernel-mode fault
// at an instruction in the exception table resumes at its fixup; anything else is reported in
// full (ExceptionReport) and stops the kernel.
namespace Kernel.Arch.X64;

public static unsafe class Exceptions
{
    public const int DivideError = 0, Debug = 1, NonMaskableInterrupt = 2, Breakpoint = 3, Overflow = 4,
        BoundRange = 5, InvalidOpcode = 6, DeviceNotAvailable = 7, DoubleFault = 8, CoprocessorSegmentOverrun = 9,
        InvalidTss = 10, SegmentNotPresent = 11, StackSegmentFault = 12, GeneralProtection = 13, PageFault = 14,
        X87FloatingPoint = 16, AlignmentCheck = 17, MachineCheck = 18, SimdFloatingPoint = 19,
        Virtualization = 20, ControlProtection = 21, HypervisorInjection = 28, VmmCommunication = 29, Security = 30;

    static ulong s_count;
    public static ulong Count => s_count;

    /// <summary>Called for an exception raised in ring 3 (kills that process; never returns).
    /// Set by the task layer; until then a user-mode exception is reported like any other.</summary>
    public static delegate*<InterruptFrame*, void> UserFaultHandler;

    /// <summary>Called for a kernel-mode page fault on a user address (copy_to_user and friends
    /// touching a page not yet faulted in): true when the page is now mapped and the access may
    /// be retried; false sends it on to the exception table (-EFAULT).</summary>
    public static delegate*<InterruptFrame*, ulong, bool> KernelUserPageFaultHandler;

    public static string Mnemonic(int vector) => vector switch
    {
        0 => "#DE", 1 => "#DB", 2 => "NMI", 3 => "#BP", 4 => "#OF", 5 => "#BR", 6 => "#UD", 7 => "#NM",
        8 => "#DF", 9 => "#CSO", 10 => "#TS", 11 => "#NP", 12 => "#SS", 13 => "#GP", 14 => "#PF",
        16 => "#MF", 17 => "#AC", 18 => "#MC", 19 => "#XM", 20 => "#VE", 21 => "#CP", 28 => "#HV",
        29 => "#VC", 30 => "#SX", _ => "#??",
    };

    public static string Name(int vector) => vector switch
    {
        0 => "Divide Error", 1 => "Debug", 2 => "Non-Maskable Interrupt", 3 => "Breakpoint", 4 => "Overflow",
        5 => "BOUND Range Exceeded", 6 => "Invalid Opcode", 7 => "Device Not Available", 8 => "Double Fault",
        9 => "Coprocessor Segment Overrun", 10 => "Invalid TSS", 11 => "Segment Not Present",
        12 => "Stack-Segment Fault", 13 => "General Protection Fault", 14 => "Page Fault",
        16 => "x87 Floating-Point Error", 17 => "Alignment Check", 18 => "Machine Check",
        19 => "SIMD Floating-Point Exception", 20 => "Virtualization Exception", 21 => "Control Protection",
        28 => "Hypervisor Injection", 29 => "VMM Communication", 30 => "Security Exception",
        _ => "Reserved",
    };

    public static void Handle(InterruptFrame* frame)
    {
        s_count++;
        int vector = (int)frame->Vector;
        if (frame->FromUserMode && UserFaultHandler != null && vector != NonMaskableInterrupt && vector != MachineCheck)
        {
            UserFaultHandler(frame);
            return;
        }
        if (vector == PageFault && KernelUserPageFaultHandler != null)
        {
            ulong address = Cpu.ReadCr2();
            if (address < SyscallGate.UserLimit && ExceptionTable.FindFixup(frame->Rip) != 0 && KernelUserPageFaultHandler(frame, address)) return;
        }
        if ((vector == PageFault || vector == GeneralProtection) && ExceptionTable.TryFixup(frame)) return;

        if (vector == NonMaskableInterrupt || vector == Breakpoint)
        {
            ExceptionReport.Print(frame, fatal: false);
            return;
        }
        ExceptionReport.Print(frame, fatal: true);
        Diagnostics.Panic.Stop();
    }
}
