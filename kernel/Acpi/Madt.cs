// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// The MADT ("APIC", ACPI 6.5 5.2.12): how interrupts reach the CPUs.
//   36 Local Interrupt Controller Address u32   40 Flags u32 (bit 0 PCAT_COMPAT: 8259s present)
//   44 entries: type u8, length u8, then type-specific fields:
//     0 Processor Local APIC (8):   2 ACPI processor UID u8, 3 APIC ID u8, 4 flags u32
//                                   (bit 0 Enabled, bit 1 Online Capable)
//     1 I/O APIC (12):              2 I/O APIC ID u8, 4 address u32, 8 GSI base u32
//     2 Interrupt Source Override (10): 2 bus u8 (0 = ISA), 3 source IRQ u8, 4 GSI u32,
//                                   8 MPS INTI flags u16
//     3 NMI Source (8):             2 flags u16, 4 GSI u32
//     4 Local APIC NMI (6):         2 ACPI processor UID u8 (0xff = all), 3 flags u16, 5 LINT# u8
//     5 Local APIC Address Override (12): 4 64-bit local APIC address
//     9 Processor Local x2APIC (16): 4 x2APIC ID u32, 8 flags u32, 12 UID u32
//    10 Local x2APIC NMI (12):      2 flags u16, 4 UID u32 (0xffffffff = all), 8 LINT# u8
// MPS INTI flags: bits 0-1 polarity (0 bus default, 1 active high, 3 active low), bits 2-3
// trigger mode (0 bus default, 1 edge, 3 level). ISA's default is edge, active high.
// QEMU's MADT overrides ISA IRQ 0 (PIT) to GSI 2, and IRQs 5, 9, 10, 11 to level/active high.
using Kernel.Diagnostics;

namespace Kernel.Acpi;

public struct MadtProcessor
{
    public uint ApicId;
    public uint Uid;
    public uint Flags;
    public bool IsX2Apic;
    public bool Enabled => (Flags & Madt.ProcessorEnabled) != 0;
    public bool OnlineCapable => (Flags & Madt.ProcessorOnlineCapable) != 0;
}

public struct MadtIoApic
{
    public byte Id;
    public uint Address;
    public uint GsiBase;
}

public struct MadtOverride
{
    public byte Bus;
    public byte Source;
    public uint Gsi;
    public ushort Flags;
}

/// <summary>A Local APIC NMI (type 4 or 10): which LINT pin carries NMI on which processors.</summary>
public struct MadtLocalNmi
{
    public uint ProcessorUid;
    public bool AllProcessors;
    public ushort Flags;
    public byte Lint;
}

/// <summary>An NMI Source (type 3): a GSI wired to NMI.</summary>
public struct MadtNmiSource
{
    public uint Gsi;
    public ushort Flags;
}

public enum MadtPolarity { BusDefault = 0, ActiveHigh = 1, Reserved = 2, ActiveLow = 3 }
public enum MadtTrigger { BusDefault = 0, Edge = 1, Reserved = 2, Level = 3 }

/// <summary>
/// Everything kept from one MADT, in fixed-capacity arrays (about 1.6 KiB: keep it in a static
/// or behind a pointer). Counts never exceed the capacities; entries beyond them are counted in
/// <see cref="DroppedEntryCount"/>.
/// </summary>
public unsafe struct MadtInfo
{
    public const int MaxProcessors = 64;
    public const int MaxIoApics = 8;
    public const int MaxOverrides = 24;
    public const int MaxLocalNmis = 16;
    public const int MaxNmiSources = 8;

    /// <summary>First error met (Ok when the whole table was well-formed).</summary>
    public AcpiStatus Status;
    /// <summary>Offset in the table of the entry where <see cref="Status"/> was found.</summary>
    public uint ErrorOffset;

    /// <summary>The local APIC base: the 64-bit override (type 5) if any, else the 32-bit field.</summary>
    public ulong LocalApicAddress;
    public uint LocalApicAddress32;
    public bool HasLocalApicOverride;
    public uint Flags;
    public bool HasLegacyPics => (Flags & Madt.PcatCompat) != 0;

    public int EntryCount;
    public int UnknownEntryCount;
    public int SkippedEntryCount;
    public int DroppedEntryCount;

    public int ProcessorCount;
    public int EnabledProcessorCount;
    public fixed uint ProcessorApicId[MaxProcessors];
    public fixed uint ProcessorUid[MaxProcessors];
    public fixed uint ProcessorFlags[MaxProcessors];
    public fixed bool ProcessorIsX2Apic[MaxProcessors];

    public int IoApicCount;
    public fixed byte IoApicId[MaxIoApics];
    public fixed uint IoApicAddress[MaxIoApics];
    public fixed uint IoApicGsiBase[MaxIoApics];

    public int OverrideCount;
    public fixed byte OverrideBus[MaxOverrides];
    public fixed byte OverrideSource[MaxOverrides];
    public fixed uint OverrideGsi[MaxOverrides];
    public fixed ushort OverrideFlags[MaxOverrides];

    public int LocalNmiCount;
    public fixed uint LocalNmiUid[MaxLocalNmis];
    public fixed bool LocalNmiAll[MaxLocalNmis];
    public fixed ushort LocalNmiFlags[MaxLocalNmis];
    public fixed byte LocalNmiLint[MaxLocalNmis];

    public int NmiSourceCount;
    public fixed uint NmiSourceGsi[MaxNmiSources];
    public fixed ushort NmiSourceFlags[MaxNmiSources];

    public bool GetProcessor(int i, out MadtProcessor p)
    {
        p = default(MadtProcessor);
        if (i < 0 || i >= ProcessorCount)
            return false;
        p.ApicId = ProcessorApicId[i];
        p.Uid = ProcessorUid[i];
        p.Flags = ProcessorFlags[i];
        p.IsX2Apic = ProcessorIsX2Apic[i];
        return true;
    }

    public bool GetIoApic(int i, out MadtIoApic a)
    {
        a = default(MadtIoApic);
        if (i < 0 || i >= IoApicCount)
            return false;
        a.Id = IoApicId[i];
        a.Address = IoApicAddress[i];
        a.GsiBase = IoApicGsiBase[i];
        return true;
    }

    public bool GetOverride(int i, out MadtOverride o)
    {
        o = default(MadtOverride);
        if (i < 0 || i >= OverrideCount)
            return false;
        o.Bus = OverrideBus[i];
        o.Source = OverrideSource[i];
        o.Gsi = OverrideGsi[i];
        o.Flags = OverrideFlags[i];
        return true;
    }

    public bool GetLocalNmi(int i, out MadtLocalNmi n)
    {
        n = default(MadtLocalNmi);
        if (i < 0 || i >= LocalNmiCount)
            return false;
        n.ProcessorUid = LocalNmiUid[i];
        n.AllProcessors = LocalNmiAll[i];
        n.Flags = LocalNmiFlags[i];
        n.Lint = LocalNmiLint[i];
        return true;
    }

    public bool GetNmiSource(int i, out MadtNmiSource n)
    {
        n = default(MadtNmiSource);
        if (i < 0 || i >= NmiSourceCount)
            return false;
        n.Gsi = NmiSourceGsi[i];
        n.Flags = NmiSourceFlags[i];
        return true;
    }

    /// <summary>
    /// The GSI that ISA IRQ <paramref name="irq"/> arrives on, honouring an Interrupt Source
    /// Override for bus 0 (QEMU: IRQ 0 -> GSI 2); without one the mapping is the identity and
    /// <paramref name="flags"/> is 0 (ISA default: edge, active high).
    /// </summary>
    public uint IsaIrqToGsi(int irq, out ushort flags)
    {
        for (int i = 0; i < OverrideCount; i++)
        {
            if (OverrideBus[i] == 0 && OverrideSource[i] == irq)
            {
                flags = OverrideFlags[i];
                return OverrideGsi[i];
            }
        }
        flags = 0;
        return (uint)irq;
    }

    /// <summary>The I/O APIC serving <paramref name="gsi"/>: the one with the highest GSI base
    /// not above it. (How many inputs it has is in its version register, not in the MADT.)</summary>
    public bool FindIoApicForGsi(uint gsi, out MadtIoApic ioApic)
    {
        ioApic = default(MadtIoApic);
        int best = -1;
        for (int i = 0; i < IoApicCount; i++)
        {
            if (IoApicGsiBase[i] <= gsi && (best < 0 || IoApicGsiBase[i] > IoApicGsiBase[best]))
                best = i;
        }
        return best >= 0 && GetIoApic(best, out ioApic);
    }
}

public static unsafe class Madt
{
    public const int FixedSize = 44;
    public const uint PcatCompat = 1;
    public const uint ProcessorEnabled = 1;
    public const uint ProcessorOnlineCapable = 2;

    public const byte TypeLocalApic = 0;
    public const byte TypeIoApic = 1;
    public const byte TypeOverride = 2;
    public const byte TypeNmiSource = 3;
    public const byte TypeLocalApicNmi = 4;
    public const byte TypeLocalApicAddressOverride = 5;
    public const byte TypeLocalX2Apic = 9;
    public const byte TypeLocalX2ApicNmi = 10;

    public static MadtPolarity Polarity(ushort flags) { return (MadtPolarity)(flags & 3); }
    public static MadtTrigger Trigger(ushort flags) { return (MadtTrigger)((flags >> 2) & 3); }

    /// <summary>Polarity for an ISA interrupt: "bus default" means active high.</summary>
    public static bool IsaActiveLow(ushort flags) { return Polarity(flags) == MadtPolarity.ActiveLow; }

    /// <summary>Trigger mode for an ISA interrupt: "bus default" means edge.</summary>
    public static bool IsaLevelTriggered(ushort flags) { return Trigger(flags) == MadtTrigger.Level; }

    /// <summary>Finds the MADT through the root table, validates it and parses it.</summary>
    public static AcpiStatus Load(in AcpiRoot root, MadtInfo* info)
    {
        *info = default(MadtInfo);
        AcpiStatus status = RootTables.Find(root, AcpiSignature.Madt, out byte* table, out uint length);
        if (status != AcpiStatus.Ok)
        {
            info->Status = status;
            return status;
        }
        return Parse(table, length, info);
    }

    /// <summary>
    /// Parses a MADT of <paramref name="length"/> readable bytes (already checksummed by
    /// <see cref="AcpiTable.Map"/>). Never reads past <paramref name="length"/>. An entry whose
    /// length is below 2 or runs past the end stops the walk (what was read stays); an entry too
    /// short for its type is skipped. The first error is returned and kept in Status.
    /// </summary>
    public static AcpiStatus Parse(byte* table, uint length, MadtInfo* info)
    {
        *info = default(MadtInfo);
        if (table == null)
            return info->Status = AcpiStatus.NullAddress;
        if (length < FixedSize)
            return info->Status = AcpiStatus.MadtTooShort;
        if (!AcpiTable.SignatureIs(table, AcpiSignature.Madt))
            return info->Status = AcpiStatus.WrongSignature;

        info->LocalApicAddress32 = AcpiTable.ReadU32(table + 36);
        info->LocalApicAddress = info->LocalApicAddress32;
        info->Flags = AcpiTable.ReadU32(table + 40);

        uint offset = FixedSize;
        while (offset < length)
        {
            if (length - offset < 2)
            {
                Fail(info, AcpiStatus.MadtEntryOverrun, offset);
                break;
            }
            byte* e = table + offset;
            uint n = e[1];
            if (n < 2)
            {
                // A zero length would never advance: stop here.
                Fail(info, AcpiStatus.MadtEntryZeroLength, offset);
                break;
            }
            if (n > length - offset)
            {
                Fail(info, AcpiStatus.MadtEntryOverrun, offset);
                break;
            }
            info->EntryCount++;
            ParseEntry(info, e, n, offset);
            offset += n;
        }
        return info->Status;
    }

    static void ParseEntry(MadtInfo* info, byte* e, uint n, uint offset)
    {
        switch (e[0])
        {
            case TypeLocalApic:
                if (!Need(info, n, 8, offset))
                    return;
                AddProcessor(info, e[3], e[2], AcpiTable.ReadU32(e + 4), false, offset);
                return;
            case TypeLocalX2Apic:
                if (!Need(info, n, 16, offset))
                    return;
                AddProcessor(info, AcpiTable.ReadU32(e + 4), AcpiTable.ReadU32(e + 12), AcpiTable.ReadU32(e + 8), true, offset);
                return;
            case TypeIoApic:
                if (!Need(info, n, 12, offset))
                    return;
                if (!Room(info, info->IoApicCount, MadtInfo.MaxIoApics, offset))
                    return;
                {
                    int i = info->IoApicCount++;
                    info->IoApicId[i] = e[2];
                    info->IoApicAddress[i] = AcpiTable.ReadU32(e + 4);
                    info->IoApicGsiBase[i] = AcpiTable.ReadU32(e + 8);
                }
                return;
            case TypeOverride:
                if (!Need(info, n, 10, offset))
                    return;
                if (!Room(info, info->OverrideCount, MadtInfo.MaxOverrides, offset))
                    return;
                {
                    int i = info->OverrideCount++;
                    info->OverrideBus[i] = e[2];
                    info->OverrideSource[i] = e[3];
                    info->OverrideGsi[i] = AcpiTable.ReadU32(e + 4);
                    info->OverrideFlags[i] = AcpiTable.ReadU16(e + 8);
                }
                return;
            case TypeNmiSource:
                if (!Need(info, n, 8, offset))
                    return;
                if (!Room(info, info->NmiSourceCount, MadtInfo.MaxNmiSources, offset))
                    return;
                {
                    int i = info->NmiSourceCount++;
                    info->NmiSourceFlags[i] = AcpiTable.ReadU16(e + 2);
                    info->NmiSourceGsi[i] = AcpiTable.ReadU32(e + 4);
                }
                return;
            case TypeLocalApicNmi:
                if (!Need(info, n, 6, offset))
                    return;
                AddLocalNmi(info, e[2], e[2] == 0xff, AcpiTable.ReadU16(e + 3), e[5], offset);
                return;
            case TypeLocalX2ApicNmi:
                if (!Need(info, n, 12, offset))
                    return;
                {
                    uint uid = AcpiTable.ReadU32(e + 4);
                    AddLocalNmi(info, uid, uid == 0xffffffff, AcpiTable.ReadU16(e + 2), e[8], offset);
                }
                return;
            case TypeLocalApicAddressOverride:
                if (!Need(info, n, 12, offset))
                    return;
                info->LocalApicAddress = AcpiTable.ReadU64(e + 4);
                info->HasLocalApicOverride = true;
                return;
            default:
                info->UnknownEntryCount++;
                return;
        }
    }

    static void AddProcessor(MadtInfo* info, uint apicId, uint uid, uint flags, bool x2, uint offset)
    {
        if ((flags & ProcessorEnabled) != 0)
            info->EnabledProcessorCount++;
        if (!Room(info, info->ProcessorCount, MadtInfo.MaxProcessors, offset))
            return;
        int i = info->ProcessorCount++;
        info->ProcessorApicId[i] = apicId;
        info->ProcessorUid[i] = uid;
        info->ProcessorFlags[i] = flags;
        info->ProcessorIsX2Apic[i] = x2;
    }

    static void AddLocalNmi(MadtInfo* info, uint uid, bool all, ushort flags, byte lint, uint offset)
    {
        if (!Room(info, info->LocalNmiCount, MadtInfo.MaxLocalNmis, offset))
            return;
        int i = info->LocalNmiCount++;
        info->LocalNmiUid[i] = uid;
        info->LocalNmiAll[i] = all;
        info->LocalNmiFlags[i] = flags;
        info->LocalNmiLint[i] = lint;
    }

    static bool Need(MadtInfo* info, uint have, uint need, uint offset)
    {
        if (have >= need)
            return true;
        info->SkippedEntryCount++;
        Fail(info, AcpiStatus.MadtEntryTooShort, offset);
        return false;
    }

    static bool Room(MadtInfo* info, int count, int capacity, uint offset)
    {
        if (count < capacity)
            return true;
        info->DroppedEntryCount++;
        Fail(info, AcpiStatus.MadtFull, offset);
        return false;
    }

    static void Fail(MadtInfo* info, AcpiStatus status, uint offset)
    {
        if (info->Status != AcpiStatus.Ok)
            return;
        info->Status = status;
        info->ErrorOffset = offset;
    }
}
