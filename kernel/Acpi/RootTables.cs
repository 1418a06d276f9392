// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// The root of the ACPI tables: the RSDP (handed over by the boot loader) points at the RSDT
// (32-bit entries, ACPI 1.0) and, from revision 2, at the XSDT (64-bit entries). Both are a
// table header followed by an array of physical table addresses. The XSDT is preferred when
// the RSDP revision is >= 2 and it validates; otherwise the RSDT is used (Linux does the same
// fallback for firmware with a broken XSDT).
namespace Kernel.Acpi;

/// <summary>The root table chosen by <see cref="RootTables.Open"/>.</summary>
public unsafe struct AcpiRoot
{
    /// <summary>Virtual address of the RSDT or XSDT header (null when not opened).</summary>
    public byte* Table;
    public ulong Address;
    public uint Length;
    public bool IsXsdt;
    /// <summary>Number of entries: (Length - 36) / (4 or 8), rounded down.</summary>
    public int EntryCount;
    public byte RsdpRevision;
    /// <summary>Why the XSDT was not used when the RSDP offered one (Ok if used or not offered).</summary>
    public AcpiStatus XsdtStatus;

    public int EntrySize => IsXsdt ? 8 : 4;
}

public static unsafe class RootTables
{
    public const int RsdpV1Size = 20;
    public const int RsdpV2Size = 36;

    /// <summary>
    /// Opens the root table from the RSDP fields the kernel copied at boot. Tries the XSDT when
    /// <paramref name="rsdpRevision"/> &gt;= 2 and <paramref name="xsdtAddress"/> is not 0, and
    /// falls back to the RSDT if that fails (the XSDT's error is kept in
    /// <see cref="AcpiRoot.XsdtStatus"/>). Returns the error of the last table tried.
    /// </summary>
    public static AcpiStatus Open(byte rsdpRevision, uint rsdtAddress, ulong xsdtAddress, out AcpiRoot root)
    {
        root = default(AcpiRoot);
        root.RsdpRevision = rsdpRevision;
        AcpiStatus status = AcpiStatus.NoRootTable;
        if (rsdpRevision >= 2 && xsdtAddress != 0)
        {
            status = AcpiTable.Map(xsdtAddress, AcpiSignature.Xsdt, out byte* x, out uint xl);
            if (status == AcpiStatus.Ok)
            {
                Fill(ref root, x, xsdtAddress, xl, true);
                return AcpiStatus.Ok;
            }
            root.XsdtStatus = status;
        }
        if (rsdtAddress == 0)
            return status;
        status = AcpiTable.Map(rsdtAddress, AcpiSignature.Rsdt, out byte* r, out uint rl);
        if (status == AcpiStatus.Ok)
            Fill(ref root, r, rsdtAddress, rl, false);
        return status;
    }

    /// <summary>
    /// Opens the root table from raw RSDP bytes (<paramref name="length"/> readable): checks the
    /// "RSD PTR " signature and the 20-byte checksum; for revision &gt;= 2 with 36 bytes present,
    /// also the length field and the extended checksum before the XSDT address is believed.
    /// </summary>
    public static AcpiStatus OpenRsdp(byte* rsdp, int length, out AcpiRoot root)
    {
        root = default(AcpiRoot);
        if (rsdp == null || length < RsdpV1Size)
            return AcpiStatus.BadRsdp;
        if (rsdp[0] != (byte)'R' || rsdp[1] != (byte)'S' || rsdp[2] != (byte)'D' || rsdp[3] != (byte)' '
            || rsdp[4] != (byte)'P' || rsdp[5] != (byte)'T' || rsdp[6] != (byte)'R' || rsdp[7] != (byte)' ')
            return AcpiStatus.BadRsdp;
        if (AcpiTable.Checksum(rsdp, RsdpV1Size) != 0)
            return AcpiStatus.BadRsdp;
        byte revision = rsdp[15];
        uint rsdt = AcpiTable.ReadU32(rsdp + 16);
        ulong xsdt = 0;
        if (revision >= 2 && length >= RsdpV2Size)
        {
            uint n = AcpiTable.ReadU32(rsdp + 20);
            if (n < RsdpV2Size || n > (uint)length || AcpiTable.Checksum(rsdp, n) != 0)
                return AcpiStatus.BadRsdp;
            xsdt = AcpiTable.ReadU64(rsdp + 24);
        }
        return Open(revision, rsdt, xsdt, out root);
    }

    /// <summary>Physical address in entry <paramref name="index"/> (false when out of range).</summary>
    public static bool GetEntry(in AcpiRoot root, int index, out ulong physical)
    {
        physical = 0;
        if (root.Table == null || index < 0 || index >= root.EntryCount)
            return false;
        byte* e = root.Table + AcpiTable.HeaderSize + index * root.EntrySize;
        physical = root.IsXsdt ? AcpiTable.ReadU64(e) : AcpiTable.ReadU32(e);
        return true;
    }

    /// <summary>
    /// The <paramref name="instance"/>-th valid table (0 = first) with <paramref name="signature"/>
    /// among the root entries. Entries that are 0, unreadable or invalid are skipped; when no
    /// valid one exists the first error met on a matching entry is returned (so a FACP with a bad
    /// checksum reports BadChecksum, not NotFound).
    /// </summary>
    public static AcpiStatus Find(in AcpiRoot root, uint signature, int instance,
        out ulong physical, out byte* table, out uint length)
    {
        physical = 0;
        table = null;
        length = 0;
        if (root.Table == null)
            return AcpiStatus.NoRootTable;
        AcpiStatus firstError = AcpiStatus.Ok;
        int seen = 0;
        for (int i = 0; i < root.EntryCount; i++)
        {
            GetEntry(root, i, out ulong p);
            if (!AcpiTable.PeekSignature(p, out uint s) || s != signature)
                continue;
            AcpiStatus status = AcpiTable.Map(p, signature, out byte* t, out uint n);
            if (status != AcpiStatus.Ok)
            {
                if (firstError == AcpiStatus.Ok)
                    firstError = status;
                continue;
            }
            if (seen++ == instance)
            {
                physical = p;
                table = t;
                length = n;
                return AcpiStatus.Ok;
            }
        }
        return firstError != AcpiStatus.Ok ? firstError : AcpiStatus.NotFound;
    }

    public static AcpiStatus Find(in AcpiRoot root, uint signature, out byte* table, out uint length)
    {
        return Find(root, signature, 0, out ulong _, out table, out length);
    }

    static void Fill(ref AcpiRoot root, byte* table, ulong address, uint length, bool xsdt)
    {
        root.Table = table;
        root.Address = address;
        root.Length = length;
        root.IsXsdt = xsdt;
        root.EntryCount = (int)((length - AcpiTable.HeaderSize) / (xsdt ? 8u : 4u));
    }
}
