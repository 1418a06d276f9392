using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Harness;

/// <summary>
/// A QEMU guest kept running for an interactive session: lines typed on its serial port (the
/// guest's stdin), its serial output read back live (and logged), and the QEMU monitor on a
/// Unix socket for `sendkey`, `screendump` and memory reads.
/// </summary>
public sealed class ShellSession : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder serial = new();
    private readonly object gate = new();
    private readonly FileStream log;
    private readonly Thread pump;
    private readonly string socketPath;
    private QemuMonitor? monitor;
    private int mark;      // where the current command's output starts in `serial`

    public string LogPath { get; }
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <param name="extra">more QEMU arguments; withDebugExit false drops the isa-debug-exit device</param>
    public ShellSession(QemuLauncher launcher, BootSpec spec, string image, string resultsDir,
        bool withDebugExit = true, IEnumerable<string>? extra = null)
    {
        Directory.CreateDirectory(resultsDir);
        LogPath = Path.Combine(resultsDir, spec.Name + ".log");
        socketPath = Path.Combine(Path.GetTempPath(), $"harness-{Environment.ProcessId}-{spec.Name}.mon");
        File.Delete(socketPath);
        string? vars = null;
        if (spec.Firmware == Firmware.Uefi)
        {
            vars = Path.Combine(resultsDir, spec.Name + ".OVMF_VARS.fd");
            File.Copy(QemuLauncher.OvmfVarsTemplate, vars, overwrite: true);
        }
        List<string> args = launcher.BuildArguments(spec, image, vars);
        int monitorAt = args.IndexOf("-monitor");
        args[monitorAt + 1] = $"unix:{socketPath},server=on,wait=off";
        if (!withDebugExit)
        {
            int dev = args.IndexOf("isa-debug-exit,iobase=0xf4,iosize=0x04");
            args.RemoveRange(dev - 1, 2);
        }
        if (extra != null) args.AddRange(extra);

        var psi = new ProcessStartInfo(launcher.QemuPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        log = new FileStream(LogPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        process = Process.Start(psi) ?? throw new InvalidOperationException("QEMU did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        pump = new Thread(Pump) { IsBackground = true };
        pump.Start();
    }

    private void Pump()
    {
        var buffer = new byte[4096];
        Stream stdout = process.StandardOutput.BaseStream;
        int n;
        try
        {
            while ((n = stdout.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (gate)
                {
                    log.Write(buffer, 0, n);
                    log.Flush();
                    serial.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    Monitor.PulseAll(gate);
                }
            }
        }
        catch (IOException) { }
        lock (gate) Monitor.PulseAll(gate);
    }

    public bool Exited => process.HasExited;
    public int? ExitCode => process.HasExited ? process.ExitCode : null;
    public string Serial { get { lock (gate) return serial.ToString(); } }

    /// <summary>Waits until the serial output after the mark matches; returns that plain text, or null.</summary>
    public string? Expect(Regex pattern, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        lock (gate)
        {
            while (true)
            {
                string plain = Terminal.Plain(serial.ToString(mark, serial.Length - mark));
                if (pattern.IsMatch(plain)) return plain;
                TimeSpan left = end - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || (process.HasExited && !pump.IsAlive)) return null;
                Monitor.Wait(gate, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }

    public bool WaitForPrompt(TimeSpan timeout) =>
        Expect(new Regex(Regex.Escape(Terminal.Prompt) + "$"), timeout) != null;

    /// <summary>Marks the start of new output, then writes raw bytes to the serial port.</summary>
    public void SendRaw(byte[] bytes)
    {
        lock (gate) mark = serial.Length;
        process.StandardInput.BaseStream.Write(bytes);
        process.StandardInput.BaseStream.Flush();
    }

    /// <summary>Types a line (Enter is CR, as a terminal sends it) and returns the command's
    /// output (plain text between the echoed line and the next prompt), or null on timeout.</summary>
    public string? Run(string line, TimeSpan? timeout = null)
    {
        SendRaw(Encoding.Latin1.GetBytes(line + "\r"));
        string? plain = Expect(new Regex(Regex.Escape(Terminal.Prompt) + "$"), timeout ?? TimeSpan.FromSeconds(30));
        return plain == null ? null : Terminal.CommandOutput(plain);
    }

    private int syncs;

    /// <summary>Types a line with a unique marker and waits for its output followed by the
    /// prompt: after it, no output of earlier input is still on its way.</summary>
    public bool Sync(TimeSpan? timeout = null)
    {
        string marker = $"sync-{++syncs}-{Environment.TickCount64}";
        SendRaw(Encoding.ASCII.GetBytes("echo " + marker + "\r"));
        return Expect(new Regex("^" + marker + "\n" + Regex.Escape(Terminal.Prompt) + "$", RegexOptions.Multiline), timeout ?? TimeSpan.FromSeconds(30)) != null;
    }

    public QemuMonitor HumanMonitor => monitor ??= QemuMonitor.Connect(socketPath, TimeSpan.FromSeconds(10));

    /// <summary>Types text on the emulated PS/2 keyboard, one `sendkey` per character.</summary>
    public void TypeOnKeyboard(string text)
    {
        lock (gate) mark = serial.Length;
        foreach (string key in SendKeys.Keys(text))
        {
            HumanMonitor.Command("sendkey " + key);
            Thread.Sleep(20);
        }
    }

    /// <summary>Presses keys by their QEMU names ("caps_lock", "left", "ret", "shift-a").</summary>
    public void PressKeys(params string[] keys)
    {
        lock (gate) mark = serial.Length;
        foreach (string key in keys)
        {
            HumanMonitor.Command("sendkey " + key);
            Thread.Sleep(20);
        }
    }

    public PpmImage ScreenDump(string path)
    {
        HumanMonitor.Command("screendump " + path);
        return PpmImage.Parse(File.ReadAllBytes(path));
    }

    /// <summary>The VGA text screen, read from guest memory at 0xb8000 through the monitor.</summary>
    public List<string> VgaScreen() => VgaText.Parse(HumanMonitor.Command($"xp /{VgaText.Columns * VgaText.Rows}hx 0xb8000"));

    /// <summary>Waits for QEMU to exit by itself; false on timeout.</summary>
    public bool WaitForExit(TimeSpan timeout) => process.WaitForExit((int)timeout.TotalMilliseconds);

    public void Dispose()
    {
        monitor?.Dispose();
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.WaitForExit(5000);
        pump.Join(2000);
        log.Dispose();
        process.Dispose();
        try { File.Delete(socketPath); } catch (IOException) { }
    }
}
