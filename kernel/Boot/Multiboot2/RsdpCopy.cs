// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
namespace Kernel.Boot.Multiboot2;

/// <summary>
/// Validates and copies the ACPI Root System Description Pointer that tags 14 and 15 carry.
/// Layout (ACPI spec): "RSD PTR " signature (8), checksum (1), OEM id (6), revision (1),
/// RSDT address (u32) = 20 bytes for v1; v2+ adds length (u32), XSDT address (u64),
/// extended checksum (1), reserved (3) = 36 bytes. The v1 checksum makes the first 20 bytes
/// sum to 0 (mod 256); the extended one makes all <c>length</c> bytes sum to 0.
/// </summary>
public static unsafe class RsdpCopy
{
    public const int V1Size = 20;
    public const int V2Size = 36;

    public static bool HasSignature(byte* p)
    {
        return p[0] == (byte)'R' && p[1] == (byte)'S' && p[2] == (byte)'D' && p[3] == (byte)' '
            && p[4] == (byte)'P' && p[5] == (byte)'T' && p[6] == (byte)'R' && p[7] == (byte)' ';
    }

    /// <summary>Sum of n bytes, modulo 256.</summary>
    public static byte Checksum(byte* p, int n)
    {
        byte sum = 0;
        for (int i = 0; i < n; i++)
            sum = (byte)(sum + p[i]);
        return sum;
    }

    /// <summary>
    /// Checks the RSDP at <paramref name="p"/> (<paramref name="available"/> bytes readable,
    /// from a tag of type <paramref name="tag"/>) and on success copies it into
    /// <paramref name="info"/>. Tag 14 needs a v1 RSDP (20 bytes), tag 15 a v2+ one (36 bytes
    /// and a length field that fits). On failure <paramref name="info"/> is not touched.
    /// </summary>
    public static bool Validate(byte* p, uint available, uint tag, BootInfo* info, out string message)
    {
        bool extended = tag == Multiboot2Tag.AcpiNew;
        uint need = extended ? (uint)V2Size : (uint)V1Size;
        if (available < need)
        {
            message = extended ? "ACPI new RSDP tag shorter than 36 bytes" : "ACPI old RSDP tag shorter than 20 bytes";
            return false;
        }
        if (!HasSignature(p))
        {
            message = "RSDP signature is not \"RSD PTR \"";
            return false;
        }
        if (Checksum(p, V1Size) != 0)
        {
            message = "RSDP checksum (first 20 bytes) does not sum to 0";
            return false;
        }
        if (extended)
        {
            uint length = *(uint*)(p + 20);
            if (length < (uint)V2Size || length > available)
            {
                message = "RSDP v2 length field is below 36 or beyond the tag";
                return false;
            }
            if (Checksum(p, (int)length) != 0)
            {
                message = "RSDP extended checksum does not sum to 0";
                return false;
            }
        }

        int n = extended ? V2Size : V1Size;
        for (int i = 0; i < n; i++)
            info->Rsdp[i] = p[i];
        for (int i = n; i < BootInfo.MaxRsdpBytes; i++)
            info->Rsdp[i] = 0;
        info->HasRsdp = true;
        info->RsdpTag = tag;
        info->RsdpLength = n;
        info->RsdpRevision = p[15];
        info->RsdtAddress = *(uint*)(p + 16);
        info->XsdtAddress = extended ? *(ulong*)(p + 24) : 0;
        message = "";
        return true;
    }
}
