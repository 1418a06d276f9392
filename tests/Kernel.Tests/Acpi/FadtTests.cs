using System;
using Kernel.Acpi;
using Kernel.Tests.Support;
using Xunit;
using B = Kernel.Tests.Acpi.AcpiBuilder;

namespace Kernel.Tests.Acpi;

[Collection("PhysicalMap")]
public unsafe class FadtTests
{
    static AcpiStatus Parse(byte[] table, out FadtInfo info, uint? length = null)
    {
        int readable = (table.Length + 7) & ~7;
        using var g = new GuardedBuffer(readable);
        var padded = new byte[readable];
        table.CopyTo(padded, readable - table.Length);
        byte* p = g.PlaceAtEnd(padded, readable) + (readable - table.Length);
        FadtInfo result;
        new Span<byte>(&result, sizeof(FadtInfo)).Fill(0xcd);
        AcpiStatus s = Fadt.Parse(p, length ?? (uint)table.Length, &result);
        info = result;
        return s;
    }

    [Fact]
    public void Acpi10FadtHasNoResetRegisterAndNoBootFlags()
    {
        var b = new FadtBuilder { Length = 116, Revision = 1, Dsdt = 0x7fe0040, Flags = 0x80a5 | Fadt.FlagResetRegisterSupported };
        Assert.Equal(AcpiStatus.Ok, Parse(b.Build(), out FadtInfo f));
        Assert.Equal(116u, f.Length);
        Assert.Equal(1, f.Revision);
        Assert.Equal(0x7fe0040ul, f.DsdtAddress);
        Assert.False(f.DsdtFromXField);
        Assert.Equal(9, f.SciInterrupt);
        Assert.Equal(0xb2u, f.SmiCommand);
        Assert.Equal(0xf1, f.AcpiEnable);
        Assert.Equal(0xf0, f.AcpiDisable);
        Assert.Equal(0x600u, f.Pm1aEventBlock);
        Assert.Equal(0x604u, f.Pm1aControlBlock);
        Assert.Equal(0x604ul, f.Pm1aControlPort);
        Assert.Equal(0ul, f.Pm1bControlPort);
        Assert.Equal(0x608u, f.PmTimerBlock);
        Assert.Equal(2, f.Pm1ControlLength);
        Assert.Equal(0x32, f.CenturyIndex);
        // The flag claims a reset register, but a 116-byte table cannot hold one.
        Assert.False(f.HasResetRegister);
        Assert.False(f.ResetSupported);
        Assert.False(f.HasBootArchitecture);
        Assert.True(f.Has8042);
        Assert.Equal(0x7fe0000ul, f.FirmwareControl);
    }

    [Fact]
    public void Acpi6FadtPrefersTheExtendedFields()
    {
        var b = new FadtBuilder
        {
            Length = 276, Revision = 6, Dsdt = 0x1000, XDsdt = 0x1_2345_6000,
            XFirmwareCtrl = 0x2_0000_0000, Pm1aCnt = 0, XPm1aCnt = 0x1804,
            Flags = Fadt.FlagResetRegisterSupported, ResetAddress = 0xcf9, ResetValue = 0x06,
            BootArch = 0, Century = 0,
        };
        Assert.Equal(AcpiStatus.Ok, Parse(b.Build(), out FadtInfo f));
        Assert.Equal(276u, f.Length);
        Assert.Equal(0x1_2345_6000ul, f.DsdtAddress);
        Assert.True(f.DsdtFromXField);
        Assert.Equal(0x2_0000_0000ul, f.FirmwareControl);
        Assert.Equal(0u, f.Pm1aControlBlock);
        Assert.True(f.XPm1aControlBlock.IsIo);
        Assert.Equal(16, f.XPm1aControlBlock.BitWidth);
        Assert.Equal(0x1804ul, f.Pm1aControlPort);
        Assert.True(f.HasResetRegister);
        Assert.True(f.ResetSupported);
        Assert.True(f.ResetRegister.IsIo);
        Assert.Equal(0xcf9ul, f.ResetRegister.Address);
        Assert.Equal(8, f.ResetRegister.BitWidth);
        Assert.Equal(1, f.ResetRegister.AccessSize);
        Assert.Equal(0x06, f.ResetValue);
        Assert.Equal(1, f.MinorVersion);
        Assert.Equal(0, f.CenturyIndex);
        Assert.True(f.HasBootArchitecture);
        Assert.False(f.Has8042);
    }

    [Fact]
    public void ResetFlagClearMeansNoReset()
    {
        var b = new FadtBuilder { Flags = 0 };
        Assert.Equal(AcpiStatus.Ok, Parse(b.Build(), out FadtInfo f));
        Assert.True(f.HasResetRegister);
        Assert.False(f.ResetSupported);
    }

    [Fact]
    public void ZeroXDsdtFallsBackToTheLegacyField()
    {
        var b = new FadtBuilder { Dsdt = 0x7fe0040, XDsdt = 0 };
        Assert.Equal(AcpiStatus.Ok, Parse(b.Build(), out FadtInfo f));
        Assert.Equal(0x7fe0040ul, f.DsdtAddress);
        Assert.False(f.DsdtFromXField);
    }

    [Fact]
    public void FieldsBeyondTheLengthAreNotRead()
    {
        // 132 bytes: RESET_REG present, X_DSDT (at 140) and X_PM1a_CNT (at 172) not.
        var b = new FadtBuilder { Length = 132, Revision = 2, Dsdt = 0x5000, XDsdt = 0x9000, Pm1aCnt = 0, XPm1aCnt = 0x1804 };
        Assert.Equal(AcpiStatus.Ok, Parse(b.Build(), out FadtInfo f));
        Assert.True(f.HasResetRegister);
        Assert.Equal(0x5000ul, f.DsdtAddress);
        Assert.Equal(0ul, f.Pm1aControlPort);
    }

    [Fact]
    public void PartlyCoveredFieldsAreIgnored()
    {
        // The bytes after the given length hold values: a field the length only partly covers
        // must not be read (X_DSDT at 140..147, X_PM1a_CNT_BLK at 172..183).
        var b = new FadtBuilder { Dsdt = 0x5000, XDsdt = 0x9000, Pm1aCnt = 0, XPm1aCnt = 0x1804 };
        byte[] t = b.Build();
        Assert.Equal(AcpiStatus.Ok, Parse(t, out FadtInfo f, 147));
        Assert.Equal(0x5000ul, f.DsdtAddress);
        Assert.Equal(AcpiStatus.Ok, Parse(t, out f, 148));
        Assert.Equal(0x9000ul, f.DsdtAddress);
        Assert.Equal(AcpiStatus.Ok, Parse(t, out f, 183));
        Assert.Equal(0ul, f.Pm1aControlPort);
        Assert.Equal(AcpiStatus.Ok, Parse(t, out f, 184));
        Assert.Equal(0x1804ul, f.Pm1aControlPort);
        Assert.Equal(AcpiStatus.Ok, Parse(t, out f, 128));
        Assert.False(f.HasResetRegister); // RESET_VALUE at 128 not covered
    }

    [Fact]
    public void ShortOrForeignTablesAreRejected()
    {
        Assert.Equal(AcpiStatus.FadtTooShort, Parse(new FadtBuilder { Length = 100 }.Build(), out FadtInfo f));
        Assert.Equal(AcpiStatus.FadtTooShort, f.Status);
        Assert.Equal(AcpiStatus.WrongSignature, Parse(B.Table("FACS", 1, new byte[100]), out f));
        FadtInfo x;
        Assert.Equal(AcpiStatus.NullAddress, Fadt.Parse(null, 116, &x));
    }

    [Fact]
    public void QemuPcFadt()
    {
        using var mem = new FakePhysicalMemory(QemuTables.TablesPhys, 16384);
        mem.Write(QemuTables.TablesPhys, QemuTables.PcTables);
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(0, QemuTables.PcRsdtPhys, 0, out AcpiRoot root));
        FadtInfo f;
        Assert.Equal(AcpiStatus.Ok, Fadt.Load(root, &f));
        Assert.Equal(1, f.Revision);
        Assert.Equal(116u, f.Length);
        Assert.Equal(9, f.SciInterrupt);
        Assert.Equal(0x604ul, f.Pm1aControlPort);
        Assert.Equal(0x608u, f.PmTimerBlock);
        Assert.Equal(0x32, f.CenturyIndex);
        Assert.False(f.ResetSupported);
        Assert.Equal(0x7fe0040ul, f.DsdtAddress);
        Assert.Equal(AcpiStatus.Ok, Fadt.MapDsdt(&f, out byte* dsdt, out uint n));
        Assert.True(dsdt == mem.At(0x7fe0040));
        Assert.Equal(6416u, n);
    }

    [Fact]
    public void QemuQ35FadtHasAResetRegister()
    {
        using var mem = new FakePhysicalMemory(QemuTables.TablesPhys, 16384);
        mem.Write(QemuTables.TablesPhys, QemuTables.Q35Tables);
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(0, QemuTables.Q35RsdtPhys, 0, out AcpiRoot root));
        FadtInfo f;
        Assert.Equal(AcpiStatus.Ok, Fadt.Load(root, &f));
        Assert.Equal(3, f.Revision);
        Assert.Equal(244u, f.Length);
        Assert.True(f.ResetSupported);
        Assert.True(f.ResetRegister.IsIo);
        Assert.Equal(0xcf9ul, f.ResetRegister.Address);
        Assert.Equal(0x0f, f.ResetValue);
        Assert.True(f.HasBootArchitecture);
        Assert.True(f.Has8042);
        Assert.Equal(0x604ul, f.Pm1aControlPort);
        Assert.Equal(0x32, f.CenturyIndex);
        Assert.Equal(AcpiStatus.Ok, Fadt.MapDsdt(&f, out _, out uint n));
        Assert.Equal(8263u, n);
    }

    [Fact]
    public void DsdtErrors()
    {
        using var mem = new FakePhysicalMemory(0x100000, 4096);
        var dsdt = B.Dsdt(B.QemuS5);
        dsdt[40] ^= 0xff;
        mem.Write(0x100000, dsdt);
        FadtInfo f = default;
        Assert.Equal(AcpiStatus.NoDsdt, Fadt.MapDsdt(&f, out _, out _));
        f.DsdtAddress = 0x100000;
        Assert.Equal(AcpiStatus.BadChecksum, Fadt.MapDsdt(&f, out _, out _));
        f.DsdtAddress = 0x900000;
        Assert.Equal(AcpiStatus.NotMapped, Fadt.MapDsdt(&f, out _, out _));
    }

    [Fact]
    public void MissingOrBrokenFadtIsReportedByLoad()
    {
        using var mem = new FakePhysicalMemory(0x100000, 4096);
        var facp = new FadtBuilder().Build();
        facp[50] ^= 1;
        mem.Write(0x100400, facp);
        mem.Write(0x100000, B.Rsdt(0x100400));
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(0, 0x100000, 0, out AcpiRoot root));
        FadtInfo f;
        Assert.Equal(AcpiStatus.BadChecksum, Fadt.Load(root, &f));
        Assert.Equal(AcpiStatus.BadChecksum, f.Status);
    }
}
