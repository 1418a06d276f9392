// The kernel's slab allocator: set up right after the buddy allocator, over it, with the
// `slab_debug=` options from the command line. Reports go to the kernel log with the owners'
// C# method names; owner tracking walks the frame-pointer chain.
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Memory.Physical;
using Kernel.Memory.Slab;

namespace Kernel.Boot.Memory;

public static unsafe class SlabSetup
{
    static SlabAllocator s_slab;

    public static SlabAllocator* Slab { get { fixed (SlabAllocator* s = &s_slab) return s; } }

    public static void Initialize(CommandLine* cmdline)
    {
        SlabFlags debug = SlabFlags.None;
        if (cmdline->Has("slab_debug"))
        {
            cmdline->TryGetValue("slab_debug", out byte* value, out int length);
            if (!SlabDebugOption.Parse(value, length, out debug))
                Log.Warning("slab: slab_debug= has letters other than F, Z, P, U, '-'; those are ignored");
        }
        SlabPageSource source;
        source.AllocatePages = &AllocatePages;
        source.FreePages = &FreePages;
        source.Frames = PhysicalPages.Buddy->Map;
        SlabHooks hooks;
        hooks.Report = &Report;
        hooks.CaptureCallers = &CaptureCallers;
        hooks.AppendOwner = &AppendOwner;
        SlabStatus status = Slab->Initialize(source, hooks, debug, Cpu.ReadTsc() * 0x9E3779B97F4A7C15);
        if (status != SlabStatus.Ok) Panic.Halt("slab: cannot set up the cache of caches and kmalloc classes");
        Kmem.Current = Slab;
        byte* letters = stackalloc byte[4];
        int n = SlabDebugOption.Letters(debug, letters);
        var line = new LogLine(0, 0);
        line.AppendLiteral("slab: kmalloc classes 8..8192 (+96, 192) ready; slab_debug=");
        for (int i = 0; i < n; i++) line.AppendFormatted((char)letters[i]);
        Log.Info(ref line);
    }

    /// <summary>slabinfo at debug level (the shell's `slabinfo` shows the same text).</summary>
    public static void LogSlabInfo()
    {
        const int Size = 4096;
        byte* buffer = stackalloc byte[Size];
        var text = new TextBuilder(buffer, Size);
        SlabInfoText.Write(ref text);
        LogLines(LogLevel.Debug, buffer, text.Length);
    }

    static ulong AllocatePages(int order) => PhysicalPages.Allocate(order);

    static void FreePages(ulong physical, int order) => PhysicalPages.Free(physical, order);

    static void Report(SlabReport* r)
    {
        const int Size = 1024;
        byte* buffer = stackalloc byte[Size];
        var text = new TextBuilder(buffer, Size);
        SlabReport.Write(ref text, r, &AppendOwner);
        LogLines(LogLevel.Error, buffer, text.Length);
    }

    static void LogLines(LogLevel level, byte* buffer, int length)
    {
        int start = 0;
        for (int i = 0; i < length; i++)
        {
            if (buffer[i] != (byte)'\n') continue;
            var line = new LogLine(0, 0);
            for (int k = start; k < i; k++) line.AppendFormatted((char)buffer[k]);
            Log.Write(level, ref line);
            start = i + 1;
        }
    }

    // Frames between this hook and the allocator's caller: SlabDebug.Track, SlabDebug.Alloc or
    // Free, KmemCache.AllocSlow or FreeSlow (all NoInlining). The records keep the next few;
    // AppendOwner skips any that are still allocator code.
    const int AllocatorFrames = 3;

    static int CaptureCallers(ulong* callers, int max)
    {
        ulong rbp = Cpu.ReadFramePointer();
        int n = 0;
        for (int depth = 0; depth < AllocatorFrames + max && rbp != 0 && (rbp & 7) == 0; depth++)
        {
            ulong next, ret;
            if (ExceptionTable.ProbeRead(rbp, &next) != 0 || ExceptionTable.ProbeRead(rbp + 8, &ret) != 0 || ret == 0) break;
            if (depth >= AllocatorFrames) callers[n++] = ret;
            if (next <= rbp) break;
            rbp = next;
        }
        return n;
    }

    /// <summary>The first C# method of the chain outside the allocator and the runtime's `new`.</summary>
    public static void AppendOwner(ref TextBuilder t, SlabTrack* track)
    {
        int pick = (int)track->Count - 1;
        for (int i = 0; i < (int)track->Count; i++)
        {
            if (!Symbols.Lookup(track->Callers[i], out byte* name, out int length, out _)) continue;
            if (StartsWith(name, length, "kernel_Kernel_Memory_Slab_") || StartsWith(name, length, "kernel_Kernel_Runtime_")) continue;
            pick = i;
            break;
        }
        Symbols.AppendSymbol(ref t, track->Callers[pick]);
    }

    static bool StartsWith(byte* name, int length, string prefix) =>
        length >= prefix.Length && CommandLine.BytesEqual(name, prefix.Length, prefix);
}
