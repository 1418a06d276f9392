// Platform-neutral shared source (kernel and host tests).
// /proc/PID/maps in Linux's exact format (fs/proc/task_mmu.c show_map_vma): one line per VMA,
//   start-end perms offset major:minor inode<padding>name
// addresses at least 8 lowercase hex digits, perms rwx plus s (shared) or p (private), the file
// offset in 8 hex digits, device in 2+2 hex digits, the inode in decimal, then (only when there
// is a name) spaces up to column 73 and the name. The shell's `maps` and /proc use this one writer.
using Kernel.Diagnostics;

namespace Kernel.Memory.Virtual;

/// <summary>How file-backed VMAs are named: the owner appends the path of VmArea.File.
/// Null AppendPath: file VMAs print no name.</summary>
public unsafe struct MapsPaths
{
    public void* Context;
    public delegate*<void*, VmArea*, TextBuilder*, void> AppendPath;
}

public static unsafe class MapsText
{
    /// <summary>Column where names start, less one: seq_setwidth(25 + 6 * sizeof(void*) - 1).</summary>
    const int NameColumn = 72;

    /// <summary>Writes the lines of the VMAs ending above <paramref name="fromAddress"/>, whole
    /// lines only. True when every line was written; false when the buffer filled up, with
    /// <paramref name="resumeAt"/> the address to pass next time (a seq_file style read).</summary>
    public static bool Write(VmSpace* space, TextBuilder* text, ulong fromAddress, in MapsPaths paths, out ulong resumeAt)
    {
        resumeAt = fromAddress;
        for (VmArea* vma = space->Tree.Find(fromAddress); vma != null; vma = vma->Next)
        {
            int lineStart = text->Length;
            WriteLine(space, vma, text, in paths);
            if (text->Truncated)
            {
                text->RollBack(lineStart);
                return false;
            }
            resumeAt = vma->End;
        }
        return true;
    }

    static void WriteLine(VmSpace* space, VmArea* vma, TextBuilder* text, in MapsPaths paths)
    {
        int lineStart = text->Length;
        text->AppendHex(vma->Start, 8);
        text->Append('-');
        text->AppendHex(vma->End, 8);
        text->Append(' ');
        text->Append(vma->CanRead ? 'r' : '-');
        text->Append(vma->CanWrite ? 'w' : '-');
        text->Append(vma->CanExec ? 'x' : '-');
        text->Append(vma->IsShared ? 's' : 'p');
        text->Append(' ');
        bool hasObject = vma->File != 0;
        text->AppendHex(hasObject ? vma->FileOffset : 0, 8);
        text->Append(' ');
        text->AppendHex(vma->Device >> 20, 2);
        text->Append(':');
        text->AppendHex(vma->Device & 0xFFFFF, 2);
        text->Append(' ');
        text->AppendDecimal(vma->Inode);
        text->Append(' ');

        if (hasObject && (vma->File & VmSpace.SharedAnonymousTag) != 0)
        {
            Pad(text, lineStart);
            text->Append("/dev/zero (deleted)");
        }
        else if (hasObject)
        {
            if (paths.AppendPath != null)
            {
                Pad(text, lineStart);
                paths.AppendPath(paths.Context, vma, text);
            }
        }
        else
        {
            string name = SpecialName(space, vma);
            if ((object)name != null)
            {
                Pad(text, lineStart);
                text->Append(name);
            }
        }
        text->Append('\n');
    }

    static string SpecialName(VmSpace* space, VmArea* vma)
    {
        switch (vma->Name)
        {
            case VmaName.Vdso: return "[vdso]";
            case VmaName.Vvar: return "[vvar]";
            case VmaName.Stack: return "[stack]";
            case VmaName.Heap: return "[heap]";
        }
        if (vma->Start < space->Brk && vma->End > space->StartBrk) return "[heap]";
        if (space->StartStack != 0 && vma->Start <= space->StartStack && vma->End >= space->StartStack) return "[stack]";
        return null;
    }

    /// <summary>seq_pad: spaces up to the name column, then one more.</summary>
    static void Pad(TextBuilder* text, int lineStart)
    {
        text->AppendRepeat(' ', NameColumn - (text->Length - lineStart));
        text->Append(' ');
    }
}
