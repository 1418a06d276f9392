using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Harness;

/// <summary>A boot to run and the rule that judges its outcome.</summary>
public sealed record BootJob(BootSpec Spec, Func<QemuRun, BootVerdict> Judge);

/// <summary>
/// Runs boot jobs a few at a time (TCG keeps one host core busy per guest) and reports each
/// verdict in table order, so the output reads the same whatever finished first.
/// </summary>
public sealed class BootRunner
{
    private readonly ImageBuilder images;
    private readonly QemuLauncher qemu;
    private readonly int parallel;
    private readonly bool echo;

    public BootRunner(ImageBuilder images, QemuLauncher qemu, int parallel, bool echo)
    {
        this.images = images;
        this.qemu = qemu;
        this.parallel = Math.Max(1, parallel);
        this.echo = echo;
    }

    public async Task RunAsync(IReadOnlyList<BootJob> jobs, Summary summary, CancellationToken interrupt)
    {
        // Images first, one at a time: grub-mkrescue is quick and several jobs share an image.
        var imagePaths = new ImageResult[jobs.Count];
        var announced = new HashSet<string>();
        for (int i = 0; i < jobs.Count; i++)
        {
            ImageResult image = images.Get(jobs[i].Spec.Cmdline);
            imagePaths[i] = image;
            if (image.Path != null && announced.Add(image.Path))
                Console.WriteLine($"image: {(image.Reused ? "up to date" : "built")} {image.Path}");
        }

        using var slots = new SemaphoreSlim(parallel);
        var running = new List<Task<BootVerdict>>();
        for (int i = 0; i < jobs.Count; i++)
            running.Add(RunOneAsync(jobs[i], imagePaths[i], slots, interrupt));

        foreach (Task<BootVerdict> task in running)
            summary.Add(await task);
    }

    private async Task<BootVerdict> RunOneAsync(BootJob job, ImageResult image, SemaphoreSlim slots, CancellationToken interrupt)
    {
        if (image.Path == null)
            return BootVerdict.NotRun(job.Spec.Name, image.Error ?? "no image");

        await slots.WaitAsync(CancellationToken.None);
        try
        {
            if (interrupt.IsCancellationRequested)
                return BootVerdict.NotRun(job.Spec.Name, "interrupted before it started");
            QemuRun run = await qemu.RunAsync(job.Spec, image.Path, echo, interrupt);
            return job.Judge(run);
        }
        catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
        {
            return BootVerdict.NotRun(job.Spec.Name, "harness I/O error: " + e.Message);
        }
        finally
        {
            slots.Release();
        }
    }
}
