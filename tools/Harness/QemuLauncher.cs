using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Harness;

/// <summary>How one QEMU run ended and what the guest printed on its serial port.</summary>
public sealed record QemuRun(
    int? ExitCode,          // null when QEMU never started or was killed
    bool TimedOut,
    bool Interrupted,       // the user pressed Ctrl-C
    TimeSpan Duration,
    string Serial,
    string StdErr,
    string LogPath,
    string? StartError)
{
    /// <summary>Explains a QEMU exit status in terms of the kernel's isa-debug-exit contract.</summary>
    public static string DescribeStatus(int status) => status switch
    {
        0 => "QEMU exit status 0: triple fault or reset (-no-reboot)",
        1 => "QEMU exit status 1: kernel reported success (value 0)",
        3 => "QEMU exit status 3: kernel reported a test failure (value 1)",
        7 => "QEMU exit status 7: kernel panic (value 3)",
        _ when status % 2 == 1 => $"QEMU exit status {status}: unknown kernel exit value {(status - 1) / 2}",
        _ => $"QEMU exit status {status}: QEMU itself failed",
    };

    /// <summary>One short phrase for a FAIL line; null when QEMU did exit with a status.</summary>
    public string? Abnormal()
    {
        if (StartError != null) return "could not start QEMU: " + StartError;
        if (Interrupted) return "interrupted";
        if (TimedOut) return $"TIMEOUT after {Duration.TotalSeconds:0} s (QEMU killed)";
        return null;
    }

    /// <summary>QEMU's first complaint on stderr, to explain a status QEMU chose itself.</summary>
    public string StdErrHint()
    {
        string err = StdErr.Trim();
        return err.Length == 0 ? "" : " (qemu: " + err.Split('\n')[0] + ")";
    }
}

/// <summary>
/// Starts qemu-system-x86_64 for a BootSpec, copies the guest's serial port (QEMU's stdio) to a
/// log file as it arrives, and kills QEMU when the time limit passes.
/// </summary>
public sealed class QemuLauncher
{
    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    public const string OvmfVarsTemplate = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    private readonly string qemu;
    private readonly string resultsDir;

    public string QemuPath => qemu;

    public QemuLauncher(string qemu, string resultsDir)
    {
        this.qemu = qemu;
        this.resultsDir = resultsDir;
    }

    public List<string> BuildArguments(BootSpec spec, string image, string? varsCopy)
    {
        var args = new List<string>
        {
            "-accel", "tcg", "-cpu", "max", "-m", spec.Memory,
            "-display", "none", "-monitor", "none",
            // Serial on stdio: the harness reads it live, and can later write to it (shell tests).
            "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-no-reboot",
            // No network card: otherwise a failed disk boot falls through to a slow PXE attempt.
            "-nic", "none",
        };

        if (spec.Firmware == Firmware.Uefi)
        {
            args.Add("-drive"); args.Add($"if=pflash,format=raw,readonly=on,file={OvmfCode}");
            args.Add("-drive"); args.Add($"if=pflash,format=raw,file={varsCopy}");
        }

        // The image is shared read-only by every run that uses it, so parallel boots are safe.
        if (spec.Medium == Medium.Cd)
        {
            args.Add("-drive"); args.Add($"file={image},format=raw,media=cdrom,readonly=on");
        }
        else
        {
            args.Add("-drive"); args.Add($"if=none,id=stick,format=raw,file={image},readonly=on");
            args.Add("-device"); args.Add("qemu-xhci");
            args.Add("-device"); args.Add("usb-storage,drive=stick,bootindex=0");
        }
        return args;
    }

    /// <summary>Boots and waits. When echo is set the serial output is also copied to stdout live.</summary>
    public async Task<QemuRun> RunAsync(BootSpec spec, string image, bool echo, CancellationToken interrupt)
    {
        Directory.CreateDirectory(resultsDir);
        string logPath = Path.Combine(resultsDir, spec.Name + ".log");
        string? varsCopy = null;
        var clock = Stopwatch.StartNew();

        try
        {
            if (spec.Firmware == Firmware.Uefi)
            {
                // OVMF writes its variable store; each run gets a private copy so runs stay independent.
                varsCopy = Path.Combine(resultsDir, spec.Name + ".OVMF_VARS.fd");
                File.Copy(OvmfVarsTemplate, varsCopy, overwrite: true);
            }

            var psi = new ProcessStartInfo(qemu)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in BuildArguments(spec, image, varsCopy))
                psi.ArgumentList.Add(a);

            using var log = new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.Read);
            using var process = new Process { StartInfo = psi };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                return new QemuRun(null, false, false, clock.Elapsed, "", "", logPath, $"{qemu}: {e.Message}");
            }

            var serial = new MemoryStream();
            Task pumpOut = PumpAsync(process.StandardOutput.BaseStream, log, serial, echo);
            Task<string> pumpErr = process.StandardError.ReadToEndAsync();

            bool timedOut = false, interrupted = false;
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(interrupt))
            {
                limit.CancelAfter(spec.Timeout);
                try
                {
                    await process.WaitForExitAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                    interrupted = interrupt.IsCancellationRequested;
                    timedOut = !interrupted;
                    Kill(process);
                    await process.WaitForExitAsync();
                }
            }

            // QEMU is gone, so both pipes reach end of file; drain them completely.
            await pumpOut;
            string stderr = await pumpErr;
            TimeSpan elapsed = clock.Elapsed;
            int? code = timedOut || interrupted ? null : process.ExitCode;
            string text = Encoding.UTF8.GetString(serial.ToArray());
            return new QemuRun(code, timedOut, interrupted, elapsed, text, stderr, logPath, null);
        }
        finally
        {
            if (varsCopy != null)
                TryDelete(varsCopy);
        }
    }

    private static async Task PumpAsync(Stream from, FileStream log, MemoryStream copy, bool echo)
    {
        var buffer = new byte[4096];
        Stream? stdout = echo ? Console.OpenStandardOutput() : null;
        int n;
        while ((n = await from.ReadAsync(buffer)) > 0)
        {
            // Flush every chunk: if the harness itself dies, the log still shows how far the guest got.
            await log.WriteAsync(buffer.AsMemory(0, n));
            await log.FlushAsync();
            copy.Write(buffer, 0, n);
            if (stdout != null)
            {
                await stdout.WriteAsync(buffer.AsMemory(0, n));
                await stdout.FlushAsync();
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own between the timeout and the kill.
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
