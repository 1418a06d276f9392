// Platform-neutral shared source (kernel and host tests).
// /proc/meminfo-style lines, formatted as Linux's show_val_kb does: the label with its colon
// left-aligned in 16 columns, the value in kB right-aligned in 8, then " kB".
//   MemTotal:       frames handed to the allocator (Linux: totalram = managed pages)
//   MemFree:        frames in the buddy lists (Linux NR_FREE_PAGES: per-CPU lists excluded)
//   MemAvailable:   free + per-CPU cached (nothing else is reclaimable yet)
//   PerCpuCached:   frames in the per-CPU lists (ours; Linux has no such line)
//   Allocated:      managed frames handed out (ours)
//   Reserved:       RAM never handed over: firmware, kernel image, early allocations (ours)
//   MemPresent:     all RAM the allocator describes (ours)
using Kernel.Diagnostics;

namespace Kernel.Memory.Physical;

public static unsafe class MemInfoText
{
    public static void Write(ref TextBuilder text, PhysicalMemoryStats* s)
    {
        Line(ref text, "MemTotal:", s->ManagedFrames);
        Line(ref text, "MemFree:", s->FreeFrames);
        Line(ref text, "MemAvailable:", s->FreeFrames + s->PerCpuFrames);
        Line(ref text, "PerCpuCached:", s->PerCpuFrames);
        Line(ref text, "Allocated:", s->AllocatedFrames);
        Line(ref text, "Reserved:", s->ReservedFrames);
        Line(ref text, "MemPresent:", s->PresentFrames);
    }

    static void Line(ref TextBuilder text, string label, ulong frames)
    {
        text.AppendPadded(label, 16, true);
        text.AppendDecimal(frames << (PageGeometry.PageShift - 10), 8, ' ');
        text.Append(" kB\n");
    }
}
