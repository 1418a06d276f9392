// The initrd: the boot module whose string is "initrd" (else the first module), indexed at
// boot. Its memory was reserved by memblock (EarlyMemory reserves every module), so the
// buddy allocator never hands it out and the index can point into it for good.
using Kernel.Boot.Multiboot2;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Fs;

public static unsafe class Initrd
{
    static InitrdIndex s_index;
    static bool s_present;

    public static bool Present => s_present;
    public static InitrdIndex* Index { get { fixed (InitrdIndex* i = &s_index) return i; } }

    public static void Initialize(BootInfo* info)
    {
        int chosen = -1;
        for (int i = 0; i < info->ModuleCount; i++)
        {
            info->GetModule(i, out uint _, out uint _, out byte* text, out int length);
            if (Boot.CommandLine.BytesEqual(text, length, "initrd")) { chosen = i; break; }
        }
        if (chosen < 0 && info->ModuleCount > 0) chosen = 0;
        if (chosen < 0)
        {
            Log.Info("initrd: no boot module; no files");
            return;
        }
        info->GetModule(chosen, out uint start, out uint end, out byte* _, out int _);
        if (end < start) end = start;
        CpioStatus status = s_index.Build((byte*)PhysicalMap.ToVirtual(start), end - start);
        s_present = true;
        if (status != CpioStatus.Ok)
            Log.Error($"initrd: archive damaged after {s_index.Count} entries: {CpioArchive.Describe(status)}");
        Log.Info($"initrd: module {chosen} at {start:x}, {(end - start) / 1024} KiB, {s_index.Count} entries{(s_index.Dropped > 0 ? " (some dropped)" : "")}");
    }
}
