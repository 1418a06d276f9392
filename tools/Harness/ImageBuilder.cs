using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace Harness;

/// <summary>An image for one command line, or the reason there is none.</summary>
public sealed record ImageResult(string? Path, string? Error, bool Reused);

/// <summary>
/// Makes one bootable ISO per distinct kernel command line with tools/mkimage.sh, under
/// build/test-images/NAME.iso, with the command line stored beside it in NAME.cmdline.
/// An image is reused while it is newer than the kernel, the initrd and mkimage.sh and was
/// made for the same command line; grub-mkrescue is slow enough that this matters.
/// </summary>
public sealed class ImageBuilder
{
    private readonly string kernel;
    private readonly string mkimage;
    private readonly string imageDir;
    private readonly Dictionary<string, ImageResult> done = new Dictionary<string, ImageResult>();
    private readonly Dictionary<string, string> nameOwner = new Dictionary<string, string>();

    public ImageBuilder(string kernel, string mkimage, string imageDir)
    {
        this.kernel = kernel;
        this.mkimage = mkimage;
        this.imageDir = imageDir;
    }

    /// <summary>"test=all console=serial" becomes "test-all-console-serial".</summary>
    public static string NameFor(string cmdline)
    {
        var sb = new StringBuilder();
        foreach (char c in cmdline)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '.' || c == '_' ? c : '-');
        string name = sb.ToString().Trim('-');
        while (name.Contains("--")) name = name.Replace("--", "-");
        if (name.Length == 0) name = "empty";
        if (name.Length > 80) name = name.Substring(0, 80);
        return name;
    }

    public ImageResult Get(string cmdline)
    {
        if (done.TryGetValue(cmdline, out ImageResult? known))
            return known;
        ImageResult result = Build(cmdline);
        done[cmdline] = result;
        return result;
    }

    private ImageResult Build(string cmdline)
    {
        if (!File.Exists(kernel))
            return new ImageResult(null, $"kernel not found: {kernel} (build it first)", false);
        if (!File.Exists(mkimage))
            return new ImageResult(null, $"image script not found: {mkimage}", false);

        string name = UniqueName(cmdline);
        Directory.CreateDirectory(imageDir);
        string iso = Path.Combine(imageDir, name + ".iso");
        string cmdFile = Path.Combine(imageDir, name + ".cmdline");

        if (IsFresh(iso, cmdFile, cmdline))
            return new ImageResult(iso, null, true);

        // Build under a temporary name so an interrupted build never looks like a fresh image.
        string temp = Path.Combine(imageDir, name + ".partial.iso");
        File.Delete(temp);
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(mkimage);
        psi.ArgumentList.Add(kernel);
        psi.ArgumentList.Add(temp);
        psi.ArgumentList.Add(cmdline);
        if (File.Exists(Initrd))
            psi.ArgumentList.Add(Initrd);   // mkimage.sh's optional 4th argument

        using Process process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start bash");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string output = (stdout + stderr.Result).Trim();

        if (process.ExitCode != 0 || !File.Exists(temp))
        {
            File.Delete(temp);
            string detail = output.Length > 600 ? "..." + output.Substring(output.Length - 600) : output;
            return new ImageResult(null, $"mkimage.sh failed for '{cmdline}' (exit {process.ExitCode}): {detail}", false);
        }

        File.Move(temp, iso, overwrite: true);
        File.WriteAllText(cmdFile, cmdline + "\n");
        return new ImageResult(iso, null, false);
    }

    private bool IsFresh(string iso, string cmdFile, string cmdline)
    {
        if (!File.Exists(iso) || !File.Exists(cmdFile))
            return false;
        if (File.ReadAllText(cmdFile).TrimEnd('\n') != cmdline)
            return false;
        DateTime built = File.GetLastWriteTimeUtc(iso);
        foreach (string input in Inputs())
            if (File.Exists(input) && File.GetLastWriteTimeUtc(input) >= built)
                return false;
        return true;
    }

    /// <summary>The build leaves the initrd beside the kernel; images carry it when it exists.</summary>
    private string Initrd => Path.Combine(Path.GetDirectoryName(kernel) ?? ".", "initrd.cpio");

    /// <summary>Files whose change makes an image stale.</summary>
    private IEnumerable<string> Inputs()
    {
        yield return kernel;
        yield return mkimage;
        yield return Initrd;
    }

    /// <summary>Two command lines that sanitize to the same name get a hash suffix, so they never share a file.</summary>
    private string UniqueName(string cmdline)
    {
        string name = NameFor(cmdline);
        if (nameOwner.TryGetValue(name, out string? owner) && owner != cmdline)
            name = name + "-" + StableHash(cmdline).ToString("x8");
        nameOwner[name] = cmdline;
        return name;
    }

    private static uint StableHash(string s)
    {
        // FNV-1a: string.GetHashCode is randomised per process, which would defeat the cache.
        uint h = 2166136261;
        foreach (char c in s) { h ^= c; h *= 16777619; }
        return h;
    }
}
