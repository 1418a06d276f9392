using System;
using System.Collections.Generic;
using System.Text;
using Kernel.Acpi;
using Kernel.Memory;
using Kernel.Tests.Support;

namespace Kernel.Tests.Acpi;

/// <summary>
/// Host memory standing in for physical memory [PhysBase, PhysBase + Size), reachable through
/// PhysicalMap and registered as the one range ACPI may read. It ends at a PROT_NONE guard page:
/// a parser that reads one byte past the block kills the test host instead of passing.
/// PhysicalMap and AcpiMemory are global, so every test using this is in the "PhysicalMap"
/// collection (xunit runs a collection's tests one after another).
/// </summary>
public sealed unsafe class FakePhysicalMemory : IDisposable
{
    readonly GuardedBuffer _buffer;
    public ulong PhysBase { get; }
    public int Size { get; }
    public byte* Base { get; }
    public ulong PhysEnd => PhysBase + (ulong)Size;

    public FakePhysicalMemory(ulong physBase, int size, bool registerReadable = true)
    {
        _buffer = new GuardedBuffer(size);
        PhysBase = physBase;
        Size = _buffer.Capacity;
        Base = _buffer.PlaceAtEnd(ReadOnlySpan<byte>.Empty, Size);
        PhysicalMap.SetOffset((ulong)Base - physBase);
        AcpiMemory.ClearReadableRanges();
        if (registerReadable)
            AcpiMemory.AddReadableRange(physBase, (ulong)Size);
    }

    public byte* At(ulong phys)
    {
        if (phys < PhysBase || phys > PhysEnd)
            throw new ArgumentOutOfRangeException(nameof(phys));
        return Base + (phys - PhysBase);
    }

    public void Write(ulong phys, byte[] data)
    {
        if (phys < PhysBase || phys + (ulong)data.Length > PhysEnd)
            throw new ArgumentOutOfRangeException(nameof(phys));
        data.AsSpan().CopyTo(new Span<byte>(At(phys), data.Length));
    }

    /// <summary>Writes <paramref name="data"/> so that it ends exactly at the guard page.</summary>
    public ulong WriteAtEnd(byte[] data)
    {
        ulong phys = PhysEnd - (ulong)data.Length;
        Write(phys, data);
        return phys;
    }

    public void Dispose()
    {
        AcpiMemory.ClearReadableRanges();
        _buffer.Dispose();
    }
}

/// <summary>Builds ACPI tables as byte arrays (little-endian, checksums fixed).</summary>
public static class AcpiBuilder
{
    public static byte[] Table(string signature, byte revision, byte[] body,
        string oemId = "TESTOE", string oemTableId = "TESTTABL")
    {
        var t = new byte[36 + body.Length];
        Encoding.ASCII.GetBytes(signature).CopyTo(t, 0);
        PutU32(t, 4, (uint)t.Length);
        t[8] = revision;
        Encoding.ASCII.GetBytes(oemId.PadRight(6).Substring(0, 6)).CopyTo(t, 10);
        Encoding.ASCII.GetBytes(oemTableId.PadRight(8).Substring(0, 8)).CopyTo(t, 16);
        PutU32(t, 24, 1);
        PutU32(t, 28, 0x4c544e49); // "INTL"
        PutU32(t, 32, 0x20240101);
        body.CopyTo(t, 36);
        FixChecksum(t);
        return t;
    }

    public static void FixChecksum(byte[] t, int checksumOffset = 9, int length = -1)
    {
        if (length < 0)
            length = t.Length;
        t[checksumOffset] = 0;
        int sum = 0;
        for (int i = 0; i < length; i++)
            sum += t[i];
        t[checksumOffset] = (byte)(-sum & 0xff);
    }

    public static byte[] RsdpV1(uint rsdt, byte revision = 0)
    {
        var r = new byte[20];
        Encoding.ASCII.GetBytes("RSD PTR ").CopyTo(r, 0);
        Encoding.ASCII.GetBytes("TESTOE").CopyTo(r, 9);
        r[15] = revision;
        PutU32(r, 16, rsdt);
        FixChecksum(r, 8, 20);
        return r;
    }

    public static byte[] RsdpV2(uint rsdt, ulong xsdt, byte revision = 2)
    {
        var r = new byte[36];
        Encoding.ASCII.GetBytes("RSD PTR ").CopyTo(r, 0);
        Encoding.ASCII.GetBytes("TESTOE").CopyTo(r, 9);
        r[15] = revision;
        PutU32(r, 16, rsdt);
        PutU32(r, 20, 36);
        PutU64(r, 24, xsdt);
        FixChecksum(r, 8, 20);
        FixChecksum(r, 32, 36);
        return r;
    }

    public static byte[] Rsdt(params uint[] entries)
    {
        var body = new byte[entries.Length * 4];
        for (int i = 0; i < entries.Length; i++)
            PutU32(body, i * 4, entries[i]);
        return Table("RSDT", 1, body);
    }

    public static byte[] Xsdt(params ulong[] entries)
    {
        var body = new byte[entries.Length * 8];
        for (int i = 0; i < entries.Length; i++)
            PutU64(body, i * 8, entries[i]);
        return Table("XSDT", 1, body);
    }

    public static byte[] Dsdt(byte[] aml) => Table("DSDT", 2, aml);

    /// <summary>"_S5_" package as QEMU writes it: Name(_S5, Package(4){0, 0, 0, 0}).</summary>
    public static readonly byte[] QemuS5 = { 0x08, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };

    public static void PutU16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    public static void PutU32(byte[] b, int o, uint v) { for (int i = 0; i < 4; i++) b[o + i] = (byte)(v >> (8 * i)); }
    public static void PutU64(byte[] b, int o, ulong v) { for (int i = 0; i < 8; i++) b[o + i] = (byte)(v >> (8 * i)); }
    public static uint GetU32(byte[] b, int o) => BitConverter.ToUInt32(b, o);
}

/// <summary>MADT entries in order; <see cref="Build"/> makes the table.</summary>
public sealed class MadtBuilder
{
    readonly List<byte> _entries = new List<byte>();
    public uint LocalApicAddress = 0xfee00000;
    public uint Flags = 1;

    public MadtBuilder Raw(params byte[] entry) { _entries.AddRange(entry); return this; }

    public MadtBuilder LocalApic(byte uid, byte apicId, uint flags)
    {
        var e = new byte[8];
        e[0] = 0; e[1] = 8; e[2] = uid; e[3] = apicId;
        AcpiBuilder.PutU32(e, 4, flags);
        return Raw(e);
    }

    public MadtBuilder IoApic(byte id, uint address, uint gsiBase)
    {
        var e = new byte[12];
        e[0] = 1; e[1] = 12; e[2] = id;
        AcpiBuilder.PutU32(e, 4, address);
        AcpiBuilder.PutU32(e, 8, gsiBase);
        return Raw(e);
    }

    public MadtBuilder Override(byte bus, byte source, uint gsi, ushort flags)
    {
        var e = new byte[10];
        e[0] = 2; e[1] = 10; e[2] = bus; e[3] = source;
        AcpiBuilder.PutU32(e, 4, gsi);
        AcpiBuilder.PutU16(e, 8, flags);
        return Raw(e);
    }

    public MadtBuilder NmiSource(ushort flags, uint gsi)
    {
        var e = new byte[8];
        e[0] = 3; e[1] = 8;
        AcpiBuilder.PutU16(e, 2, flags);
        AcpiBuilder.PutU32(e, 4, gsi);
        return Raw(e);
    }

    public MadtBuilder LocalApicNmi(byte uid, ushort flags, byte lint)
    {
        var e = new byte[6];
        e[0] = 4; e[1] = 6; e[2] = uid;
        AcpiBuilder.PutU16(e, 3, flags);
        e[5] = lint;
        return Raw(e);
    }

    public MadtBuilder LocalApicAddressOverride(ulong address)
    {
        var e = new byte[12];
        e[0] = 5; e[1] = 12;
        AcpiBuilder.PutU64(e, 4, address);
        return Raw(e);
    }

    public MadtBuilder X2Apic(uint x2apicId, uint flags, uint uid)
    {
        var e = new byte[16];
        e[0] = 9; e[1] = 16;
        AcpiBuilder.PutU32(e, 4, x2apicId);
        AcpiBuilder.PutU32(e, 8, flags);
        AcpiBuilder.PutU32(e, 12, uid);
        return Raw(e);
    }

    public MadtBuilder X2ApicNmi(ushort flags, uint uid, byte lint)
    {
        var e = new byte[12];
        e[0] = 10; e[1] = 12;
        AcpiBuilder.PutU16(e, 2, flags);
        AcpiBuilder.PutU32(e, 4, uid);
        e[8] = lint;
        return Raw(e);
    }

    public byte[] Body()
    {
        var body = new byte[8 + _entries.Count];
        AcpiBuilder.PutU32(body, 0, LocalApicAddress);
        AcpiBuilder.PutU32(body, 4, Flags);
        _entries.CopyTo(body, 8);
        return body;
    }

    public byte[] Build() => AcpiBuilder.Table("APIC", 5, Body());
}

/// <summary>FADT fields the tests set; <see cref="Build"/> lays them out at the spec offsets.</summary>
public sealed class FadtBuilder
{
    public int Length = 276;
    public byte Revision = 6;
    public uint FirmwareCtrl = 0x7fe0000;
    public uint Dsdt;
    public ushort Sci = 9;
    public uint SmiCmd = 0xb2;
    public byte AcpiEnable = 0xf1, AcpiDisable = 0xf0;
    public uint Pm1aEvt = 0x600, Pm1aCnt = 0x604, Pm1bCnt, PmTmr = 0x608;
    public byte Century = 0x32;
    public ushort BootArch = 0x0002;
    public uint Flags = 0x80a5;
    public byte ResetSpace = 1;
    public ulong ResetAddress = 0xcf9;
    public byte ResetValue = 0x06;
    public ulong XFirmwareCtrl;
    public ulong XDsdt;
    public byte XPm1aCntSpace = 1;
    public ulong XPm1aCnt;

    public byte[] Build()
    {
        var b = new byte[Length - 36];
        void U8(int off, byte v) { if (off - 36 < b.Length) b[off - 36] = v; }
        void U16(int off, ushort v) { if (off + 2 - 36 <= b.Length) AcpiBuilder.PutU16(b, off - 36, v); }
        void U32(int off, uint v) { if (off + 4 - 36 <= b.Length) AcpiBuilder.PutU32(b, off - 36, v); }
        void U64(int off, ulong v) { if (off + 8 - 36 <= b.Length) AcpiBuilder.PutU64(b, off - 36, v); }
        U32(36, FirmwareCtrl);
        U32(40, Dsdt);
        U8(45, 1);
        U16(46, Sci);
        U32(48, SmiCmd);
        U8(52, AcpiEnable);
        U8(53, AcpiDisable);
        U32(56, Pm1aEvt);
        U32(64, Pm1aCnt);
        U32(68, Pm1bCnt);
        U32(76, PmTmr);
        U8(88, 4);
        U8(89, 2);
        U8(91, 4);
        U8(108, Century);
        U16(109, BootArch);
        U32(112, Flags);
        // RESET_REG: GAS {space, width 8, offset 0, access 1 (byte), address}.
        U8(116, ResetSpace); U8(117, 8); U8(118, 0); U8(119, 1); U64(120, ResetAddress);
        U8(128, ResetValue);
        U8(131, 1);
        U64(132, XFirmwareCtrl);
        U64(140, XDsdt);
        U8(172, XPm1aCntSpace); U8(173, 16); U64(176, XPm1aCnt);
        return AcpiBuilder.Table("FACP", Revision, b);
    }
}
