// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Sleep-state values without an AML interpreter. The DSDT declares each supported state as
//     Name (_S5, Package () { SLP_TYPa, SLP_TYPb, ... })
// which is encoded as NameOp 0x08, optional root prefix '\' 0x5c, the name "_S5_", PackageOp
// 0x12, PkgLength (1-4 bytes, it counts itself and everything to the package's end),
// NumElements u8, then the elements: ZeroOp 0x00, OneOp 0x01, BytePrefix 0x0a n, WordPrefix
// 0x0b, DWordPrefix 0x0c, QWordPrefix 0x0e (some firmware also writes bare small bytes).
// Powering off: write (SLP_TYPa << 10) | SLP_EN to PM1a_CNT (and SLP_TYPb to PM1b_CNT if any).
// This is the simple scan the OSDev wiki describes, made bounded: every read is checked against
// the AML length and the package's own length; anything unexpected means "not found". A _S5
// defined as a Method (computed at run time) is not supported and reports not found.
namespace Kernel.Acpi;

public static unsafe class SleepState
{
    public const byte NameOp = 0x08;
    public const byte RootPrefix = 0x5c;
    public const byte PackageOp = 0x12;
    public const byte ZeroOp = 0x00;
    public const byte OneOp = 0x01;
    public const byte BytePrefix = 0x0a;
    public const byte WordPrefix = 0x0b;
    public const byte DWordPrefix = 0x0c;
    public const byte QWordPrefix = 0x0e;

    /// <summary>PM1 control register: SLP_TYP is bits 10-12, SLP_EN bit 13.</summary>
    public const int SlpTypShift = 10;
    public const ushort SlpTypMask = 7 << SlpTypShift;
    public const ushort SlpEn = 1 << 13;

    /// <summary>The PM1 control value that enters the sleep state <paramref name="slpTyp"/>:
    /// keeps the other bits of <paramref name="current"/> (SCI_EN...), sets SLP_TYP and SLP_EN.</summary>
    public static ushort Pm1ControlValue(ushort current, byte slpTyp)
    {
        return (ushort)((current & ~SlpTypMask) | ((slpTyp & 7) << SlpTypShift) | SlpEn);
    }

    /// <summary>_S5_ (soft off) in a validated DSDT (or SSDT): header skipped, body scanned.</summary>
    public static AcpiStatus FindS5InTable(byte* table, uint length, out byte slpTypA, out byte slpTypB)
    {
        slpTypA = 0;
        slpTypB = 0;
        if (table == null)
            return AcpiStatus.NullAddress;
        if (length < AcpiTable.HeaderSize)
            return AcpiStatus.LengthTooSmall;
        return Find(table + AcpiTable.HeaderSize, length - AcpiTable.HeaderSize, 5, out slpTypA, out slpTypB)
            ? AcpiStatus.Ok : AcpiStatus.NoSleepPackage;
    }

    public static bool FindS5(byte* aml, uint length, out byte slpTypA, out byte slpTypB)
    {
        return Find(aml, length, 5, out slpTypA, out slpTypB);
    }

    /// <summary>
    /// Scans <paramref name="length"/> bytes of AML for Name(_Sn, Package(){a, b, ...}) with
    /// n = <paramref name="state"/> (0..5) and returns a and b (each 0..7). With one element,
    /// its low byte is a and the next byte b (an old encoding ACPICA also accepts).
    /// </summary>
    public static bool Find(byte* aml, uint length, int state, out byte slpTypA, out byte slpTypB)
    {
        slpTypA = 0;
        slpTypB = 0;
        if (aml == null || state < 0 || state > 5 || length < 6)
            return false;
        byte digit = (byte)('0' + state);
        // i is the offset of '_' in "_Sn_"; a NameOp must precede it.
        for (uint i = 1; i <= length - 4; i++)
        {
            if (aml[i] != (byte)'_' || aml[i + 1] != (byte)'S' || aml[i + 2] != digit || aml[i + 3] != (byte)'_')
                continue;
            bool named = aml[i - 1] == NameOp || (i >= 2 && aml[i - 1] == RootPrefix && aml[i - 2] == NameOp);
            if (!named)
                continue;
            if (ParsePackage(aml, length, i + 4, out slpTypA, out slpTypB))
                return true;
        }
        slpTypA = 0;
        slpTypB = 0;
        return false;
    }

    /// <summary>Decodes a PkgLength at <paramref name="p"/> (<paramref name="available"/> bytes
    /// readable): its value and how many bytes it takes (1-4).</summary>
    public static bool ReadPkgLength(byte* p, uint available, out uint value, out uint size)
    {
        value = 0;
        size = 0;
        if (available < 1)
            return false;
        byte lead = p[0];
        uint follow = (uint)lead >> 6;
        if (available < 1 + follow)
            return false;
        if (follow == 0)
        {
            value = (uint)(lead & 0x3f);
        }
        else
        {
            if ((lead & 0x30) != 0) // bits 4-5 must be zero in the multi-byte form
                return false;
            value = (uint)(lead & 0x0f);
            for (uint k = 0; k < follow; k++)
                value |= (uint)p[1 + k] << (int)(4 + 8 * k);
        }
        size = 1 + follow;
        return true;
    }

    static bool ParsePackage(byte* aml, uint length, uint at, out byte a, out byte b)
    {
        a = 0;
        b = 0;
        if (at >= length || aml[at] != PackageOp)
            return false;
        uint pkgStart = at + 1;
        if (!ReadPkgLength(aml + pkgStart, length - pkgStart, out uint pkgLength, out uint pkgSize))
            return false;
        // The package must lie inside the AML: a cut-off package is rejected, not half-read.
        if (pkgLength < pkgSize + 1 || pkgLength > length - pkgStart)
            return false;
        uint end = pkgStart + pkgLength;
        uint p = pkgStart + pkgSize;
        uint count = aml[p++];
        if (count == 0)
            return false;
        if (!ReadInteger(aml, end, ref p, out ulong first))
            return false;
        ulong second;
        if (count == 1)
        {
            second = (first >> 8) & 0xff;
            first &= 0xff;
        }
        else if (!ReadInteger(aml, end, ref p, out second))
        {
            return false;
        }
        if (first > 7 || second > 7)
            return false;
        a = (byte)first;
        b = (byte)second;
        return true;
    }

    /// <summary>One integer data object at aml[p], not reading at or past <paramref name="end"/>.</summary>
    static bool ReadInteger(byte* aml, uint end, ref uint p, out ulong value)
    {
        value = 0;
        if (p >= end)
            return false;
        byte op = aml[p];
        uint size;
        switch (op)
        {
            case BytePrefix: size = 1; break;
            case WordPrefix: size = 2; break;
            case DWordPrefix: size = 4; break;
            case QWordPrefix: size = 8; break;
            default:
                // ZeroOp, OneOp, or a bare small byte (0..7) as some firmware writes it.
                if (op > 7)
                    return false;
                value = op;
                p += 1;
                return true;
        }
        if (end - p - 1 < size)
            return false;
        for (uint k = 0; k < size; k++)
            value |= (ulong)aml[p + 1 + k] << (int)(8 * k);
        p += 1 + size;
        return true;
    }
}
