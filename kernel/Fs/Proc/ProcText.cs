// The text of each /proc file, one generator each, shared by /proc reads and the shell
// (meminfo, buddyinfo, slabinfo, maps PID): /proc/meminfo, /proc/buddyinfo, /proc/slabinfo
// (Memory/Physical and Memory/Slab writers) and /proc/PID/maps (Memory/Virtual/MapsText with
// initrd paths for file mappings).
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Memory.Physical;
using Kernel.Memory.Slab;
using Kernel.Memory.Virtual;
using Kernel.Tasks;

namespace Kernel.Fs.Proc;

public static unsafe class ProcText
{
    /// <summary>Writes <paramref name="file"/>'s text (for Maps: of process
    /// <paramref name="pid"/>); false when that process is gone.</summary>
    public static bool Write(ProcFile file, int pid, ref TextBuilder text)
    {
        PhysicalMemoryStats stats;
        switch (file)
        {
            case ProcFile.MemInfo:
                PhysicalPages.Buddy->GetStats(&stats);
                MemInfoText.Write(ref text, &stats);
                return true;
            case ProcFile.BuddyInfo:
                PhysicalPages.Buddy->GetStats(&stats);
                BuddyInfoText.Write(ref text, &stats);
                return true;
            case ProcFile.SlabInfo:
                SlabInfoText.Write(ref text);
                return true;
            case ProcFile.Maps:
                return Maps(pid, ref text);
        }
        return false;
    }

    /// <summary>/proc/PID/maps of a live process (the kernel task has no user half: empty).</summary>
    public static bool Maps(int pid, ref TextBuilder text)
    {
        Process* p = ProcessTable.Find(pid);
        if (p == null || p->State == TaskState.Zombie) return false;
        MapsPaths paths;
        paths.Context = null;
        paths.AppendPath = &AppendInitrdPath;
        fixed (TextBuilder* t = &text) MapsText.Write(&p->Vm, t, 0, in paths, out ulong _);
        return true;
    }

    /// <summary>File VMAs name initrd files (VmArea.File = entry + 1).</summary>
    static void AppendInitrdPath(void* context, VmArea* vma, TextBuilder* text)
    {
        InitrdIndex.Entry* e = Initrd.Index->Get((int)(vma->File - 1));
        text->Append('/');
        text->AppendBytes(e->Path, e->PathLength);
    }
}
