using System;

namespace Harness;

public enum Firmware { Bios, Uefi }

public enum Medium { Cd, Usb }

/// <summary>Everything that defines one QEMU boot: which image, how it is attached, how long to wait.</summary>
public sealed record BootSpec(string Name, string Cmdline, Firmware Firmware, Medium Medium, string Memory, TimeSpan Timeout)
{
    // TCG without KVM: a BIOS boot takes about a second and OVMF about five. The limits leave
    // room for a loaded machine running two guests at once; tests never assert on time.
    public static readonly TimeSpan BiosTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan UefiTimeout = TimeSpan.FromSeconds(120);

    public static TimeSpan DefaultTimeout(Firmware firmware) =>
        firmware == Firmware.Uefi ? UefiTimeout : BiosTimeout;

    /// <summary>"bios-cd-256M": the name used for result logs and the PASS/FAIL line.</summary>
    public static string MatrixName(Firmware firmware, Medium medium, string memory) =>
        $"{firmware.ToString().ToLowerInvariant()}-{medium.ToString().ToLowerInvariant()}-{memory}";
}
