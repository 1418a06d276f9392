// Which chip delivers device interrupts, hidden behind ISA IRQ numbers 0-15: the I/O APIC and
// local APIC when the MADT describes them (ISA IRQ n goes to the GSI its interrupt source
// override names, with the override's polarity and trigger: QEMU wires the PIT's IRQ 0 to GSI
// 2), else the two 8259s. Either way IRQ n arrives on vector IrqVectorBase + n, so drivers and
// the dispatcher do not care which is in use. `noapic` on the command line forces the 8259s.
using Kernel.Acpi;
using Kernel.Diagnostics;

namespace Kernel.Arch.X64;

public static unsafe class InterruptControllers
{
    public const int IrqCount = 16;
    public const int IrqVectorBase = Pic.VectorBase;     // 0x20: IRQ n on vector 0x20 + n
    public const byte SpuriousVector = 0xff;            // the local APIC's (low 4 bits all set)

    static bool s_apic;

    public static bool UsingApic => s_apic;
    public static string ModeName => s_apic ? "I/O APIC + local APIC" : "8259 PIC";

    /// <summary>Picks the controllers. The 8259s were remapped and masked by Pic.Initialize.</summary>
    public static void Initialize(bool allowApic)
    {
        s_apic = false;
        if (!allowApic) { Log.Info("irq: APIC disabled on the command line (noapic): 8259 PIC"); return; }
        if (!AcpiTables.HasMadt) { Log.Info("irq: no MADT: 8259 PIC"); return; }
        MadtInfo* madt = AcpiTables.Madt;
        if (!CpuFeatures.Apic) { Log.Info("irq: the CPU has no local APIC: 8259 PIC"); return; }
        if (IoApic.Initialize(madt) == 0) { Log.Warning("irq: the MADT lists no usable I/O APIC: 8259 PIC"); return; }
        if (!LocalApic.Initialize(madt->LocalApicAddress, SpuriousVector)) { Log.Warning("irq: local APIC unusable: 8259 PIC"); return; }
        s_apic = true;
        // The 8259s stay masked (Pic.Initialize) and LINT0 is masked: only the I/O APIC delivers.
        Log.Info($"irq: local APIC {LocalApic.PhysicalAddress:x} id {LocalApic.Id}, {IoApic.Count} I/O APIC(s), {IoApic.PinsOf(0)} pins from GSI {IoApic.GsiBaseOf(0)}; ISA IRQ 0 -> GSI {GsiOf(0)}");
    }

    /// <summary>The GSI an ISA IRQ arrives on (the IRQ line itself under the 8259s).</summary>
    public static uint GsiOf(int irq)
    {
        if (!s_apic) return (uint)irq;
        return AcpiTables.Madt->IsaIrqToGsi(irq, out ushort _);
    }

    /// <summary>Lets IRQ <paramref name="irq"/> through (its handler must be registered first).</summary>
    public static bool Enable(int irq)
    {
        if (irq < 0 || irq >= IrqCount) return false;
        if (!s_apic) { Pic.Unmask(irq); return true; }
        uint gsi = AcpiTables.Madt->IsaIrqToGsi(irq, out ushort flags);
        bool ok = IoApic.Route(gsi, (byte)(IrqVectorBase + irq), Madt.IsaActiveLow(flags), Madt.IsaLevelTriggered(flags), LocalApic.Id);
        if (!ok) Log.Error($"irq: no I/O APIC serves GSI {gsi} (IRQ {irq})");
        return ok;
    }

    public static void Disable(int irq)
    {
        if (irq < 0 || irq >= IrqCount) return;
        if (!s_apic) Pic.MaskLine(irq);
        else IoApic.Mask(AcpiTables.Madt->IsaIrqToGsi(irq, out ushort _));
    }

    /// <summary>False for a spurious 8259 IRQ 7/15 (handled, no handler, no EOI).</summary>
    public static bool IsGenuine(int irq) => s_apic || !Pic.IsSpurious(irq);

    public static void EndOfInterrupt(int irq)
    {
        if (s_apic) LocalApic.EndOfInterrupt();
        else Pic.SendEndOfInterrupt(irq);
    }

    /// <summary>A vector nobody expected: the local APIC still needs its EOI (it would block
    /// every vector of equal or lower priority otherwise).</summary>
    public static void EndOfUnexpected()
    {
        if (s_apic) LocalApic.EndOfInterrupt();
    }
}
