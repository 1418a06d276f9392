// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// ACPI state as text, for the shell's `acpi` command and the boot log. Every line ends in
// '\n'; nothing allocates, and text beyond the builder's capacity is dropped (TextBuilder).
using Kernel.Diagnostics;

namespace Kernel.Acpi;

public static unsafe class AcpiText
{
    /// <summary>"BadChecksum (table bytes do not sum to 0 (bad checksum))".</summary>
    public static void AppendStatus(ref TextBuilder text, AcpiStatus status)
    {
        text.Append(AcpiStatusText.Name(status));
        if (status != AcpiStatus.Ok)
        {
            text.Append(" (");
            text.Append(AcpiStatusText.Message(status));
            text.Append(')');
        }
    }

    /// <summary>The root table and one line per entry: signature, address, length, revision,
    /// OEM id and table id, and whether it validates.</summary>
    public static void AppendTables(ref TextBuilder text, in AcpiRoot root)
    {
        if (root.Table == null)
        {
            text.Append("ACPI: no root table\n");
            return;
        }
        text.Append("ACPI: RSDP revision ");
        text.AppendDecimal((ulong)root.RsdpRevision);
        text.Append(root.IsXsdt ? ", XSDT at 0x" : ", RSDT at 0x");
        text.AppendHex(root.Address, 8);
        text.Append(", ");
        text.AppendDecimal((ulong)root.EntryCount);
        text.Append(root.EntryCount == 1 ? " entry\n" : " entries\n");
        if (root.XsdtStatus != AcpiStatus.Ok)
        {
            text.Append("  XSDT rejected: ");
            AppendStatus(ref text, root.XsdtStatus);
            text.Append("; using the RSDT\n");
        }
        for (int i = 0; i < root.EntryCount; i++)
        {
            RootTables.GetEntry(root, i, out ulong p);
            AppendTableLine(ref text, p, 0);
        }
    }

    /// <summary>One line for the table at <paramref name="physical"/> (signature 0 = any).</summary>
    public static void AppendTableLine(ref TextBuilder text, ulong physical, uint signature)
    {
        text.Append("  ");
        if (!AcpiTable.PeekSignature(physical, out uint s))
        {
            text.Append("???? 0x");
            text.AppendHex(physical, 8);
            text.Append("  ");
            AppendStatus(ref text, physical == 0 ? AcpiStatus.NullAddress : AcpiStatus.NotMapped);
            text.Append('\n');
            return;
        }
        AcpiSignature.Append(ref text, s);
        text.Append(" 0x");
        text.AppendHex(physical, 8);
        AcpiStatus status = AcpiTable.Map(physical, signature, out byte* t, out uint length);
        if (status == AcpiStatus.Ok)
        {
            AcpiTable.ReadHeader(t, out AcpiTableHeader h);
            text.Append(" len ");
            text.AppendDecimal((ulong)h.Length, 6, ' ');
            text.Append(" rev ");
            text.AppendDecimal((ulong)h.Revision);
            text.Append(" OEM ");
            text.AppendPaddedBytes(h.OemId, 6, 6, true);
            text.Append(' ');
            text.AppendPaddedBytes(h.OemTableId, 8, 8, true);
            text.Append(' ');
        }
        else
        {
            text.Append("  ");
        }
        AppendStatus(ref text, status);
        text.Append('\n');
    }

    public static void AppendMadt(ref TextBuilder text, MadtInfo* m)
    {
        text.Append("MADT: local APIC 0x");
        text.AppendHex(m->LocalApicAddress, 8);
        if (m->HasLocalApicOverride)
            text.Append(" (64-bit override)");
        text.Append(m->HasLegacyPics ? ", 8259 PICs present" : ", no 8259 PICs");
        text.Append(", ");
        text.AppendDecimal((ulong)m->EnabledProcessorCount);
        text.Append(" enabled CPU(s)");
        if (m->Status != AcpiStatus.Ok)
        {
            text.Append(", ");
            AppendStatus(ref text, m->Status);
            text.Append(" at offset ");
            text.AppendDecimal((ulong)m->ErrorOffset);
        }
        text.Append('\n');

        for (int i = 0; i < m->ProcessorCount; i++)
        {
            m->GetProcessor(i, out MadtProcessor p);
            text.Append("  cpu ");
            text.AppendDecimal((ulong)i);
            text.Append(p.IsX2Apic ? ": x2APIC id " : ": APIC id ");
            text.AppendDecimal((ulong)p.ApicId);
            text.Append(", UID ");
            text.AppendDecimal((ulong)p.Uid);
            text.Append(p.Enabled ? ", enabled" : p.OnlineCapable ? ", online-capable" : ", disabled");
            text.Append('\n');
        }
        for (int i = 0; i < m->IoApicCount; i++)
        {
            m->GetIoApic(i, out MadtIoApic a);
            text.Append("  I/O APIC id ");
            text.AppendDecimal((ulong)a.Id);
            text.Append(" at 0x");
            text.AppendHex(a.Address, 8);
            text.Append(", GSI base ");
            text.AppendDecimal((ulong)a.GsiBase);
            text.Append('\n');
        }
        for (int i = 0; i < m->OverrideCount; i++)
        {
            m->GetOverride(i, out MadtOverride o);
            text.Append(o.Bus == 0 ? "  ISA IRQ " : "  bus ");
            if (o.Bus != 0)
            {
                text.AppendDecimal((ulong)o.Bus);
                text.Append(" IRQ ");
            }
            text.AppendDecimal((ulong)o.Source);
            text.Append(" -> GSI ");
            text.AppendDecimal((ulong)o.Gsi);
            text.Append(" (");
            AppendIntiFlags(ref text, o.Flags);
            text.Append(")\n");
        }
        for (int i = 0; i < m->NmiSourceCount; i++)
        {
            m->GetNmiSource(i, out MadtNmiSource n);
            text.Append("  NMI source GSI ");
            text.AppendDecimal((ulong)n.Gsi);
            text.Append(" (");
            AppendIntiFlags(ref text, n.Flags);
            text.Append(")\n");
        }
        for (int i = 0; i < m->LocalNmiCount; i++)
        {
            m->GetLocalNmi(i, out MadtLocalNmi n);
            text.Append("  NMI on LINT");
            text.AppendDecimal((ulong)n.Lint);
            if (n.AllProcessors)
            {
                text.Append(" of all CPUs");
            }
            else
            {
                text.Append(" of UID ");
                text.AppendDecimal((ulong)n.ProcessorUid);
            }
            text.Append('\n');
        }
        if (m->UnknownEntryCount != 0 || m->SkippedEntryCount != 0 || m->DroppedEntryCount != 0)
        {
            text.Append("  entries: ");
            text.AppendDecimal((ulong)m->EntryCount);
            text.Append(", unknown ");
            text.AppendDecimal((ulong)m->UnknownEntryCount);
            text.Append(", skipped ");
            text.AppendDecimal((ulong)m->SkippedEntryCount);
            text.Append(", dropped ");
            text.AppendDecimal((ulong)m->DroppedEntryCount);
            text.Append('\n');
        }
    }

    /// <summary>"edge, active high" / "level, active low" / "default, default".</summary>
    public static void AppendIntiFlags(ref TextBuilder text, ushort flags)
    {
        switch (Madt.Trigger(flags))
        {
            case MadtTrigger.Edge: text.Append("edge"); break;
            case MadtTrigger.Level: text.Append("level"); break;
            case MadtTrigger.BusDefault: text.Append("default"); break;
            default: text.Append("reserved"); break;
        }
        text.Append(", ");
        switch (Madt.Polarity(flags))
        {
            case MadtPolarity.ActiveHigh: text.Append("active high"); break;
            case MadtPolarity.ActiveLow: text.Append("active low"); break;
            case MadtPolarity.BusDefault: text.Append("default"); break;
            default: text.Append("reserved"); break;
        }
    }

    public static void AppendFadt(ref TextBuilder text, FadtInfo* f)
    {
        if (f->Status != AcpiStatus.Ok)
        {
            text.Append("FADT: ");
            AppendStatus(ref text, f->Status);
            text.Append('\n');
            return;
        }
        text.Append("FADT: revision ");
        text.AppendDecimal((ulong)f->Revision);
        text.Append(", ");
        text.AppendDecimal((ulong)f->Length);
        text.Append(" bytes, SCI ");
        text.AppendDecimal((ulong)f->SciInterrupt);
        text.Append(", SMI_CMD 0x");
        text.AppendHex(f->SmiCommand, 1);
        text.Append(", PM1a_CNT 0x");
        text.AppendHex(f->Pm1aControlPort, 1);
        text.Append(", PM1b_CNT ");
        if (f->Pm1bControlPort == 0)
        {
            text.Append("none");
        }
        else
        {
            text.Append("0x");
            text.AppendHex(f->Pm1bControlPort, 1);
        }
        text.Append(", PM timer 0x");
        text.AppendHex(f->PmTimerBlock, 1);
        text.Append('\n');

        text.Append("  DSDT 0x");
        text.AppendHex(f->DsdtAddress, 8);
        text.Append(f->DsdtFromXField ? " (X_DSDT)" : "");
        text.Append(", century register ");
        if (f->CenturyIndex == 0)
        {
            text.Append("none");
        }
        else
        {
            text.Append("0x");
            text.AppendHex(f->CenturyIndex, 2);
        }
        text.Append(", reset ");
        if (f->ResetSupported)
        {
            text.Append(f->ResetRegister.IsIo ? "I/O 0x" : f->ResetRegister.AddressSpace == AcpiGenericAddress.SpaceMemory ? "memory 0x" : "space ");
            if (!f->ResetRegister.IsIo && f->ResetRegister.AddressSpace != AcpiGenericAddress.SpaceMemory)
            {
                text.AppendDecimal((ulong)f->ResetRegister.AddressSpace);
                text.Append(" 0x");
            }
            text.AppendHex(f->ResetRegister.Address, 1);
            text.Append(" <- 0x");
            text.AppendHex(f->ResetValue, 2);
        }
        else
        {
            text.Append("not supported");
        }
        text.Append(", 8042 ");
        text.Append(!f->HasBootArchitecture ? "assumed" : f->Has8042 ? "present" : "absent");
        text.Append('\n');
    }

    public static void AppendSleep(ref TextBuilder text, AcpiStatus status, byte slpTypA, byte slpTypB)
    {
        text.Append("S5 (soft off): ");
        if (status != AcpiStatus.Ok)
        {
            AppendStatus(ref text, status);
        }
        else
        {
            text.Append("SLP_TYPa ");
            text.AppendDecimal((ulong)slpTypA);
            text.Append(", SLP_TYPb ");
            text.AppendDecimal((ulong)slpTypB);
        }
        text.Append('\n');
    }

    /// <summary>
    /// The whole picture from the RSDP fields: tables, MADT, FADT, S5. Each part reports its own
    /// error and the rest goes on. Uses about 2 KiB of stack for the parsed MADT.
    /// </summary>
    public static void AppendSummary(ref TextBuilder text, byte rsdpRevision, uint rsdtAddress, ulong xsdtAddress)
    {
        AcpiStatus status = RootTables.Open(rsdpRevision, rsdtAddress, xsdtAddress, out AcpiRoot root);
        if (status != AcpiStatus.Ok)
        {
            text.Append("ACPI: cannot open the root table: ");
            AppendStatus(ref text, status);
            text.Append('\n');
            if (root.XsdtStatus != AcpiStatus.Ok && root.XsdtStatus != status)
            {
                text.Append("  XSDT: ");
                AppendStatus(ref text, root.XsdtStatus);
                text.Append('\n');
            }
            return;
        }
        AppendTables(ref text, root);

        MadtInfo madt;
        status = RootTables.Find(root, AcpiSignature.Madt, out byte* madtTable, out uint madtLength);
        if (status != AcpiStatus.Ok)
        {
            text.Append("MADT: ");
            AppendStatus(ref text, status);
            text.Append('\n');
        }
        else
        {
            Madt.Parse(madtTable, madtLength, &madt);
            AppendMadt(ref text, &madt);
        }

        FadtInfo fadt;
        Fadt.Load(root, &fadt);
        AppendFadt(ref text, &fadt);
        if (fadt.Status != AcpiStatus.Ok)
            return;
        status = Fadt.MapDsdt(&fadt, out byte* dsdt, out uint dsdtLength);
        byte a = 0, b = 0;
        if (status == AcpiStatus.Ok)
            status = SleepState.FindS5InTable(dsdt, dsdtLength, out a, out b);
        AppendSleep(ref text, status, a, b);
    }
}
