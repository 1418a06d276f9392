using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Harness;

/// <summary>Entry point: turns the chosen command into a list of boot jobs and runs them.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Options? options = Options.Parse(args, out string? error);
        if (options == null)
        {
            Console.Error.WriteLine("harness: " + error);
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }
        if (options.Command == "help")
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        var jobs = new List<BootJob>();
        switch (options.Command)
        {
            case "matrix": AddMatrix(options, jobs); break;
            case "expect-fail": AddExpectedFailures(options, jobs); break;
            case "all": AddMatrix(options, jobs); AddExpectedFailures(options, jobs); AddUserPrograms(options, jobs); break;
            case "shell": break;
            case "user": AddUserPrograms(options, jobs); break;
            case "boot": AddSingleBoot(options, jobs); break;
            default:
                Console.Error.WriteLine($"harness: unknown command '{options.Command}'");
                Console.Error.WriteLine(Options.Usage);
                return 2;
        }
        bool shell = options.Command == "shell" || options.Command == "all";
        if (jobs.Count == 0 && !shell && options.Command != "user")
        {
            Console.Error.WriteLine("harness: no boot selected (check --only)");
            return 2;
        }

        // Ctrl-C, or make/CI stopping us with SIGTERM, kills the running guests instead of
        // leaving them behind; the boots that were cut short are reported as interrupted.
        using var interrupt = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        Console.WriteLine($"harness: {jobs.Count} boot(s) of {options.Kernel}, {options.Jobs} at a time, logs in {options.OutDir}");
        bool echo = options.Echo || options.Command == "boot";
        var summary = new Summary(Console.Out, showTail: !echo);
        var images = new ImageBuilder(options.Kernel, options.MkImage, options.ImageDir);
        var launcher = new QemuLauncher(options.Qemu, options.OutDir);
        var runner = new BootRunner(images, launcher, options.Command == "boot" ? 1 : options.Jobs, echo);
        await runner.RunAsync(jobs, summary, interrupt.Token);
        if (shell) ShellChecks.Run(options, images, launcher, summary, interrupt.Token);
        if (options.Command == "user" || options.Command == "all") UserSession.Run(options, images, launcher, summary, interrupt.Token);
        summary.PrintTotals();
        return summary.Failed == 0 && !interrupt.IsCancellationRequested ? 0 : 1;
    }

    private static void AddMatrix(Options options, List<BootJob> jobs)
    {
        foreach (BootSpec spec in BootMatrix.Specs(options.Memory, options.Timeout))
            if (options.Selected(spec.Name))
                jobs.Add(new BootJob(spec, run => BootMatrix.Judge(spec, run)));
    }

    private static void AddExpectedFailures(Options options, List<BootJob> jobs)
    {
        foreach (BootSpec spec in ExpectedFailures.Specs(options.Timeout))
        {
            ExpectedFailure expected = ExpectedFailures.Find(spec.Cmdline)!;
            if (options.Selected(spec.Name))
                jobs.Add(new BootJob(spec, run => ExpectedFailures.Judge(spec, expected, run)));
        }
    }

    private static void AddUserPrograms(Options options, List<BootJob> jobs)
    {
        foreach (BootSpec spec in UserPrograms.Specs(options.Timeout))
        {
            UserProgram program = UserPrograms.Find(spec.Cmdline)!;
            if (options.Selected(spec.Name))
                jobs.Add(new BootJob(spec, run => UserPrograms.Judge(spec, program, run)));
        }
    }

    /// <summary>
    /// A debugging boot is judged by the rule its command line implies: a known crash by its
    /// table entry, test=... as a KTAP run, anything else by a clean exit without a panic.
    /// </summary>
    private static void AddSingleBoot(Options options, List<BootJob> jobs)
    {
        string cmdline = options.Cmdline!;
        Firmware fw = options.Uefi ? Firmware.Uefi : Firmware.Bios;
        Medium medium = options.Usb ? Medium.Usb : Medium.Cd;
        string memory = options.Memory.Count > 0 ? options.Memory[0] : "256M";
        string name = options.Name ?? $"boot-{ImageBuilder.NameFor(cmdline)}-{BootSpec.MatrixName(fw, medium, memory)}";
        var spec = new BootSpec(name, cmdline, fw, medium, memory, options.Timeout ?? BootSpec.DefaultTimeout(fw));

        ExpectedFailure? expected = ExpectedFailures.Find(cmdline);
        UserProgram? program = UserPrograms.Find(cmdline);
        if (expected != null)
            jobs.Add(new BootJob(spec, run => ExpectedFailures.Judge(spec, expected, run)));
        else if (program != null)
            jobs.Add(new BootJob(spec, run => UserPrograms.Judge(spec, program, run)));
        else if (cmdline.Contains("test=", StringComparison.Ordinal))
            jobs.Add(new BootJob(spec, run => BootMatrix.Judge(spec, run)));
        else
            jobs.Add(new BootJob(spec, run => JudgeCleanExit(spec, run)));
    }

    private static BootVerdict JudgeCleanExit(BootSpec spec, QemuRun run)
    {
        var reasons = new List<string>();
        string? abnormal = run.Abnormal();
        if (abnormal != null)
            reasons.Add(abnormal);
        else if (run.ExitCode != 1)
            reasons.Add(QemuRun.DescribeStatus(run.ExitCode ?? -1) + run.StdErrHint());
        string? panic = BootMatrix.FindPanic(run.Serial);
        if (panic != null)
            reasons.Add("panic on serial: " + panic);
        return new BootVerdict(spec.Name, run.Duration, reasons, $"exit {run.ExitCode?.ToString() ?? "-"}", null, run.LogPath, run.Serial);
    }
}
