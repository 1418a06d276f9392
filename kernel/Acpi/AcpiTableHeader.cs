// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// The 36-byte header every ACPI system description table starts with (ACPI 6.5, 5.2.6):
//   0 Signature[4]  4 Length u32  8 Revision u8  9 Checksum u8  10 OEMID[6]
//  16 OEM Table ID[8]  24 OEM Revision u32  28 Creator ID u32  32 Creator Revision u32
// Length covers the whole table, header included; all Length bytes sum to 0 (mod 256).
// Fields are read by offset (tables are byte-packed and not necessarily aligned).
using Kernel.Diagnostics;

namespace Kernel.Acpi;

/// <summary>Table signatures as little-endian u32s: the four ASCII bytes as they lie in memory.</summary>
public static unsafe class AcpiSignature
{
    public const uint Rsdt = 0x54445352; // "RSDT"
    public const uint Xsdt = 0x54445358; // "XSDT"
    public const uint Madt = 0x43495041; // "APIC"
    public const uint Fadt = 0x50434146; // "FACP"
    public const uint Dsdt = 0x54445344; // "DSDT"
    public const uint Ssdt = 0x54445353; // "SSDT"
    public const uint Facs = 0x53434146; // "FACS"
    public const uint Hpet = 0x54455048; // "HPET"
    public const uint Mcfg = 0x4746434d; // "MCFG"

    /// <summary>The signature spelled by a 4-character ASCII string ("APIC"); 0 otherwise.</summary>
    public static uint FromString(string s)
    {
        if ((object)s == null || s.Length != 4)
            return 0;
        uint v = 0;
        for (int i = 0; i < 4; i++)
        {
            char c = s[i];
            if (c < (char)0x20 || c > (char)0x7e)
                return 0;
            v |= (uint)c << (8 * i);
        }
        return v;
    }

    public static uint Read(byte* p)
    {
        return (uint)p[0] | (uint)p[1] << 8 | (uint)p[2] << 16 | (uint)p[3] << 24;
    }

    /// <summary>Appends the four characters; anything unprintable shows as '?'.</summary>
    public static void Append(ref TextBuilder text, uint signature)
    {
        for (int i = 0; i < 4; i++)
        {
            byte b = (byte)(signature >> (8 * i));
            text.AppendByte(b >= 0x20 && b <= 0x7e ? b : (byte)'?');
        }
    }
}

/// <summary>A copy of a table header's fields.</summary>
public unsafe struct AcpiTableHeader
{
    public uint Signature;
    public uint Length;
    public byte Revision;
    public byte Checksum;
    public fixed byte OemId[6];
    public fixed byte OemTableId[8];
    public uint OemRevision;
    public uint CreatorId;
    public uint CreatorRevision;
}

public static unsafe class AcpiTable
{
    public const int HeaderSize = 36;
    /// <summary>Longer tables are rejected as garbage (real DSDTs stay well below this).</summary>
    public const uint MaxLength = 1u << 20;

    /// <summary>Sum of <paramref name="length"/> bytes, modulo 256 (0 for a valid table).</summary>
    public static byte Checksum(byte* p, uint length)
    {
        byte sum = 0;
        for (uint i = 0; i < length; i++)
            sum = (byte)(sum + p[i]);
        return sum;
    }

    public static bool SignatureIs(byte* table, uint signature)
    {
        return AcpiSignature.Read(table) == signature;
    }

    public static bool SignatureIs(byte* table, string signature)
    {
        uint s = AcpiSignature.FromString(signature);
        return s != 0 && AcpiSignature.Read(table) == s;
    }

    public static ushort ReadU16(byte* p) { return (ushort)(p[0] | p[1] << 8); }
    public static uint ReadU32(byte* p) { return (uint)p[0] | (uint)p[1] << 8 | (uint)p[2] << 16 | (uint)p[3] << 24; }
    public static ulong ReadU64(byte* p) { return ReadU32(p) | (ulong)ReadU32(p + 4) << 32; }

    public static void ReadHeader(byte* table, out AcpiTableHeader header)
    {
        header = default(AcpiTableHeader);
        header.Signature = AcpiSignature.Read(table);
        header.Length = ReadU32(table + 4);
        header.Revision = table[8];
        header.Checksum = table[9];
        for (int i = 0; i < 6; i++)
            header.OemId[i] = table[10 + i];
        for (int i = 0; i < 8; i++)
            header.OemTableId[i] = table[16 + i];
        header.OemRevision = ReadU32(table + 24);
        header.CreatorId = ReadU32(table + 28);
        header.CreatorRevision = ReadU32(table + 32);
    }

    /// <summary>Reads only the signature of the table at <paramref name="physical"/>, if its
    /// first four bytes are readable (to pick entries in a root table before validating).</summary>
    public static bool PeekSignature(ulong physical, out uint signature)
    {
        signature = 0;
        if (physical == 0 || !AcpiMemory.IsReadable(physical, 4))
            return false;
        signature = AcpiSignature.Read(AcpiMemory.Pointer(physical));
        return true;
    }

    /// <summary>
    /// Reaches and validates the table at <paramref name="physical"/>: its header and then all
    /// of its Length bytes must be readable, 36 &lt;= Length &lt;= 1 MiB, the checksum must hold
    /// and, unless <paramref name="signature"/> is 0, the signature must match. On success
    /// <paramref name="table"/> points at the header (virtual) and <paramref name="length"/> is
    /// its Length; on failure both are zero.
    /// </summary>
    public static AcpiStatus Map(ulong physical, uint signature, out byte* table, out uint length)
    {
        table = null;
        length = 0;
        if (physical == 0)
            return AcpiStatus.NullAddress;
        if (!AcpiMemory.IsReadable(physical, HeaderSize))
            return AcpiStatus.NotMapped;
        byte* p = AcpiMemory.Pointer(physical);
        if (signature != 0 && AcpiSignature.Read(p) != signature)
            return AcpiStatus.WrongSignature;
        uint n = ReadU32(p + 4);
        if (n < HeaderSize)
            return AcpiStatus.LengthTooSmall;
        if (n > MaxLength)
            return AcpiStatus.LengthTooLarge;
        if (!AcpiMemory.IsReadable(physical, n))
            return AcpiStatus.NotMapped;
        if (Checksum(p, n) != 0)
            return AcpiStatus.BadChecksum;
        table = p;
        length = n;
        return AcpiStatus.Ok;
    }
}
