using System;
using System.Collections.Generic;

namespace Harness;

/// <summary>
/// The boot matrix: the kernel runs every fast in-guest suite (test=all) under each firmware,
/// from each medium, at each memory size, and every boot must end with a complete, all-passing
/// KTAP report and the "success" exit status.
/// </summary>
public static class BootMatrix
{
    public const string Cmdline = "test=all";
    public const string NoApicCmdline = "test=cpu,irq,timer,drivers noapic";

    /// <summary>One line of the matrix table: a memory size and the firmware/medium pairs to boot at it.</summary>
    public sealed record Row(string Memory, Firmware[] Firmwares, Medium[] Media);

    private static readonly Firmware[] BothFirmwares = { Firmware.Bios, Firmware.Uefi };
    private static readonly Medium[] BothMedia = { Medium.Cd, Medium.Usb };

    /// <summary>
    /// Each row expands to every firmware x medium pair it lists; the boot is named
    /// firmware-medium-memory. OVMF itself crashes with only 32M of RAM, so that row is BIOS
    /// only. 3584M puts RAM on both sides of QEMU's PCI hole (a hole in the frame map); 8G
    /// adds a Normal zone above 4 GiB. The large sizes boot from CD only: the medium does not
    /// change anything the memory manager sees.
    /// </summary>
    public static readonly Row[] Rows =
    {
        new Row("32M", new[] { Firmware.Bios }, new[] { Medium.Cd }),
        new Row("256M", BothFirmwares, BothMedia),
        new Row("3584M", BothFirmwares, new[] { Medium.Cd }),
        new Row("8G", BothFirmwares, new[] { Medium.Cd }),
    };

    /// <summary>A test=all boot with extra kernel options (debug modes every suite must also
    /// pass under), named after the matrix boot plus a suffix.</summary>
    public sealed record OptionBoot(string Options, string Suffix, string Memory, Firmware Firmware, Medium Medium);

    /// <summary>
    /// Every suite must pass with slab debugging on too (red zones, poisoning, owner tracking,
    /// checked frees on every cache): one BIOS/CD boot at 256M, and one at 8G where the slab
    /// exhaustion case takes the most memory away.
    /// </summary>
    public static readonly OptionBoot[] OptionBoots =
    {
        new OptionBoot("slab_debug=FZPU", "slab_debug", "256M", Firmware.Bios, Medium.Cd),
        new OptionBoot("slab_debug=FZPU", "slab_debug", "8G", Firmware.Bios, Medium.Cd),
        // The soak suites run only when named: 10,000 fork+exit lifetimes must lose no frame.
        // (A repeated key's last value counts, so this boot runs every suite plus the soak.)
        new OptionBoot("test=all,mm-soak", "soak", "256M", Firmware.Bios, Medium.Cd),
    };

    /// <summary>The boots to run; memoryOverride (from --mem) replaces the table's sizes (and
    /// the option boots' sizes).</summary>
    public static List<BootSpec> Specs(IReadOnlyList<string>? memoryOverride, TimeSpan? timeout)
    {
        IEnumerable<Row> rows = Rows;
        if (memoryOverride != null && memoryOverride.Count > 0)
        {
            var custom = new List<Row>();
            foreach (string mem in memoryOverride)
                custom.Add(new Row(mem, BothFirmwares, BothMedia));
            rows = custom;
        }

        var specs = new List<BootSpec>();
        foreach (Row row in rows)
            foreach (Firmware fw in row.Firmwares)
                foreach (Medium medium in row.Media)
                    specs.Add(new BootSpec(BootSpec.MatrixName(fw, medium, row.Memory), Cmdline, fw, medium,
                        row.Memory, timeout ?? BootSpec.DefaultTimeout(fw)));
        // The 8259 fallback: the interrupt, timer and driver suites again with the APIC off.
        if (memoryOverride == null || memoryOverride.Count == 0)
            specs.Add(new BootSpec("bios-cd-256M-noapic", NoApicCmdline, Firmware.Bios, Medium.Cd, "256M",
                timeout ?? BootSpec.DefaultTimeout(Firmware.Bios)));
        var optionMemories = new HashSet<string>();
        foreach (OptionBoot o in OptionBoots)
        {
            bool overridden = memoryOverride != null && memoryOverride.Count > 0;
            string memory = overridden ? memoryOverride![0] : o.Memory;
            if (!optionMemories.Add(o.Options + "@" + memory))
                continue;
            specs.Add(new BootSpec(BootSpec.MatrixName(o.Firmware, o.Medium, memory) + "-" + o.Suffix,
                Cmdline + " " + o.Options, o.Firmware, o.Medium, memory, timeout ?? BootSpec.DefaultTimeout(o.Firmware)));
        }
        return specs;
    }

    /// <summary>
    /// A test boot passes only if all of these hold: QEMU exited by itself with status 1,
    /// nothing printed a panic or exception report, the KTAP output is complete and well formed,
    /// no result is "not ok", and at least one case ran (an empty run proves nothing).
    /// </summary>
    public static BootVerdict Judge(BootSpec spec, QemuRun run)
    {
        var reasons = new List<string>();
        string? abnormal = run.Abnormal();
        if (abnormal != null)
            reasons.Add(abnormal);
        else if (run.ExitCode != 1)
            reasons.Add(QemuRun.DescribeStatus(run.ExitCode ?? -1) + run.StdErrHint());

        string? panic = FindPanic(run.Serial);
        if (panic != null)
            reasons.Add("panic on serial: " + panic);

        KtapReport ktap = KtapParser.Parse(run.Serial);
        if (run.Serial.Length == 0)
            reasons.Add("no serial output at all");
        else if (!ktap.HeaderFound)
            reasons.Add("no KTAP output ('KTAP version 1' line missing)");
        foreach (string error in ktap.HeaderFound ? ktap.Errors : new List<string>())
            reasons.Add("KTAP: " + error);
        if (ktap.NotOk.Count > 0)
            reasons.Add("not ok: " + string.Join(", ", ktap.NotOk));
        if (ktap.HeaderFound && ktap.Complete && ktap.Cases.Count == 0)
            reasons.Add("KTAP reports no test cases");

        string detail = $"{ktap.Cases.Count} cases" + (ktap.Skipped > 0 ? $", {ktap.Skipped} skipped" : "");
        return new BootVerdict(spec.Name, run.Duration, reasons, detail, ktap, run.LogPath, run.Serial);
    }

    /// <summary>The first line that shows the kernel died: a panic message or an exception report.</summary>
    public static string? FindPanic(string serial)
    {
        foreach (string line in KtapParser.SplitLines(serial))
        {
            string trimmed = line.Trim();
            if (trimmed.Contains("KERNEL PANIC", StringComparison.Ordinal) ||
                trimmed.Contains("end Kernel panic", StringComparison.Ordinal) ||
                trimmed.StartsWith("EXCEPTION #", StringComparison.Ordinal))
                return trimmed;
        }
        return null;
    }
}
