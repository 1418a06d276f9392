// Interrupt controllers: the choice between I/O APIC and 8259, the routing of ISA IRQs
// through the MADT's overrides, masking, EOI (ticks keep coming), registration.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Arch.X64;
using Kernel.Boot;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class IrqSuite
{
    public const string Name = "irq";
    const int UnusedIrq = 5;

    public static void Register(TestSuite suite)
    {
        suite.Add("controller_choice", &ControllerChoice);
        suite.Add("legacy_pic_masked_under_apic", &LegacyPicMasked);
        suite.Add("local_apic_enabled", &LocalApicEnabled);
        suite.Add("timer_irq_follows_override", &TimerFollowsOverride);
        suite.Add("timer_irq_delivered_repeatedly", &TimerDeliveredRepeatedly);
        suite.Add("register_unmasks_unregister_masks", &RegisterAndUnregister);
        suite.Add("no_unexpected_vectors", &NoUnexpectedVectors);
        suite.Add("interrupts_enabled", &InterruptsEnabled);
        suite.Add("spurious_vector_counted", &SpuriousVectorCounted);
        suite.Add("unused_vector_counted_and_survived", &UnusedVectorCounted);
    }

    static void ControllerChoice()
    {
        bool want = AcpiTables.HasMadt && AcpiTables.Madt->IoApicCount > 0 && CpuFeatures.Apic
                    && !BootData.CommandLine->Has("noapic");
        KTest.Assert(want == InterruptControllers.UsingApic, "APIC in use exactly when the MADT has one and noapic is absent");
    }

    static void LegacyPicMasked()
    {
        if (!InterruptControllers.UsingApic)
        {
            KTest.ExpectEqual((ulong)Pic.Mask, (ulong)(Cpu.InByte(0x21) | Cpu.InByte(0xa1) << 8), "8259 masks as programmed");
            KTest.Assert((Pic.Mask & 1) == 0, "8259: timer line unmasked");
            return;
        }
        KTest.ExpectEqual(0xffUL, Cpu.InByte(0x21), "master 8259 fully masked");
        KTest.ExpectEqual(0xffUL, Cpu.InByte(0xa1), "slave 8259 fully masked");
    }

    static void LocalApicEnabled()
    {
        if (!InterruptControllers.UsingApic) { KTest.Skip("8259 mode"); return; }
        uint svr = LocalApic.SpuriousRegister;
        KTest.Assert((svr & 0x100) != 0, "APIC software enable bit");
        KTest.ExpectEqual(InterruptControllers.SpuriousVector, svr & 0xff, "spurious vector");
        KTest.Assert((LocalApic.Lint0 & 0x10000) != 0, "LINT0 (8259 virtual wire) masked");
        KTest.Assert((LocalApic.LvtTimer & 0x10000) != 0, "local APIC timer masked (the PIT ticks)");
        KTest.Assert((Cpu.ReadMsr(0x1b) & (1UL << 11)) != 0, "IA32_APIC_BASE global enable");
    }

    static void TimerFollowsOverride()
    {
        if (!InterruptControllers.UsingApic) { KTest.Skip("8259 mode"); return; }
        uint gsi = AcpiTables.Madt->IsaIrqToGsi(0, out ushort _);
        KTest.ExpectEqual(gsi, InterruptControllers.GsiOf(0), "GSI of IRQ 0");
        KTest.Assert(IoApic.ReadEntry(gsi, out uint low, out uint high), "an I/O APIC serves the timer's GSI");
        KTest.ExpectEqual((ulong)InterruptControllers.IrqVectorBase, low & 0xff, "timer vector");
        KTest.ExpectEqual(0UL, low & 0x10000, "timer entry unmasked");
        KTest.ExpectEqual((ulong)LocalApic.Id, high >> 24, "destination is this CPU");
        if (gsi != 0 && IoApic.ReadEntry(0, out uint low0, out uint _))
            KTest.Assert((low0 & 0x10000) != 0, "GSI 0 stays masked when IRQ 0 is overridden elsewhere");
    }

    static void TimerDeliveredRepeatedly()
    {
        // Without an EOI per interrupt the controller would deliver one tick and no more.
        ulong before = InterruptDispatch.CountOf(Timer.Irq);
        ulong spins = 0;
        while (InterruptDispatch.CountOf(Timer.Irq) < before + 5 && spins++ < 100_000_000) Cpu.Halt();
        KTest.Assert(InterruptDispatch.CountOf(Timer.Irq) >= before + 5, "five more timer interrupts arrived");
    }

    static void Dummy(InterruptFrame* frame) { }

    static void RegisterAndUnregister()
    {
        KTest.Assert(!InterruptDispatch.HasHandler(UnusedIrq), "IRQ 5 free before");
        InterruptDispatch.RegisterIrq(UnusedIrq, &Dummy);
        KTest.Assert(InterruptDispatch.HasHandler(UnusedIrq), "handler installed");
        if (InterruptControllers.UsingApic)
        {
            IoApic.ReadEntry(InterruptControllers.GsiOf(UnusedIrq), out uint low, out uint _);
            KTest.ExpectEqual(0UL, low & 0x10000, "unmasked after register");
            KTest.ExpectEqual((ulong)(InterruptControllers.IrqVectorBase + UnusedIrq), low & 0xff, "vector 0x25");
        }
        else KTest.ExpectEqual(0UL, (ulong)(Pic.Mask & (1 << UnusedIrq)), "8259 line unmasked");
        InterruptDispatch.UnregisterIrq(UnusedIrq);
        KTest.Assert(!InterruptDispatch.HasHandler(UnusedIrq), "handler removed");
        if (InterruptControllers.UsingApic)
        {
            IoApic.ReadEntry(InterruptControllers.GsiOf(UnusedIrq), out uint low, out uint _);
            KTest.Assert((low & 0x10000) != 0, "masked after unregister");
        }
        else KTest.Assert((Pic.Mask & (1 << UnusedIrq)) != 0, "8259 line masked again");
    }

    static void NoUnexpectedVectors()
    {
        // Only the ones unused_vector_counted_and_survived raised on purpose (in earlier runs).
        KTest.ExpectEqual(s_raisedOnPurpose, InterruptDispatch.UnexpectedCount, "interrupts on vectors nobody handles");
    }

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "raise_spurious_vector")]
    static extern void RaiseSpuriousVector();
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "raise_unused_vector")]
    static extern void RaiseUnusedVector();

    static void SpuriousVectorCounted()
    {
        if (!InterruptControllers.UsingApic) { KTest.Skip("8259 mode: 0xff is not the spurious vector"); return; }
        ulong before = InterruptDispatch.SpuriousCount, unexpected = InterruptDispatch.UnexpectedCount;
        RaiseSpuriousVector();
        KTest.ExpectEqual(before + 1, InterruptDispatch.SpuriousCount, "spurious count");
        KTest.ExpectEqual(unexpected, InterruptDispatch.UnexpectedCount, "not counted as unexpected");
    }

    static ulong s_raisedOnPurpose;

    static void UnusedVectorCounted()
    {
        ulong before = InterruptDispatch.UnexpectedCount, ticks = InterruptDispatch.CountOf(Timer.Irq);
        RaiseUnusedVector();
        s_raisedOnPurpose++;
        KTest.ExpectEqual(before + 1, InterruptDispatch.UnexpectedCount, "unexpected count");
        // The EOI that went to the local APIC (nothing in service) must not have stopped the tick.
        ulong spins = 0;
        while (InterruptDispatch.CountOf(Timer.Irq) < ticks + 2 && spins++ < 100_000_000) Cpu.Halt();
        KTest.Assert(InterruptDispatch.CountOf(Timer.Irq) >= ticks + 2, "timer interrupts still arrive");
    }

    static void InterruptsEnabled()
    {
        KTest.Assert(Cpu.InterruptsEnabled, "IF set once the timer runs");
    }
}
