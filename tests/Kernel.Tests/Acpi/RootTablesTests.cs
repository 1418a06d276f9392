using System;
using Kernel.Acpi;
using Kernel.Tests.Support;
using Xunit;
using B = Kernel.Tests.Acpi.AcpiBuilder;

namespace Kernel.Tests.Acpi;

[Collection("PhysicalMap")]
public unsafe class RootTablesTests
{
    const ulong Phys = 0x7fe0000;
    const uint RsdtAt = 0x7fe0100, XsdtAt = 0x7fe0200, FacpAt = 0x7fe0400, ApicAt = 0x7fe0600, HpetAt = 0x7fe0800;

    /// <summary>RSDT lists FACP and HPET; XSDT lists FACP, APIC and HPET (so which one was used shows).</summary>
    static FakePhysicalMemory Standard()
    {
        var m = new FakePhysicalMemory(Phys, 8192);
        m.Write(RsdtAt, B.Rsdt(FacpAt, HpetAt));
        m.Write(XsdtAt, B.Xsdt(FacpAt, ApicAt, HpetAt));
        m.Write(FacpAt, new FadtBuilder().Build());
        m.Write(ApicAt, new MadtBuilder().LocalApic(0, 0, 1).Build());
        m.Write(HpetAt, B.Table("HPET", 1, new byte[20]));
        return m;
    }

    [Fact]
    public void RevisionZeroUsesTheRsdt()
    {
        using var m = Standard();
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(0, RsdtAt, 0, out AcpiRoot root));
        Assert.False(root.IsXsdt);
        Assert.Equal((ulong)RsdtAt, root.Address);
        Assert.Equal(2, root.EntryCount);
        Assert.Equal(4, root.EntrySize);
        Assert.True(RootTables.GetEntry(root, 1, out ulong e));
        Assert.Equal((ulong)HpetAt, e);
        Assert.False(RootTables.GetEntry(root, 2, out _));
        Assert.False(RootTables.GetEntry(root, -1, out _));
        Assert.Equal(AcpiStatus.Ok, RootTables.Find(root, AcpiSignature.Fadt, out byte* t, out uint n));
        Assert.True(t == m.At(FacpAt));
        Assert.Equal(276u, n);
        Assert.Equal(AcpiStatus.NotFound, RootTables.Find(root, AcpiSignature.Madt, out _, out _));
    }

    [Fact]
    public void RevisionTwoPrefersTheXsdt()
    {
        using var m = Standard();
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(2, RsdtAt, XsdtAt, out AcpiRoot root));
        Assert.True(root.IsXsdt);
        Assert.Equal((ulong)XsdtAt, root.Address);
        Assert.Equal(3, root.EntryCount);
        Assert.Equal(8, root.EntrySize);
        Assert.Equal(AcpiStatus.Ok, root.XsdtStatus);
        Assert.Equal(AcpiStatus.Ok, RootTables.Find(root, AcpiSignature.Madt, 0, out ulong phys, out _, out _));
        Assert.Equal((ulong)ApicAt, phys);
    }

    [Fact]
    public void XsdtAddressIsIgnoredBelowRevisionTwo()
    {
        using var m = Standard();
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(1, RsdtAt, XsdtAt, out AcpiRoot root));
        Assert.False(root.IsXsdt);
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(2, RsdtAt, 0, out root));
        Assert.False(root.IsXsdt);
    }

    [Fact]
    public void XsdtPointingNowhereFallsBackToTheRsdt()
    {
        using var m = Standard();
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(2, RsdtAt, 0xfffff000_00000000, out AcpiRoot root));
        Assert.False(root.IsXsdt);
        Assert.Equal(AcpiStatus.NotMapped, root.XsdtStatus);
        Assert.Equal(AcpiStatus.Ok, RootTables.Find(root, AcpiSignature.Fadt, out _, out _));

        // Without an RSDT to fall back on, the XSDT's error is the answer.
        Assert.Equal(AcpiStatus.NotMapped, RootTables.Open(2, 0, 0xfffff000_00000000, out root));
        Assert.True(root.Table == null);
        Assert.Equal(AcpiStatus.NoRootTable, RootTables.Find(root, AcpiSignature.Fadt, out _, out _));
    }

    [Fact]
    public void CorruptXsdtFallsBackToTheRsdt()
    {
        using var m = Standard();
        m.At(XsdtAt)[40] ^= 0xff;
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(2, RsdtAt, XsdtAt, out AcpiRoot root));
        Assert.False(root.IsXsdt);
        Assert.Equal(AcpiStatus.BadChecksum, root.XsdtStatus);
    }

    [Fact]
    public void RootTableErrors()
    {
        using var m = Standard();
        Assert.Equal(AcpiStatus.NoRootTable, RootTables.Open(0, 0, 0, out _));
        Assert.Equal(AcpiStatus.NoRootTable, RootTables.Open(2, 0, 0, out _));
        // An RSDT address that holds the XSDT.
        Assert.Equal(AcpiStatus.WrongSignature, RootTables.Open(0, XsdtAt, 0, out AcpiRoot root));
        Assert.True(root.Table == null);
        m.At(RsdtAt)[37] ^= 0x10;
        Assert.Equal(AcpiStatus.BadChecksum, RootTables.Open(0, RsdtAt, 0, out _));
    }

    [Fact]
    public void PartialEntryIsNotCounted()
    {
        using var m = new FakePhysicalMemory(Phys, 4096);
        var rsdt = B.Table("RSDT", 1, new byte[4 * 2 + 3]);
        m.Write(Phys, rsdt);
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(0, (uint)Phys, 0, out AcpiRoot root));
        Assert.Equal(2, root.EntryCount);
    }

    [Fact]
    public void FindSkipsBrokenEntriesAndCountsInstances()
    {
        using var m = new FakePhysicalMemory(Phys, 8192);
        const uint Bad = 0x7fe0400, Good1 = 0x7fe0600, Good2 = 0x7fe0800;
        var bad = B.Table("SSDT", 1, new byte[8]);
        bad[40] ^= 1; // checksum broken
        m.Write(Bad, bad);
        m.Write(Good1, B.Table("SSDT", 1, new byte[16]));
        m.Write(Good2, B.Table("SSDT", 1, new byte[24]));
        m.Write(Phys, B.Xsdt(0, 0xdead_0000_0000, Bad, Good1, Phys + 8190, Good2));
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(2, 0, Phys, out AcpiRoot root));
        Assert.Equal(6, root.EntryCount);

        Assert.Equal(AcpiStatus.Ok, RootTables.Find(root, AcpiSignature.Ssdt, 0, out ulong p, out _, out uint n));
        Assert.Equal((ulong)Good1, p);
        Assert.Equal(52u, n);
        Assert.Equal(AcpiStatus.Ok, RootTables.Find(root, AcpiSignature.Ssdt, 1, out p, out _, out n));
        Assert.Equal((ulong)Good2, p);
        // No third valid one: the error met on the broken one is reported.
        Assert.Equal(AcpiStatus.BadChecksum, RootTables.Find(root, AcpiSignature.Ssdt, 2, out p, out byte* t, out n));
        Assert.Equal(0ul, p);
        Assert.True(t == null);
        Assert.Equal(AcpiStatus.NotFound, RootTables.Find(root, AcpiSignature.Madt, out _, out _));
    }

    [Fact]
    public void OpenRsdpValidatesTheBytes()
    {
        using var m = Standard();
        using (var v1 = NativeBuffer.From(B.RsdpV1(RsdtAt)))
        {
            Assert.Equal(AcpiStatus.Ok, RootTables.OpenRsdp(v1.Pointer, 20, out AcpiRoot root));
            Assert.False(root.IsXsdt);
            Assert.Equal(AcpiStatus.BadRsdp, RootTables.OpenRsdp(v1.Pointer, 19, out _));
            Assert.Equal(AcpiStatus.BadRsdp, RootTables.OpenRsdp(null, 20, out _));
            v1.Pointer[16] ^= 1;
            Assert.Equal(AcpiStatus.BadRsdp, RootTables.OpenRsdp(v1.Pointer, 20, out _));
        }
        using (var v2 = NativeBuffer.From(B.RsdpV2(RsdtAt, XsdtAt)))
        {
            Assert.Equal(AcpiStatus.Ok, RootTables.OpenRsdp(v2.Pointer, 36, out AcpiRoot root));
            Assert.True(root.IsXsdt);
            Assert.Equal(2, root.RsdpRevision);
            // Only the v1 part given: the XSDT cannot be trusted, the RSDT is used.
            Assert.Equal(AcpiStatus.Ok, RootTables.OpenRsdp(v2.Pointer, 20, out root));
            Assert.False(root.IsXsdt);
            v2.Pointer[24] ^= 1; // XSDT address changed, extended checksum now wrong
            Assert.Equal(AcpiStatus.BadRsdp, RootTables.OpenRsdp(v2.Pointer, 36, out _));
        }
        var sig = B.RsdpV1(RsdtAt);
        sig[0] = (byte)'X';
        B.FixChecksum(sig, 8, 20);
        using (var bad = NativeBuffer.From(sig))
            Assert.Equal(AcpiStatus.BadRsdp, RootTables.OpenRsdp(bad.Pointer, 20, out _));
        var len = B.RsdpV2(RsdtAt, XsdtAt);
        B.PutU32(len, 20, 40); // longer than the bytes given
        B.FixChecksum(len, 32, 36);
        using (var bad = NativeBuffer.From(len))
            Assert.Equal(AcpiStatus.BadRsdp, RootTables.OpenRsdp(bad.Pointer, 36, out _));
    }

    [Fact]
    public void QemuPcRootIsTheRsdt()
    {
        using var m = new FakePhysicalMemory(QemuTables.TablesPhys, 16384);
        m.Write(QemuTables.TablesPhys, QemuTables.PcTables);
        using var rsdp = NativeBuffer.From(QemuTables.PcRsdp);
        Assert.Equal(AcpiStatus.Ok, RootTables.OpenRsdp(rsdp.Pointer, 20, out AcpiRoot root));
        Assert.False(root.IsXsdt);
        Assert.Equal((ulong)QemuTables.PcRsdtPhys, root.Address);
        Assert.Equal(4, root.EntryCount); // FACP, APIC, HPET, WAET
        foreach (string s in new[] { "FACP", "APIC", "HPET", "WAET" })
            Assert.Equal(AcpiStatus.Ok, RootTables.Find(root, AcpiSignature.FromString(s), out _, out _));
        Assert.Equal(AcpiStatus.NotFound, RootTables.Find(root, AcpiSignature.Mcfg, out _, out _));
    }
}
