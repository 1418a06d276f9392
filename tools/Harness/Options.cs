using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Harness;

/// <summary>Command-line options. Paths default to the repository layout (build/, tools/).</summary>
public sealed class Options
{
    public const string Usage = @"usage: Harness <command> [options]

commands:
  matrix        boot test=all under BIOS/UEFI x CD/USB x memory sizes; KTAP must pass
  expect-fail   deliberate crashes (crash=divide, ...) must print their report and exit 7
  shell         interactive sessions: every shell command over serial, keyboard (sendkey),
                screen (VGA text memory, UEFI screendump), poweroff and reboot
  user          user programs from the initrd run as init=/bin/NAME: output and exit status
  all           matrix, then expect-fail, then shell, then user
  boot          one boot with serial shown live, for debugging:
                  --cmdline ""..."" [--uefi] [--usb] [--mem 256M] [--timeout S] [--name N]

options:
  --kernel PATH     kernel ELF (default build/kernel.elf)
  --out DIR         serial logs (default build/test-results)
  --images DIR      built images (default build/test-images)
  --mkimage PATH    image script (default tools/mkimage.sh)
  --qemu PATH       QEMU binary (default qemu-system-x86_64)
  --jobs N          QEMUs at once (default 2)
  --mem SIZE        matrix: boot at SIZE instead of the table's sizes (repeatable)
  --only TEXT       run only boots whose name contains TEXT (repeatable)
  --timeout S       override the per-boot time limit (BIOS 60 s, UEFI 120 s)
  --echo            copy every guest's serial output to stdout as it arrives";

    public string Command = "";
    public string Root = "";
    public string Kernel = "";
    public string OutDir = "";
    public string ImageDir = "";
    public string MkImage = "";
    public string Qemu = "qemu-system-x86_64";
    public int Jobs = 2;
    public bool Echo;
    public List<string> Memory = new List<string>();
    public List<string> Only = new List<string>();
    public TimeSpan? Timeout;

    // boot only
    public string? Cmdline;
    public string? Name;
    public bool Uefi;
    public bool Usb;

    /// <summary>Parses args; returns null and sets error on bad input.</summary>
    public static Options? Parse(string[] args, out string? error)
    {
        error = null;
        var o = new Options();
        o.Root = FindRoot();
        string? kernel = null, outDir = null, images = null, mkimage = null;

        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value()
            {
                if (i + 1 >= args.Length) throw new FormatException($"{a} needs a value");
                return args[++i];
            }

            try
            {
                switch (a)
                {
                    case "--kernel": kernel = Value(); break;
                    case "--out": outDir = Value(); break;
                    case "--images": images = Value(); break;
                    case "--mkimage": mkimage = Value(); break;
                    case "--qemu": o.Qemu = Value(); break;
                    case "--jobs": o.Jobs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--mem": o.Memory.Add(Value()); break;
                    case "--only": o.Only.Add(Value()); break;
                    case "--timeout": o.Timeout = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)); break;
                    case "--echo": o.Echo = true; break;
                    case "--cmdline": o.Cmdline = Value(); break;
                    case "--name": o.Name = Value(); break;
                    case "--uefi": o.Uefi = true; break;
                    case "--usb": o.Usb = true; break;
                    case "-h": case "--help": case "help": o.Command = "help"; break;
                    default:
                        if (a.StartsWith('-') || o.Command.Length > 0)
                            throw new FormatException($"unknown argument '{a}'");
                        o.Command = a;
                        break;
                }
            }
            catch (FormatException e)
            {
                error = e.Message;
                return null;
            }
        }

        o.Kernel = Path.GetFullPath(kernel ?? Path.Combine(o.Root, "build", "kernel.elf"));
        o.OutDir = Path.GetFullPath(outDir ?? Path.Combine(o.Root, "build", "test-results"));
        o.ImageDir = Path.GetFullPath(images ?? Path.Combine(o.Root, "build", "test-images"));
        o.MkImage = Path.GetFullPath(mkimage ?? Path.Combine(o.Root, "tools", "mkimage.sh"));

        if (o.Command.Length == 0)
            error = "no command given";
        else if (o.Command == "boot" && o.Cmdline == null)
            error = "boot needs --cmdline";
        else if (o.Jobs < 1)
            error = "--jobs must be at least 1";
        return error == null ? o : null;
    }

    /// <summary>
    /// The repository root: the nearest directory above the working directory, or above the
    /// harness binary (tools/Harness/bin/...), that holds tools/Harness.
    /// </summary>
    private static string FindRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (Directory.Exists(Path.Combine(d.FullName, "tools", "Harness")))
                    return d.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    public bool Selected(string bootName)
    {
        if (Only.Count == 0) return true;
        foreach (string part in Only)
            if (bootName.Contains(part, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
