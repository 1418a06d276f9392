using System;
using System.Text;
using Kernel.Acpi;
using Kernel.Diagnostics;
using Kernel.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using B = Kernel.Tests.Acpi.AcpiBuilder;

namespace Kernel.Tests.Acpi;

[Collection("PhysicalMap")]
public unsafe class AcpiTextTests
{
    readonly ITestOutputHelper _output;
    public AcpiTextTests(ITestOutputHelper output) { _output = output; }

    delegate void Writer(ref TextBuilder text);

    static string Render(Writer write, int capacity, out bool truncated)
    {
        using var g = new GuardedBuffer(capacity);
        int readable = (capacity + 7) & ~7;
        byte* p = g.PlaceAtEnd(ReadOnlySpan<byte>.Empty, readable);
        var text = new TextBuilder(p, readable);
        write(ref text);
        truncated = text.Truncated;
        return Encoding.ASCII.GetString(p, text.Length);
    }

    static string Render(Writer write) => Render(write, 16384, out _);

    string Summary(byte[] tables, uint rsdt)
    {
        using var mem = new FakePhysicalMemory(QemuTables.TablesPhys, 16384);
        mem.Write(QemuTables.TablesPhys, tables);
        string s = Render((ref TextBuilder t) => AcpiText.AppendSummary(ref t, 0, rsdt, 0));
        _output.WriteLine(s);
        return s;
    }

    [Fact]
    public void QemuPcSummary()
    {
        string s = Summary(QemuTables.PcTables, QemuTables.PcRsdtPhys);
        Assert.StartsWith("ACPI: RSDP revision 0, RSDT at 0x07fe1aa4, 4 entries\n", s);
        Assert.Contains("  FACP 0x07fe1950 len    116 rev 1 OEM BOCHS  BXPC     Ok\n", s);
        Assert.Contains("  APIC 0x07fe19c4 len    128 rev 1 OEM BOCHS  BXPC     Ok\n", s);
        Assert.Contains("MADT: local APIC 0xfee00000, 8259 PICs present, 2 enabled CPU(s)\n", s);
        Assert.Contains("  cpu 1: APIC id 1, UID 1, enabled\n", s);
        Assert.Contains("  I/O APIC id 0 at 0xfec00000, GSI base 0\n", s);
        Assert.Contains("  ISA IRQ 0 -> GSI 2 (default, default)\n", s);
        Assert.Contains("  ISA IRQ 9 -> GSI 9 (level, active high)\n", s);
        Assert.Contains("  NMI on LINT1 of all CPUs\n", s);
        Assert.Contains("FADT: revision 1, 116 bytes, SCI 9, SMI_CMD 0xb2, PM1a_CNT 0x604, PM1b_CNT none, PM timer 0x608\n", s);
        Assert.Contains("  DSDT 0x07fe0040, century register 0x32, reset not supported, 8042 assumed\n", s);
        Assert.EndsWith("S5 (soft off): SLP_TYPa 0, SLP_TYPb 0\n", s);
    }

    [Fact]
    public void QemuQ35Summary()
    {
        string s = Summary(QemuTables.Q35Tables, QemuTables.Q35RsdtPhys);
        Assert.Contains("  MCFG 0x", s);
        Assert.Contains("FADT: revision 3, 244 bytes", s);
        Assert.Contains(", reset I/O 0xcf9 <- 0x0f, 8042 present\n", s);
        Assert.EndsWith("S5 (soft off): SLP_TYPa 0, SLP_TYPb 0\n", s);
    }

    [Fact]
    public void BrokenTablesAreReportedNotFatal()
    {
        using var mem = new FakePhysicalMemory(0x100000, 8192);
        var madt = new MadtBuilder().LocalApic(0, 0, 1).Raw(0, 0).Build();
        var facp = new FadtBuilder { Dsdt = 0x100800 }.Build();
        var dsdt = B.Dsdt(new byte[] { 0x08, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x20 }); // cut off
        mem.Write(0x100400, madt);
        mem.Write(0x100600, facp);
        mem.Write(0x100800, dsdt);
        var hpet = B.Table("HPET", 1, new byte[20]);
        hpet[50] ^= 1;
        mem.Write(0x100a00, hpet);
        mem.Write(0x100000, B.Xsdt(0x100400, 0x100600, 0x100a00, 0xdead0000, 0));
        string s = Render((ref TextBuilder t) => AcpiText.AppendSummary(ref t, 2, 0, 0x100000));
        _output.WriteLine(s);
        Assert.Contains("XSDT at 0x00100000, 5 entries\n", s);
        Assert.Contains("  HPET 0x00100a00  BadChecksum (table bytes do not sum to 0 (bad checksum))\n", s);
        Assert.Contains("  ???? 0xdead0000  NotMapped (", s);
        Assert.Contains("  ???? 0x00000000  NullAddress (", s);
        Assert.Contains("MADT: local APIC 0xfee00000, 8259 PICs present, 1 enabled CPU(s), MadtEntryZeroLength (", s);
        Assert.Contains(" at offset 52\n", s);
        Assert.Contains("S5 (soft off): NoSleepPackage (", s);

        string none = Render((ref TextBuilder t) => AcpiText.AppendSummary(ref t, 2, 0, 0xdead0000));
        Assert.Equal("ACPI: cannot open the root table: NotMapped (table lies outside the memory ACPI may read)\n", none);
        string fallback = Render((ref TextBuilder t) => AcpiText.AppendSummary(ref t, 2, 0x100000, 0xdead0000));
        Assert.Equal("ACPI: cannot open the root table: WrongSignature (table signature is not the expected one)\n"
            + "  XSDT: NotMapped (table lies outside the memory ACPI may read)\n", fallback);
    }

    [Fact]
    public void MissingMadtAndFadtAreSaid()
    {
        using var mem = new FakePhysicalMemory(0x100000, 4096);
        mem.Write(0x100000, B.Rsdt());
        string s = Render((ref TextBuilder t) => AcpiText.AppendSummary(ref t, 0, 0x100000, 0));
        Assert.Equal("ACPI: RSDP revision 0, RSDT at 0x00100000, 0 entries\n"
            + "MADT: NotFound (no valid table with that signature)\n"
            + "FADT: NotFound (no valid table with that signature)\n", s);
    }

    [Fact]
    public void SmallBuffersTruncateWithoutOverrun()
    {
        using var mem = new FakePhysicalMemory(QemuTables.TablesPhys, 16384);
        mem.Write(QemuTables.TablesPhys, QemuTables.PcTables);
        string full = Render((ref TextBuilder t) => AcpiText.AppendSummary(ref t, 0, QemuTables.PcRsdtPhys, 0), 16384, out bool truncated);
        Assert.False(truncated);
        foreach (int cap in new[] { 0, 8, 64, 200, 512 })
        {
            string part = Render((ref TextBuilder t) => AcpiText.AppendSummary(ref t, 0, QemuTables.PcRsdtPhys, 0), cap, out truncated);
            Assert.True(truncated);
            Assert.Equal(full.Substring(0, (cap + 7) & ~7), part);
        }
    }

    [Fact]
    public void IntiFlagsText()
    {
        Assert.Equal("edge, active low", Render((ref TextBuilder t) => AcpiText.AppendIntiFlags(ref t, 0x7)));
        Assert.Equal("reserved, reserved", Render((ref TextBuilder t) => AcpiText.AppendIntiFlags(ref t, 0xa)));
        Assert.Equal("Ok", Render((ref TextBuilder t) => AcpiText.AppendStatus(ref t, AcpiStatus.Ok)));
    }
}
