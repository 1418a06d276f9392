// The local APIC in xAPIC mode (memory-mapped registers, 0xfee00000 by default; the MADT may
// move it). The kernel uses it to acknowledge interrupts the I/O APIC delivers (EOI), to catch
// its spurious vector, and keeps LINT0 (where the 8259 is wired in "virtual wire" mode) masked
// so the legacy PIC cannot deliver behind the I/O APIC's back. LINT1 (NMI) stays as the
// firmware programmed it. Its timer is masked: the PIT drives the tick.
namespace Kernel.Arch.X64;

public static unsafe class LocalApic
{
    const uint MsrApicBase = 0x1b;
    const ulong ApicGlobalEnable = 1UL << 11;

    const int RegisterId = 0x20, RegisterVersion = 0x30, RegisterTaskPriority = 0x80, RegisterEoi = 0xb0,
        RegisterSpurious = 0xf0, RegisterErrorStatus = 0x280, RegisterLvtTimer = 0x320,
        RegisterLvtLint0 = 0x350, RegisterLvtLint1 = 0x360, RegisterLvtError = 0x370;
    const uint SoftwareEnable = 1u << 8, LvtMasked = 1u << 16;

    static byte* s_registers;
    static ulong s_physical;

    public static bool Enabled => s_registers != null;
    public static ulong PhysicalAddress => s_physical;
    public static uint Id => s_registers == null ? 0 : Read(RegisterId) >> 24;
    public static uint Version => s_registers == null ? 0 : Read(RegisterVersion) & 0xff;
    public static uint MaxLvtEntry => s_registers == null ? 0 : (Read(RegisterVersion) >> 16) & 0xff;
    public static uint SpuriousRegister => s_registers == null ? 0 : Read(RegisterSpurious);
    public static uint Lint0 => s_registers == null ? 0 : Read(RegisterLvtLint0);
    public static uint Lint1 => s_registers == null ? 0 : Read(RegisterLvtLint1);
    public static uint LvtTimer => s_registers == null ? 0 : Read(RegisterLvtTimer);

    static uint Read(int register) => *(uint*)(s_registers + register);
    static void Write(int register, uint value) => *(uint*)(s_registers + register) = value;

    /// <summary>Maps and enables the local APIC at <paramref name="physical"/>; false when
    /// the CPU has none or the page cannot be mapped.</summary>
    public static bool Initialize(ulong physical, byte spuriousVector)
    {
        if (!CpuFeatures.Apic) return false;
        byte* registers = (byte*)DeviceMemory.Map(physical, 4096, DeviceCaching.Uncached);
        if (registers == null) return false;
        s_registers = registers;
        s_physical = physical;
        // Global enable in the MSR (keeps the base the firmware set; xAPIC, not x2APIC).
        ulong msr = Cpu.ReadMsr(MsrApicBase);
        if ((msr & ApicGlobalEnable) == 0) Cpu.WriteMsr(MsrApicBase, msr | ApicGlobalEnable);
        Write(RegisterTaskPriority, 0);                      // accept every priority class
        Write(RegisterLvtTimer, LvtMasked);
        Write(RegisterLvtLint0, Read(RegisterLvtLint0) | LvtMasked);
        Write(RegisterLvtError, LvtMasked);
        Write(RegisterErrorStatus, 0);                       // a write arms the ESR; reading clears
        Write(RegisterSpurious, SoftwareEnable | spuriousVector);
        EndOfInterrupt();                                    // drop anything latched before
        return true;
    }

    /// <summary>Tells the local APIC the current interrupt is handled (any value; 0 by habit).</summary>
    public static void EndOfInterrupt() => Write(RegisterEoi, 0);
}
