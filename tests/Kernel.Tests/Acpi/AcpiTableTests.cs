using System;
using Kernel.Acpi;
using Xunit;
using B = Kernel.Tests.Acpi.AcpiBuilder;

namespace Kernel.Tests.Acpi;

[Collection("PhysicalMap")]
public unsafe class AcpiTableTests
{
    const ulong Phys = 0x7fe0000;

    [Fact]
    public void SignatureConstantsSpellTheirNames()
    {
        Assert.Equal(AcpiSignature.Madt, AcpiSignature.FromString("APIC"));
        Assert.Equal(AcpiSignature.Fadt, AcpiSignature.FromString("FACP"));
        Assert.Equal(AcpiSignature.Dsdt, AcpiSignature.FromString("DSDT"));
        Assert.Equal(AcpiSignature.Rsdt, AcpiSignature.FromString("RSDT"));
        Assert.Equal(AcpiSignature.Xsdt, AcpiSignature.FromString("XSDT"));
        Assert.Equal(AcpiSignature.Ssdt, AcpiSignature.FromString("SSDT"));
        Assert.Equal(AcpiSignature.Facs, AcpiSignature.FromString("FACS"));
        Assert.Equal(AcpiSignature.Hpet, AcpiSignature.FromString("HPET"));
        Assert.Equal(AcpiSignature.Mcfg, AcpiSignature.FromString("MCFG"));
        Assert.Equal(0u, AcpiSignature.FromString("API"));
        Assert.Equal(0u, AcpiSignature.FromString("APICX"));
        Assert.Equal(0u, AcpiSignature.FromString(null));
        Assert.Equal(0u, AcpiSignature.FromString("AP\u0001C"));
    }

    [Fact]
    public void ValidTableMaps()
    {
        using var m = new FakePhysicalMemory(Phys, 4096);
        var t = B.Table("HPET", 1, new byte[20], "BOCHS ", "BXPC");
        m.Write(Phys + 0x100, t);
        Assert.Equal(AcpiStatus.Ok, AcpiTable.Map(Phys + 0x100, AcpiSignature.Hpet, out byte* p, out uint n));
        Assert.True(p == m.At(Phys + 0x100));
        Assert.Equal((uint)t.Length, n);
        Assert.True(AcpiTable.SignatureIs(p, "HPET"));
        Assert.False(AcpiTable.SignatureIs(p, "HPEX"));
        // Signature 0 accepts any table.
        Assert.Equal(AcpiStatus.Ok, AcpiTable.Map(Phys + 0x100, 0, out _, out _));

        AcpiTable.ReadHeader(p, out AcpiTableHeader h);
        Assert.Equal(AcpiSignature.Hpet, h.Signature);
        Assert.Equal((uint)t.Length, h.Length);
        Assert.Equal(1, h.Revision);
        Assert.Equal((byte)'B', h.OemId[0]);
        Assert.Equal((byte)' ', h.OemId[5]);
        Assert.Equal((byte)'X', h.OemTableId[1]);
        Assert.Equal(0x4c544e49u, h.CreatorId);
    }

    [Fact]
    public void BadChecksumIsRejected()
    {
        using var m = new FakePhysicalMemory(Phys, 4096);
        var t = B.Table("HPET", 1, new byte[20]);
        t[40] ^= 0x01;
        m.Write(Phys, t);
        Assert.Equal(AcpiStatus.BadChecksum, AcpiTable.Map(Phys, AcpiSignature.Hpet, out byte* p, out uint n));
        Assert.True(p == null);
        Assert.Equal(0u, n);
    }

    [Theory]
    [InlineData(0u, AcpiStatus.LengthTooSmall)]
    [InlineData(35u, AcpiStatus.LengthTooSmall)]
    [InlineData((1u << 20) + 1, AcpiStatus.LengthTooLarge)]
    [InlineData(0xffffffffu, AcpiStatus.LengthTooLarge)]
    public void AbsurdLengthsAreRejected(uint length, AcpiStatus expected)
    {
        using var m = new FakePhysicalMemory(Phys, 4096);
        var t = B.Table("HPET", 1, new byte[20]);
        B.PutU32(t, 4, length);
        B.FixChecksum(t);
        m.Write(Phys, t);
        Assert.Equal(expected, AcpiTable.Map(Phys, AcpiSignature.Hpet, out _, out _));
    }

    [Fact]
    public void LengthBeyondTheMappedBlockIsNotRead()
    {
        using var m = new FakePhysicalMemory(Phys, 4096);
        var t = B.Table("HPET", 1, new byte[20]);
        // The table ends at the guard page but claims 100 more bytes: summing them would fault.
        B.PutU32(t, 4, (uint)t.Length + 100);
        ulong at = m.WriteAtEnd(t);
        Assert.Equal(AcpiStatus.NotMapped, AcpiTable.Map(at, AcpiSignature.Hpet, out _, out _));
        // A header that itself straddles the end.
        ulong last = m.PhysEnd - 10;
        Assert.Equal(AcpiStatus.NotMapped, AcpiTable.Map(last, 0, out _, out _));
        Assert.False(AcpiTable.PeekSignature(m.PhysEnd - 3, out _));
        Assert.True(AcpiTable.PeekSignature(m.PhysEnd - 4, out _));
    }

    [Fact]
    public void AddressesOutsideTheReadableRangesAreNotMapped()
    {
        using var m = new FakePhysicalMemory(Phys, 4096);
        Assert.Equal(AcpiStatus.NullAddress, AcpiTable.Map(0, 0, out _, out _));
        Assert.Equal(AcpiStatus.NotMapped, AcpiTable.Map(0xdeadbeef000, 0, out _, out _));
        Assert.Equal(AcpiStatus.NotMapped, AcpiTable.Map(Phys - 36, 0, out _, out _));
        Assert.Equal(AcpiStatus.NotMapped, AcpiTable.Map(ulong.MaxValue - 10, 0, out _, out _));
    }

    [Fact]
    public void WrongSignatureIsReported()
    {
        using var m = new FakePhysicalMemory(Phys, 4096);
        m.Write(Phys, B.Table("HPET", 1, new byte[20]));
        Assert.Equal(AcpiStatus.WrongSignature, AcpiTable.Map(Phys, AcpiSignature.Madt, out _, out _));
    }

    [Fact]
    public void NothingIsReadableUntilARangeIsAdded()
    {
        using var m = new FakePhysicalMemory(Phys, 4096, registerReadable: false);
        m.Write(Phys, B.Table("HPET", 1, new byte[20]));
        Assert.Equal(0, AcpiMemory.RangeCount);
        Assert.Equal(AcpiStatus.NotMapped, AcpiTable.Map(Phys, 0, out _, out _));
        Assert.True(AcpiMemory.AddReadableRange(Phys, 4096));
        Assert.Equal(AcpiStatus.Ok, AcpiTable.Map(Phys, 0, out _, out _));
    }

    [Fact]
    public void ReadableRangesMayBeAdjacentButNotGapped()
    {
        using var m = new FakePhysicalMemory(Phys, 8192, registerReadable: false);
        // Out of order and adjacent: [Phys+0x1000, +0x2000) then [Phys, +0x1000).
        Assert.True(AcpiMemory.AddReadableRange(Phys + 0x1000, 0x1000));
        Assert.True(AcpiMemory.AddReadableRange(Phys, 0x1000));
        Assert.True(AcpiMemory.IsReadable(Phys + 0xff0, 0x20));
        Assert.True(AcpiMemory.IsReadable(Phys, 0x2000));
        Assert.False(AcpiMemory.IsReadable(Phys, 0x2001));
        Assert.False(AcpiMemory.IsReadable(Phys - 1, 2));
        Assert.True(AcpiMemory.IsReadable(0x1234, 0));

        // A table straddling the two ranges validates.
        var t = B.Table("SSDT", 1, new byte[64]);
        m.Write(Phys + 0x1000 - 40, t);
        Assert.Equal(AcpiStatus.Ok, AcpiTable.Map(Phys + 0x1000 - 40, AcpiSignature.Ssdt, out _, out _));

        AcpiMemory.ClearReadableRanges();
        Assert.True(AcpiMemory.AddReadableRange(Phys, 0x800));
        Assert.True(AcpiMemory.AddReadableRange(Phys + 0x1000, 0x1000));
        Assert.False(AcpiMemory.IsReadable(Phys + 0x7f0, 0x20)); // gap [0x800, 0x1000)
    }

    [Fact]
    public void ReadableRangeTableRejectsBadRanges()
    {
        using var m = new FakePhysicalMemory(Phys, 4096, registerReadable: false);
        Assert.False(AcpiMemory.AddReadableRange(Phys, 0));
        Assert.False(AcpiMemory.AddReadableRange(ulong.MaxValue - 5, 10));
        for (int i = 0; i < AcpiReadableRanges.Capacity; i++)
            Assert.True(AcpiMemory.AddReadableRange((ulong)i * 0x10000, 0x100));
        Assert.False(AcpiMemory.AddReadableRange(0x900000, 0x100));
        Assert.Equal(AcpiReadableRanges.Capacity, AcpiMemory.RangeCount);
        Assert.False(AcpiMemory.IsReadable(ulong.MaxValue - 1, 4));
    }

    [Fact]
    public void EveryStatusHasANameAndAMessage()
    {
        var names = new System.Collections.Generic.HashSet<string>();
        foreach (AcpiStatus s in Enum.GetValues<AcpiStatus>())
        {
            Assert.NotEqual("Unknown", AcpiStatusText.Name(s));
            Assert.Equal(s.ToString(), AcpiStatusText.Name(s));
            Assert.NotEqual("unknown ACPI status", AcpiStatusText.Message(s));
            Assert.True(names.Add(AcpiStatusText.Message(s)), "duplicate message for " + s);
        }
        Assert.Equal("Unknown", AcpiStatusText.Name((AcpiStatus)999));
    }
}
