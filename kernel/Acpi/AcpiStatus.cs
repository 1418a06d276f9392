// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Outcome of every ACPI parse. Errors are values: firmware tables are input we do not
// control, so a bad table is reported (status + message literal), never trusted, never fatal.
namespace Kernel.Acpi;

public enum AcpiStatus
{
    Ok = 0,

    // ---- Reaching and validating one table -----------------------------------------
    NullAddress,
    NotMapped,
    LengthTooSmall,
    LengthTooLarge,
    BadChecksum,
    WrongSignature,
    NotFound,

    // ---- Root pointer and root tables ----------------------------------------------
    BadRsdp,
    NoRootTable,

    // ---- MADT ---------------------------------------------------------------------
    MadtTooShort,
    MadtEntryZeroLength,
    MadtEntryOverrun,
    MadtEntryTooShort,
    MadtFull,

    // ---- FADT, DSDT, sleep states --------------------------------------------------
    FadtTooShort,
    NoDsdt,
    NoSleepPackage,
}

public static class AcpiStatusText
{
    /// <summary>Short name for logs ("BadChecksum").</summary>
    public static string Name(AcpiStatus s)
    {
        switch (s)
        {
            case AcpiStatus.Ok: return "Ok";
            case AcpiStatus.NullAddress: return "NullAddress";
            case AcpiStatus.NotMapped: return "NotMapped";
            case AcpiStatus.LengthTooSmall: return "LengthTooSmall";
            case AcpiStatus.LengthTooLarge: return "LengthTooLarge";
            case AcpiStatus.BadChecksum: return "BadChecksum";
            case AcpiStatus.WrongSignature: return "WrongSignature";
            case AcpiStatus.NotFound: return "NotFound";
            case AcpiStatus.BadRsdp: return "BadRsdp";
            case AcpiStatus.NoRootTable: return "NoRootTable";
            case AcpiStatus.MadtTooShort: return "MadtTooShort";
            case AcpiStatus.MadtEntryZeroLength: return "MadtEntryZeroLength";
            case AcpiStatus.MadtEntryOverrun: return "MadtEntryOverrun";
            case AcpiStatus.MadtEntryTooShort: return "MadtEntryTooShort";
            case AcpiStatus.MadtFull: return "MadtFull";
            case AcpiStatus.FadtTooShort: return "FadtTooShort";
            case AcpiStatus.NoDsdt: return "NoDsdt";
            case AcpiStatus.NoSleepPackage: return "NoSleepPackage";
            default: return "Unknown";
        }
    }

    /// <summary>What went wrong, for a person reading dmesg.</summary>
    public static string Message(AcpiStatus s)
    {
        switch (s)
        {
            case AcpiStatus.Ok: return "ok";
            case AcpiStatus.NullAddress: return "table address is 0";
            case AcpiStatus.NotMapped: return "table lies outside the memory ACPI may read";
            case AcpiStatus.LengthTooSmall: return "table length is smaller than its header";
            case AcpiStatus.LengthTooLarge: return "table length is above 1 MiB";
            case AcpiStatus.BadChecksum: return "table bytes do not sum to 0 (bad checksum)";
            case AcpiStatus.WrongSignature: return "table signature is not the expected one";
            case AcpiStatus.NotFound: return "no valid table with that signature";
            case AcpiStatus.BadRsdp: return "RSDP is too short or has a bad signature, checksum or length";
            case AcpiStatus.NoRootTable: return "neither an RSDT nor an XSDT address was given";
            case AcpiStatus.MadtTooShort: return "MADT is shorter than its 44-byte fixed part";
            case AcpiStatus.MadtEntryZeroLength: return "MADT entry length is below 2 (walk stopped)";
            case AcpiStatus.MadtEntryOverrun: return "MADT entry runs past the end of the table (walk stopped)";
            case AcpiStatus.MadtEntryTooShort: return "MADT entry is shorter than its type requires (entry skipped)";
            case AcpiStatus.MadtFull: return "more MADT entries of one kind than the fixed capacity (extra dropped)";
            case AcpiStatus.FadtTooShort: return "FADT is shorter than the ACPI 1.0 size (116 bytes)";
            case AcpiStatus.NoDsdt: return "FADT gives no DSDT address";
            case AcpiStatus.NoSleepPackage: return "no well-formed _S5_ package in the AML";
            default: return "unknown ACPI status";
        }
    }
}
