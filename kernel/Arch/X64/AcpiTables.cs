// The kernel's view of the firmware's ACPI tables: found from the RSDP copy GRUB handed over,
// each table mapped (cached) into the direct map and declared readable to the platform-neutral
// parsers in kernel/Acpi, which then validate them. What the rest of the kernel needs is kept:
// the MADT (interrupt controllers), the FADT (power, reset, RTC century) and the _S5 values.
// Mapping one table at a time (not whole reserved regions) keeps device registers that share
// a reserved region out of a cached mapping.
using Kernel.Acpi;
using Kernel.Boot.Multiboot2;
using Kernel.Diagnostics;

namespace Kernel.Arch.X64;

public static unsafe class AcpiTables
{
    const uint MaxTableBytes = 1 << 20;

    static AcpiRoot s_root;
    static MadtInfo s_madt;
    static FadtInfo s_fadt;
    static AcpiStatus s_rootStatus = AcpiStatus.NoRootTable, s_madtStatus = AcpiStatus.NotFound,
        s_fadtStatus = AcpiStatus.NotFound, s_s5Status = AcpiStatus.NotFound;
    static byte s_s5a, s_s5b;

    public static bool HasRoot => s_rootStatus == AcpiStatus.Ok;
    public static bool HasMadt => s_madtStatus == AcpiStatus.Ok;
    public static bool HasFadt => s_fadtStatus == AcpiStatus.Ok;
    public static bool HasS5 => s_s5Status == AcpiStatus.Ok;
    public static MadtInfo* Madt { get { fixed (MadtInfo* m = &s_madt) return m; } }
    public static FadtInfo* Fadt { get { fixed (FadtInfo* f = &s_fadt) return f; } }
    public static AcpiRoot Root => s_root;
    public static byte S5TypeA => s_s5a;
    public static byte S5TypeB => s_s5b;

    public static void Initialize(BootInfo* info)
    {
        if (!info->HasRsdp)
        {
            Log.Warning("acpi: the boot loader passed no RSDP: no MADT (8259 PIC only), no ACPI power-off");
            return;
        }
        info->GetRsdp(out byte* rsdp, out int length);
        // Map the root tables before the parser looks at them (it validates, we only map).
        MapTable(*(uint*)(rsdp + 16));
        if (length >= RootTables.RsdpV2Size && rsdp[15] >= 2) MapTable(*(ulong*)(rsdp + 24));
        s_rootStatus = RootTables.OpenRsdp(rsdp, length, out s_root);
        if (s_rootStatus != AcpiStatus.Ok)
        {
            Log.Error($"acpi: root table unusable: {AcpiStatusText.Message(s_rootStatus)}");
            return;
        }
        for (int i = 0; i < s_root.EntryCount; i++)
            if (RootTables.GetEntry(s_root, i, out ulong table)) MapTable(table);

        fixed (MadtInfo* m = &s_madt) s_madtStatus = Kernel.Acpi.Madt.Load(s_root, m);
        fixed (FadtInfo* f = &s_fadt)
        {
            s_fadtStatus = Kernel.Acpi.Fadt.Load(s_root, f);
            if (s_fadtStatus == AcpiStatus.Ok)
            {
                MapTable(f->DsdtAddress);
                s_s5Status = Kernel.Acpi.Fadt.MapDsdt(f, out byte* dsdt, out uint dsdtLength);
                if (s_s5Status == AcpiStatus.Ok) s_s5Status = SleepState.FindS5InTable(dsdt, dsdtLength, out s_s5a, out s_s5b);
            }
        }
        Log.Info($"acpi: {(s_root.IsXsdt ? "XSDT" : "RSDT")} with {s_root.EntryCount} tables; MADT {AcpiStatusText.Name(s_madtStatus)} ({s_madt.EnabledProcessorCount} CPUs, {s_madt.IoApicCount} I/O APICs, {s_madt.OverrideCount} overrides); FADT {AcpiStatusText.Name(s_fadtStatus)}; _S5 {AcpiStatusText.Name(s_s5Status)}");
    }

    /// <summary>Maps the table at <paramref name="physical"/> (its header first, to learn its
    /// length) and declares it readable. Garbage addresses map nothing and stay unreadable.</summary>
    static void MapTable(ulong physical)
    {
        if (physical == 0) return;
        byte* header = (byte*)DeviceMemory.Map(physical, AcpiTable.HeaderSize, DeviceCaching.Cached);
        if (header == null) return;
        uint length = *(uint*)(header + 4);
        if (length < AcpiTable.HeaderSize || length > MaxTableBytes) length = (uint)AcpiTable.HeaderSize;
        if (DeviceMemory.Map(physical, length, DeviceCaching.Cached) == null) return;
        AcpiMemory.AddReadableRange(physical, length);
    }

    /// <summary>The shell's `acpi` text: tables, MADT, FADT, _S5.</summary>
    public static void AppendText(ref TextBuilder text)
    {
        if (!HasRoot) { text.Append("acpi: no usable root table: "); AcpiText.AppendStatus(ref text, s_rootStatus); text.Append('\n'); return; }
        AcpiText.AppendTables(ref text, s_root);
        fixed (MadtInfo* m = &s_madt) AcpiText.AppendMadt(ref text, m);
        fixed (FadtInfo* f = &s_fadt) AcpiText.AppendFadt(ref text, f);
        AcpiText.AppendSleep(ref text, s_s5Status, s_s5a, s_s5b);
    }
}
