using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Harness;

/// <summary>One step of a shell session: returns null when it passed, else what went wrong.</summary>
public sealed record ShellCheck(string Name, Func<ShellSession, string?> Body);

/// <summary>
/// The shell, driven from outside as a person would: lines typed on the serial port (every
/// command, its error paths, overlong lines, binary junk, a flood), keys pressed on the PS/2
/// keyboard through the monitor's `sendkey`, and the screen read back (the VGA text buffer
/// under BIOS, a `screendump` read glyph by glyph under UEFI). Each check is one PASS/FAIL line.
/// </summary>
public static class ShellChecks
{
    public const string SessionCmdline = "loglevel=6";
    const string RtcBase = "2024-01-02T03:04:05";
    static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    static string? Contains(string? output, params string[] needles)
    {
        if (output == null) return "no prompt came back (timeout)";
        foreach (string n in needles)
            if (!output.Contains(n, StringComparison.Ordinal)) return $"output lacks '{n}': {Abridge(output)}";
        return null;
    }

    static string? Matches(string? output, string pattern)
    {
        if (output == null) return "no prompt came back (timeout)";
        return Regex.IsMatch(output, pattern, RegexOptions.Multiline) ? null : $"output does not match /{pattern}/: {Abridge(output)}";
    }

    static string Abridge(string s)
    {
        s = s.Replace("\n", "\\n");
        return s.Length <= 300 ? s : s[..300] + "...";
    }

    static string? Both(string? a, string? b) => a ?? b;

    static string? UsageError(ShellSession s, string line, string message, string usage) =>
        Contains(s.Run(line, Step), message, "usage: " + usage);

    /// <summary>The serial checks, in the order they run in the BIOS session.</summary>
    public static readonly ShellCheck[] SerialChecks =
    {
        new("help", s => Contains(s.Run("help"), "help ", "meminfo ", "buddyinfo ", "slabinfo ", "vtop ", "dmesg ", "uptime ",
            "date ", "cpuinfo ", "cmdline ", "test ", "bench ", "echo ", "clear ", "reboot ", "poweroff ")),
        new("help_command", s => Contains(s.Run("help vtop"), "vtop - ", "usage: vtop ADDRESS")),
        new("help_bad_args", s => Both(UsageError(s, "help nosuch", "help: no such command", "help [command]"),
            UsageError(s, "help a b", "help: too many arguments", "help [command]"))),
        new("unknown_command", s => Contains(s.Run("frobnicate now"), "frobnicate: command not found")),
        new("meminfo_matches_boot_accounting", MeminfoMatchesBoot),
        new("meminfo_bad_args", s => UsageError(s, "meminfo extra", "meminfo: too many arguments", "meminfo")),
        new("buddyinfo", s => Matches(s.Run("buddyinfo"), @"^Node 0, zone +\w+( +\d+){11} *$")),
        new("buddyinfo_bad_args", s => UsageError(s, "buddyinfo 1", "buddyinfo: too many arguments", "buddyinfo")),
        new("slabinfo", s => Both(Matches(s.Run("slabinfo"), @"^# name +active +total +objsize"),
            Matches(s.Run("slabinfo"), @"^kmalloc-64 +\d+ +\d+ +64 "))),
        new("slabinfo_bad_args", s => UsageError(s, "slabinfo -v", "slabinfo: too many arguments", "slabinfo")),
        new("vtop_kernel_text", s => Matches(s.Run("vtop 0xffffffff80200000"), @"PML4\[511\] = 0x[0-9a-f]{16}[\s\S]*PT\[\d+\] += 0x[0-9a-f]{16} +4K page[\s\S]*^physical 0x0000000000200000")),
        new("vtop_unmapped", s => Contains(s.Run("vtop 0x1000"), "PML4[0]", "not mapped")),
        new("vtop_non_canonical", s => Contains(s.Run("vtop 0x0000800000000000"), "not canonical")),
        new("vtop_bad_args", s => Both(Both(UsageError(s, "vtop", "vtop: missing argument", "vtop ADDRESS"),
            UsageError(s, "vtop 0xzz", "vtop: not an address: 0xzz", "vtop ADDRESS")),
            UsageError(s, "vtop 0x1ffffffffffffffff", "vtop: not an address", "vtop ADDRESS"))),
        new("dmesg", s => { string? o = s.Run("dmesg"); return Both(Contains(o, "timer: PIT at", "irq: "), o != null && o.Contains("<6>") ? "log level prefixes shown" : null); }),
        new("dmesg_bad_args", s => UsageError(s, "dmesg -c", "dmesg: too many arguments", "dmesg")),
        new("uptime_monotonic", UptimeMonotonic),
        new("uptime_bad_args", s => UsageError(s, "uptime now", "uptime: too many arguments", "uptime")),
        new("date_from_rtc", DateFromRtc),
        new("date_bad_args", s => UsageError(s, "date +%s", "date: too many arguments", "date")),
        new("cpuinfo", s => Both(Matches(s.Run("cpuinfo"), @"^  nx +yes, on"), Matches(s.Run("cpuinfo"), @"^  smap +yes, on"))),
        new("cpuinfo_bad_args", s => UsageError(s, "cpuinfo all", "cpuinfo: too many arguments", "cpuinfo")),
        new("interrupts_serial_irq", s => Both(Contains(s.Run("interrupts"), "I/O APIC"), Matches(s.Run("interrupts"), @"^ +4 +4 +0x24 +[1-9]\d* +serial$"))),
        new("interrupts_bad_args", s => UsageError(s, "interrupts 4", "interrupts: too many arguments", "interrupts")),
        new("acpi", s => Contains(s.Run("acpi"), "FACP", "APIC")),
        new("acpi_bad_args", s => UsageError(s, "acpi dump", "acpi: too many arguments", "acpi")),
        new("cmdline", s => Matches(s.Run("cmdline"), "^" + SessionCmdline + "$")),
        new("cmdline_bad_args", s => UsageError(s, "cmdline x", "cmdline: too many arguments", "cmdline")),
        new("test_suite_ktap", TestPrintsKtap),
        new("test_unknown_suite", s => UsageError(s, "test nosuchsuite", "test: no suite named 'nosuchsuite'", "test [all | suite...]")),
        new("bench", s => Matches(s.Run("bench loop.empty", TimeSpan.FromSeconds(60)), @"^bench: loop\.empty \d+\.\d\d ticks/op")),
        new("bench_bad_args", s => Both(UsageError(s, "bench nosuch", "bench: nothing matched", "bench [all | name,...]"),
            UsageError(s, "bench a b", "bench: too many arguments", "bench"))),
        new("echo", s => Matches(s.Run("echo hello  \"two words\" x"), "^hello two words x$")),
        new("echo_unterminated_quote", s => UsageError(s, "echo \"open", "echo: unterminated quote", "echo [text...]")),
        new("clear", ClearErasesScreen),
        new("clear_bad_args", s => UsageError(s, "clear all", "clear: too many arguments", "clear")),
        new("reboot_bad_args", s => UsageError(s, "reboot now", "reboot: too many arguments", "reboot")),
        new("poweroff_bad_args", s => UsageError(s, "poweroff -f", "poweroff: too many arguments", "poweroff")),
        new("ctrl_c_cancels_line", CtrlCCancels),
        new("history_up_arrow", s => { s.Run("echo from-history"); return Matches(s.Run("\x1b[A"), "^from-history$"); }),
        new("tab_completes_command", s => Matches(s.Run("upt\t"), @"^up \d")),
        new("line_of_10000_chars", s => Both(Contains(s.Run(new string('x', 10_000), TimeSpan.FromSeconds(60)), "command not found"), StillAlive(s))),
        new("binary_junk", BinaryJunk),
        new("input_flood", InputFlood),
        new("ctrl_l_clears_and_redraws", CtrlLClears),
        new("keyboard_sendkey", Keyboard),
        new("keyboard_caps_lock_arrows_ctrl_c", KeyboardCapsAndArrows),
        new("vga_text_screen", VgaScreen),
        new("vga_text_scrolls", s => { s.Run("dmesg"); s.Run("echo after-scroll"); return UntilSettled(() => BottomRows(s.VgaScreen(), "after-scroll")); }),
    };

    static string? StillAlive(ShellSession s) => s.Sync() ? null : "the shell did not answer a line typed after it";

    static string? MeminfoMatchesBoot(ShellSession s)
    {
        string? o = s.Run("meminfo");
        if (o == null) return "no prompt";
        long Field(string name)
        {
            Match m = Regex.Match(o, "^" + name + @": +(\d+) kB$", RegexOptions.Multiline);
            return m.Success ? long.Parse(m.Groups[1].Value) : -1;
        }
        long total = Field("MemTotal"), free = Field("MemFree"), percpu = Field("PerCpuCached"),
            used = Field("Allocated"), reserved = Field("Reserved"), present = Field("MemPresent");
        if (total < 0 || free < 0 || percpu < 0 || used < 0 || reserved < 0 || present < 0) return "meminfo lines missing: " + Abridge(o);
        // The boot log's accounting: firmware usable pages = pages the allocator describes, of
        // which some are reserved (kernel, boot data, page tables, descriptors).
        Match boot = Regex.Match(Terminal.Plain(s.Serial), @"memory: firmware map (\d+) usable pages = (\d+) managed by the page allocator: \d+ free, (\d+) reserved");
        if (!boot.Success) return "boot accounting line missing";
        long firmwareKb = long.Parse(boot.Groups[1].Value) * 4, reservedKb = long.Parse(boot.Groups[3].Value) * 4;
        if (present != firmwareKb) return $"MemPresent {present} kB, the firmware map had {firmwareKb} kB usable";
        if (reserved != reservedKb) return $"Reserved {reserved} kB, boot reserved {reservedKb} kB";
        if (total != present - reserved) return $"MemTotal {total} kB != MemPresent {present} - Reserved {reserved}";
        if (free + percpu + used != total) return $"MemFree {free} + PerCpuCached {percpu} + Allocated {used} != MemTotal {total}";
        return null;
    }

    static string? DateFromRtc(ShellSession s)
    {
        string? o = s.Run("date");
        Match m = Regex.Match(o ?? "", @"^(\w{3}) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC \(Unix time (\d+)\)$", RegexOptions.Multiline);
        if (!m.Success) return "date output not recognised: " + Abridge(o ?? "(timeout)");
        var shown = DateTime.SpecifyKind(DateTime.ParseExact(m.Groups[2].Value, "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
        var start = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);   // QEMU's -rtc base
        if (shown < start || shown > start.AddMinutes(10)) return $"date {shown:u} is not just after the RTC base {start:u}";
        if (m.Groups[1].Value != shown.DayOfWeek.ToString()[..3]) return $"weekday {m.Groups[1].Value} for {shown:yyyy-MM-dd}";
        if (long.Parse(m.Groups[3].Value) != new DateTimeOffset(shown).ToUnixTimeSeconds()) return $"Unix time {m.Groups[3].Value} disagrees with {shown:u}";
        return null;
    }

    static string? UptimeMonotonic(ShellSession s)
    {
        var re = new Regex(@"^up .*\((\d+) ns\), (\d+) timer ticks", RegexOptions.Multiline);
        Match a = re.Match(s.Run("uptime") ?? ""), b = re.Match(s.Run("uptime") ?? "");
        if (!a.Success || !b.Success) return "uptime output not recognised";
        if (ulong.Parse(b.Groups[1].Value) <= ulong.Parse(a.Groups[1].Value)) return "uptime did not advance between two commands";
        if (ulong.Parse(b.Groups[2].Value) < ulong.Parse(a.Groups[2].Value)) return "tick count went backwards";
        return null;
    }

    static string? TestPrintsKtap(ShellSession s)
    {
        string? o = s.Run("test timer irq", TimeSpan.FromSeconds(60));
        if (o == null) return "no prompt after test";
        KtapReport r = KtapParser.Parse(o);
        if (!r.Ok) return "KTAP not clean: " + string.Join("; ", r.Errors.Concat(r.NotOk));
        if (r.Cases.Count < 10) return $"only {r.Cases.Count} cases";
        return Matches(o, @"^test: \d+ passed, 0 failed");
    }

    static string? ClearErasesScreen(ShellSession s)
    {
        int before = s.Serial.Length;
        s.SendRaw(Encoding.ASCII.GetBytes("clear\r"));
        if (s.Expect(new Regex(Regex.Escape(Terminal.Prompt) + "$"), Step) == null) return "no prompt";
        // The terminal gets "home, erase display"; the screens are checked in vga_text_screen
        // and the UEFI session's framebuffer_screen.
        return s.Serial[before..].Contains("\x1b[H\x1b[2J") ? null : "no ESC [ H ESC [ 2 J sent to the terminal";
    }

    static string? CtrlCCancels(ShellSession s)
    {
        s.SendRaw(Encoding.ASCII.GetBytes("echo cancelled-line\x03"));
        string? plain = s.Expect(new Regex(@"\^C\n" + Regex.Escape(Terminal.Prompt) + "$"), Step);
        if (plain == null) return "no ^C and fresh prompt";
        return Both(plain.Contains("cancelled-line\n") ? "the cancelled line ran" : null, StillAlive(s));
    }

    static string? BinaryJunk(ShellSession s)
    {
        var rng = new Random(12345);
        var junk = new byte[4096];
        rng.NextBytes(junk);
        for (int i = 0; i < junk.Length; i++) if (junk[i] == 3 || junk[i] == 4) junk[i] = 0xff; // keep Ctrl-C/D out
        s.SendRaw(junk);
        s.SendRaw(new byte[] { 3 });                 // Ctrl-C: whatever half-line the junk left
        return s.Sync(TimeSpan.FromSeconds(60)) ? null : "the shell did not answer after 4 KiB of random bytes (seed 12345)";
    }

    static string? InputFlood(ShellSession s)
    {
        var flood = new byte[64 * 1024];
        for (int i = 0; i < flood.Length; i++) flood[i] = (byte)('a' + i % 26);
        s.SendRaw(flood);
        s.SendRaw(new byte[] { 3 });
        return s.Sync(TimeSpan.FromSeconds(60)) ? null : "the shell did not answer after 64 KiB of input";
    }

    static string? Keyboard(ShellSession s)
    {
        s.TypeOnKeyboard("echo Typed-On-PS2 $HOME\n");
        string? plain = s.Expect(new Regex(@"^Typed-On-PS2 \$HOME\n" + Regex.Escape(Terminal.Prompt) + "$", RegexOptions.Multiline), Step);
        return plain == null ? "the keyboard line did not run (serial shows: " + Abridge(Terminal.Plain(s.Serial)[^Math.Min(300, s.Serial.Length)..]) + ")" : null;
    }

    static string? CtrlLClears(ShellSession s)
    {
        int before = s.Serial.Length;
        s.SendRaw(Encoding.ASCII.GetBytes("echo kept\x0c"));
        if (s.Expect(new Regex(Regex.Escape(Terminal.Prompt) + "echo kept$"), Step) == null) return "the line was not redrawn after Ctrl-L";
        if (!s.Serial[before..].Contains("\x1b[H\x1b[2J")) return "Ctrl-L sent no clear-screen sequence";
        return Matches(s.Run(""), "^kept$");
    }

    static string? KeyboardCapsAndArrows(ShellSession s)
    {
        // Caps Lock makes letters capitals (digits stay), Left + typing inserts, Up recalls.
        s.TypeOnKeyboard("echo ");
        s.PressKeys("caps_lock", "a", "b", "1", "caps_lock", "c", "left", "left", "x", "ret");
        if (s.Expect(new Regex(@"^ABx1c\n" + Regex.Escape(Terminal.Prompt) + "$", RegexOptions.Multiline), Step) == null)
            return "expected ABx1c from caps lock and cursor keys: " + Abridge(Terminal.Plain(s.Serial)[^Math.Min(200, s.Serial.Length)..]);
        s.PressKeys("up", "ret");
        if (s.Expect(new Regex(@"^ABx1c\n" + Regex.Escape(Terminal.Prompt) + "$", RegexOptions.Multiline), Step) == null) return "Up did not recall the line";
        s.PressKeys("e", "c", "h", "o", "ctrl-c");
        if (s.Expect(new Regex(@"echo\^C\n" + Regex.Escape(Terminal.Prompt) + "$"), Step) == null) return "Ctrl-C on the keyboard did not cancel the line";
        return null;
    }

    static string? VgaScreen(ShellSession s)
    {
        s.Run("clear");
        s.Run("echo on-the-screen");
        return UntilSettled(() => VgaRows(s.VgaScreen()));
    }

    /// <summary>The screens are drawn after the serial port is written: retry a read for a few
    /// seconds until what the serial port showed has reached the screen too.</summary>
    static string? UntilSettled(Func<string?> read)
    {
        string? failure = null;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            failure = read();
            if (failure == null) return null;
            Thread.Sleep(250);
        }
        return failure;
    }

    /// <summary>After more output than fits, the screen has scrolled: the last three rows are the
    /// command, its output and the prompt (the cursor sits after the prompt).</summary>
    static string? BottomRows(List<string> rows, string echoed)
    {
        int n = rows.Count;
        if (n < 3) return $"only {n} rows read";
        if (rows[n - 3] != Terminal.Prompt + "echo " + echoed) return $"third-last row reads '{rows[n - 3]}'";
        if (rows[n - 2] != echoed) return $"second-last row reads '{rows[n - 2]}'";
        if (rows[n - 1] != Terminal.Prompt.TrimEnd()) return $"last row reads '{rows[n - 1]}'";
        return null;
    }

    static string? VgaRows(List<string> rows)
    {
        if (rows.Count != VgaText.Rows) return $"read {rows.Count} rows of VGA text";
        if (rows[0] != Terminal.Prompt + "echo on-the-screen") return $"row 0 is '{rows[0]}' (clear should have put the prompt at the top)";
        if (rows[1] != "on-the-screen") return $"row 1 is '{rows[1]}'";
        if (rows[2] != Terminal.Prompt.TrimEnd()) return $"row 2 is '{rows[2]}'";
        return null;
    }

    // ---- sessions ---------------------------------------------------------------------

    /// <summary>Runs every session, options.Jobs at a time; one verdict per check, reported in
    /// table order.</summary>
    public static void Run(Options options, ImageBuilder images, QemuLauncher launcher, Summary summary, CancellationToken interrupt)
    {
        var sessions = new List<(string Name, Action<List<BootVerdict>> Run)>();
        void Add(string name, Action<List<BootVerdict>> run)
        {
            if (options.Selected(name)) sessions.Add((name, run));
        }

        var main = new BootSpec("shell-bios", SessionCmdline, Firmware.Bios, Medium.Cd, "256M", BootSpec.BiosTimeout);
        Add(main.Name, r => RunSession(main, options, images, launcher, r, interrupt, true, new[] { "-rtc", "base=" + RtcBase }, SerialChecks));

        var uefi = new BootSpec("shell-uefi", "", Firmware.Uefi, Medium.Cd, "256M", BootSpec.UefiTimeout);
        Add(uefi.Name, r => RunSession(uefi, options, images, launcher, r, interrupt, true, null, new[]
        {
            new ShellCheck("echo", s => Matches(s.Run("echo over-uefi"), "^over-uefi$")),
            new ShellCheck("framebuffer_screen", s => FramebufferScreen(s, options)),
            new ShellCheck("framebuffer_scrolls", s =>
            {
                var font = new PsfGlyphs(File.ReadAllBytes(Path.Combine(options.Root, "build", "console-font.psf")));
                s.Run("dmesg");
                s.Run("help");
                s.Run("echo after-scroll");
                return UntilSettled(() => BottomRows(font.ReadScreen(s.ScreenDump(Path.Combine(options.OutDir, "shell-uefi-scroll.ppm"))), "after-scroll"));
            }),
        }));

        var serialOnly = new BootSpec("shell-uefi-serial-only", "", Firmware.Uefi, Medium.Cd, "256M", BootSpec.UefiTimeout);
        Add(serialOnly.Name, r => RunSession(serialOnly, options, images, launcher, r, interrupt, true, new[] { "-vga", "none" }, new[]
        {
            new ShellCheck("no_screen_reported", s => Terminal.Plain(s.Serial).Contains("serial console only") ? null : "boot did not say it is serial only"),
            new ShellCheck("echo", s => Matches(s.Run("echo serial-only"), "^serial-only$")),
            new ShellCheck("test_drivers", s => Matches(s.Run("test drivers", TimeSpan.FromSeconds(60)), @"^test: \d+ passed, 0 failed")),
        }));

        void Power(string name, string command, int status, string line, bool debugExit, string[]? extra)
        {
            var spec = new BootSpec(name, "", Firmware.Bios, Medium.Cd, "256M", BootSpec.BiosTimeout);
            Add(name, r => PowerSession(spec, command, status, line, debugExit, extra, options, images, launcher, r, interrupt));
        }
        Power("shell-poweroff", "poweroff", 1, "poweroff: QEMU isa-debug-exit", true, null);
        Power("shell-poweroff-acpi", "poweroff", 0, "poweroff: ACPI S5", false, null);
        Power("shell-reboot", "reboot", 0, "reboot: keyboard controller reset line", true, null);
        Power("shell-reboot-q35", "reboot", 0, "reboot: ACPI reset register", true, new[] { "-machine", "q35" });

        // Images first, one at a time (the sessions then only read them).
        images.Get("");
        images.Get(SessionCmdline);
        var results = new List<BootVerdict>[sessions.Count];
        System.Threading.Tasks.Parallel.For(0, sessions.Count, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs) },
            i => { results[i] = new List<BootVerdict>(); sessions[i].Run(results[i]); });
        foreach (List<BootVerdict> list in results)
            foreach (BootVerdict v in list) summary.Add(v);
    }

    static string? FramebufferScreen(ShellSession s, Options options)
    {
        string fontPath = Path.Combine(options.Root, "build", "console-font.psf");
        if (!File.Exists(fontPath)) return "build/console-font.psf missing (make image builds it)";
        var font = new PsfGlyphs(File.ReadAllBytes(fontPath));
        s.Run("clear");
        s.Run("echo on-the-framebuffer");
        return UntilSettled(() => FramebufferRows(s, font, options));
    }

    static string? FramebufferRows(ShellSession s, PsfGlyphs font, Options options)
    {
        PpmImage image = s.ScreenDump(Path.Combine(options.OutDir, "shell-uefi.ppm"));
        if (image.Width < 640) return $"screen is {image.Width}x{image.Height}: not the framebuffer";
        List<string> rows = font.ReadScreen(image);
        if (rows[0] != Terminal.Prompt + "echo on-the-framebuffer") return $"row 0 reads '{rows[0]}'";
        if (rows[1] != "on-the-framebuffer") return $"row 1 reads '{rows[1]}'";
        if (rows[2] != Terminal.Prompt.TrimEnd()) return $"row 2 reads '{rows[2]}'";
        return null;
    }

    public static void RunSession(BootSpec spec, Options options, ImageBuilder images, QemuLauncher launcher, List<BootVerdict> summary,
        CancellationToken interrupt, bool debugExit, IEnumerable<string>? extra, IReadOnlyList<ShellCheck> checks)
    {
        ImageResult image = images.Get(spec.Cmdline);
        if (image.Path == null) { summary.Add(BootVerdict.NotRun(spec.Name, image.Error ?? "no image")); return; }
        using var session = new ShellSession(launcher, spec, image.Path, options.OutDir, debugExit, extra);
        var clock = Stopwatch.StartNew();
        bool up = session.WaitForPrompt(spec.Timeout);
        summary.Add(Verdict(spec.Name + "/prompt", clock.Elapsed, up ? null : "no shell prompt within " + spec.Timeout.TotalSeconds + " s", session));
        if (!up) return;
        foreach (ShellCheck check in checks)
        {
            if (interrupt.IsCancellationRequested) { summary.Add(BootVerdict.NotRun(spec.Name + "/" + check.Name, "interrupted")); continue; }
            clock.Restart();
            string? failure;
            try { failure = check.Body(session); }
            catch (Exception e) when (e is IOException || e is System.Net.Sockets.SocketException || e is InvalidDataException || e is InvalidOperationException)
            { failure = "harness error: " + e.Message; }
            if (failure == null && BootMatrix.FindPanic(session.Serial) is string panic) failure = "panic: " + panic;
            summary.Add(Verdict(spec.Name + "/" + check.Name, clock.Elapsed, failure, session));
            if (session.Exited) { failure = "QEMU exited"; break; }
        }
    }

    static void PowerSession(BootSpec spec, string command, int expectedStatus, string expectedLine, bool debugExit,
        IEnumerable<string>? extra, Options options, ImageBuilder images, QemuLauncher launcher, List<BootVerdict> summary, CancellationToken interrupt)
    {
        if (interrupt.IsCancellationRequested) return;
        ImageResult image = images.Get(spec.Cmdline);
        if (image.Path == null) { summary.Add(BootVerdict.NotRun(spec.Name, image.Error ?? "no image")); return; }
        using var session = new ShellSession(launcher, spec, image.Path, options.OutDir, debugExit, extra);
        var clock = Stopwatch.StartNew();
        string? failure = null;
        if (!session.WaitForPrompt(spec.Timeout)) failure = "no shell prompt";
        else
        {
            session.SendRaw(Encoding.ASCII.GetBytes(command + "\r"));
            if (!session.WaitForExit(TimeSpan.FromSeconds(30))) failure = $"QEMU still running 30 s after '{command}'";
            else if (session.ExitCode != expectedStatus) failure = $"QEMU exit status {session.ExitCode}, expected {expectedStatus} ({QemuRun.DescribeStatus(session.ExitCode ?? -1)})";
            else if (!Terminal.Plain(session.Serial).Contains(expectedLine)) failure = $"serial lacks '{expectedLine}'";
        }
        summary.Add(Verdict(spec.Name + "/" + command, clock.Elapsed, failure, session));
    }

    static BootVerdict Verdict(string name, TimeSpan duration, string? failure, ShellSession session) =>
        new BootVerdict(name, duration, failure == null ? Array.Empty<string>() : new[] { failure }, "", null, session.LogPath, session.Serial);
}
