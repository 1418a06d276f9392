// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// The FADT ("FACP", ACPI 6.5 5.2.9): fixed hardware ports, the DSDT, reset and power-off.
// Offsets used here (a field exists only when the table's Length covers it; ACPI 1.0 tables
// are 116 bytes, 2.0 ones 244, 5.0 268, 6.x 276):
//    36 FIRMWARE_CTRL u32   40 DSDT u32   45 Preferred_PM_Profile u8   46 SCI_INT u16
//    48 SMI_CMD u32   52 ACPI_ENABLE u8   53 ACPI_DISABLE u8
//    56 PM1a_EVT_BLK u32   60 PM1b_EVT_BLK u32   64 PM1a_CNT_BLK u32   68 PM1b_CNT_BLK u32
//    76 PM_TMR_BLK u32   88 PM1_EVT_LEN u8   89 PM1_CNT_LEN u8   91 PM_TMR_LEN u8
//   108 CENTURY u8 (CMOS index, 0 = none)   109 IAPC_BOOT_ARCH u16   112 Flags u32
//   116 RESET_REG (GAS, 12)   128 RESET_VALUE u8   131 FADT minor version u8
//   132 X_FIRMWARE_CTRL u64   140 X_DSDT u64   172 X_PM1a_CNT_BLK (GAS)   184 X_PM1b_CNT_BLK (GAS)
// Generic Address Structure: 0 address space u8 (0 memory, 1 I/O), 1 bit width, 2 bit
// offset, 3 access size, 4 address u64.
namespace Kernel.Acpi;

public struct AcpiGenericAddress
{
    public const byte SpaceMemory = 0;
    public const byte SpaceIo = 1;
    public const byte SpacePciConfig = 2;

    public byte AddressSpace;
    public byte BitWidth;
    public byte BitOffset;
    public byte AccessSize;
    public ulong Address;

    public bool IsIo => AddressSpace == SpaceIo;
}

public struct FadtInfo
{
    public AcpiStatus Status;
    public uint Length;
    public byte Revision;
    public byte MinorVersion;

    public ulong FirmwareControl;
    /// <summary>The DSDT to use: X_DSDT when present and not 0, else the 32-bit DSDT field.</summary>
    public ulong DsdtAddress;
    public bool DsdtFromXField;

    public byte PreferredPmProfile;
    public ushort SciInterrupt;
    public uint SmiCommand;
    public byte AcpiEnable;
    public byte AcpiDisable;

    public uint Pm1aEventBlock;
    public uint Pm1bEventBlock;
    public uint Pm1aControlBlock;
    public uint Pm1bControlBlock;
    public uint PmTimerBlock;
    public byte Pm1EventLength;
    public byte Pm1ControlLength;
    public byte PmTimerLength;
    /// <summary>X_PM1a/b_CNT_BLK (ACPI 2.0+); zero when absent.</summary>
    public AcpiGenericAddress XPm1aControlBlock;
    public AcpiGenericAddress XPm1bControlBlock;

    /// <summary>CMOS index of the century register (0 = not provided).</summary>
    public byte CenturyIndex;
    /// <summary>IAPC_BOOT_ARCH; only meaningful when <see cref="HasBootArchitecture"/> (revision &gt;= 2).</summary>
    public ushort BootArchitecture;
    public bool HasBootArchitecture;
    public uint Flags;

    /// <summary>True when the table is long enough to carry RESET_REG and RESET_VALUE.</summary>
    public bool HasResetRegister;
    public AcpiGenericAddress ResetRegister;
    public byte ResetValue;

    /// <summary>Flags bit 10 RESET_REG_SUP and a reset register present.</summary>
    public bool ResetSupported => HasResetRegister && (Flags & Fadt.FlagResetRegisterSupported) != 0;
    public bool HardwareReduced => (Flags & Fadt.FlagHardwareReduced) != 0;
    /// <summary>IAPC_BOOT_ARCH bit 1: an 8042 keyboard controller is present. When the field is
    /// absent (ACPI 1.0) nothing is known and an 8042 is assumed.</summary>
    public bool Has8042 => !HasBootArchitecture || (BootArchitecture & Fadt.BootArch8042) != 0;

    /// <summary>PM1a control I/O port: the legacy field, else X_PM1a_CNT_BLK when it is in I/O
    /// space (0 when there is none).</summary>
    public ulong Pm1aControlPort => Pm1aControlBlock != 0 ? Pm1aControlBlock
        : XPm1aControlBlock.IsIo ? XPm1aControlBlock.Address : 0;
    public ulong Pm1bControlPort => Pm1bControlBlock != 0 ? Pm1bControlBlock
        : XPm1bControlBlock.IsIo ? XPm1bControlBlock.Address : 0;
}

public static unsafe class Fadt
{
    /// <summary>The ACPI 1.0 FADT size; shorter ones are rejected.</summary>
    public const uint MinLength = 116;
    public const uint FlagPowerButton = 1u << 4;
    public const uint FlagTimerValueExtended = 1u << 8;
    public const uint FlagResetRegisterSupported = 1u << 10;
    public const uint FlagHardwareReduced = 1u << 20;
    public const ushort BootArchLegacyDevices = 1 << 0;
    public const ushort BootArch8042 = 1 << 1;
    public const ushort BootArchNoVga = 1 << 2;
    public const ushort BootArchNoCmosRtc = 1 << 5;

    /// <summary>Finds the FADT through the root table, validates it and parses it.</summary>
    public static AcpiStatus Load(in AcpiRoot root, FadtInfo* info)
    {
        *info = default(FadtInfo);
        AcpiStatus status = RootTables.Find(root, AcpiSignature.Fadt, out byte* table, out uint length);
        if (status != AcpiStatus.Ok)
        {
            info->Status = status;
            return status;
        }
        return Parse(table, length, info);
    }

    /// <summary>Reads the fields the table's <paramref name="length"/> covers; the others stay 0.</summary>
    public static AcpiStatus Parse(byte* table, uint length, FadtInfo* info)
    {
        *info = default(FadtInfo);
        if (table == null)
            return info->Status = AcpiStatus.NullAddress;
        if (!AcpiTable.SignatureIs(table, AcpiSignature.Fadt))
            return info->Status = AcpiStatus.WrongSignature;
        if (length < MinLength)
            return info->Status = AcpiStatus.FadtTooShort;

        info->Length = length;
        info->Revision = table[8];
        info->FirmwareControl = AcpiTable.ReadU32(table + 36);
        info->DsdtAddress = AcpiTable.ReadU32(table + 40);
        info->PreferredPmProfile = table[45];
        info->SciInterrupt = AcpiTable.ReadU16(table + 46);
        info->SmiCommand = AcpiTable.ReadU32(table + 48);
        info->AcpiEnable = table[52];
        info->AcpiDisable = table[53];
        info->Pm1aEventBlock = AcpiTable.ReadU32(table + 56);
        info->Pm1bEventBlock = AcpiTable.ReadU32(table + 60);
        info->Pm1aControlBlock = AcpiTable.ReadU32(table + 64);
        info->Pm1bControlBlock = AcpiTable.ReadU32(table + 68);
        info->PmTimerBlock = AcpiTable.ReadU32(table + 76);
        info->Pm1EventLength = table[88];
        info->Pm1ControlLength = table[89];
        info->PmTimerLength = table[91];
        info->CenturyIndex = table[108];
        info->Flags = AcpiTable.ReadU32(table + 112);

        // IAPC_BOOT_ARCH is reserved in ACPI 1.0 (revision 1): only trust it from revision 2.
        if (info->Revision >= 2)
        {
            info->BootArchitecture = AcpiTable.ReadU16(table + 109);
            info->HasBootArchitecture = true;
        }
        if (length >= 129)
        {
            ReadGas(table + 116, &info->ResetRegister);
            info->ResetValue = table[128];
            info->HasResetRegister = true;
        }
        if (length >= 132)
            info->MinorVersion = (byte)(table[131] & 0x0f);
        if (length >= 140)
        {
            ulong x = AcpiTable.ReadU64(table + 132);
            if (x != 0)
                info->FirmwareControl = x;
        }
        if (length >= 148)
        {
            ulong x = AcpiTable.ReadU64(table + 140);
            if (x != 0)
            {
                info->DsdtAddress = x;
                info->DsdtFromXField = true;
            }
        }
        if (length >= 184)
            ReadGas(table + 172, &info->XPm1aControlBlock);
        if (length >= 196)
            ReadGas(table + 184, &info->XPm1bControlBlock);
        return AcpiStatus.Ok;
    }

    /// <summary>Validates the DSDT the FADT points at ("DSDT" signature, length, checksum).</summary>
    public static AcpiStatus MapDsdt(FadtInfo* info, out byte* table, out uint length)
    {
        table = null;
        length = 0;
        if (info->DsdtAddress == 0)
            return AcpiStatus.NoDsdt;
        return AcpiTable.Map(info->DsdtAddress, AcpiSignature.Dsdt, out table, out length);
    }

    static void ReadGas(byte* p, AcpiGenericAddress* gas)
    {
        gas->AddressSpace = p[0];
        gas->BitWidth = p[1];
        gas->BitOffset = p[2];
        gas->AccessSize = p[3];
        gas->Address = AcpiTable.ReadU64(p + 4);
    }
}
