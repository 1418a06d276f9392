// Platform-neutral shared source (kernel and host tests).
// One virtual memory area (Linux's vm_area_struct): the pages [Start, End) of a user address
// space with one protection and one set of flags. The node carries its own tree links (an
// intrusive red-black tree plus an address-ordered list), so a VMA is one allocation of a
// fixed size that a kmem_cache can serve.
namespace Kernel.Memory.Virtual;

/// <summary>VMA flag bits (Linux's VM_* in spirit; protection lives apart in Prot).</summary>
public static class VmaFlags
{
    /// <summary>Not backed by a file (private or shared anonymous memory).</summary>
    public const uint Anonymous = 1u << 0;
    /// <summary>MAP_SHARED: writes are seen by every mapping of the object (VM_SHARED|VM_MAYSHARE).</summary>
    public const uint Shared = 1u << 1;
    /// <summary>A stack that extends downwards when a fault lands just below it.</summary>
    public const uint GrowsDown = 1u << 2;
    /// <summary>mprotect may grant read / write / exec (VM_MAYREAD...): cleared for a shared
    /// mapping of a file opened read-only, say.</summary>
    public const uint MayRead = 1u << 3;
    public const uint MayWrite = 1u << 4;
    public const uint MayExec = 1u << 5;
    /// <summary>MAP_NORESERVE: no commit accounting (recorded; nothing reserves yet).</summary>
    public const uint NoReserve = 1u << 6;
    /// <summary>MAP_LOCKED / mlock (recorded only).</summary>
    public const uint Locked = 1u << 7;

    public const uint MayAll = MayRead | MayWrite | MayExec;
}

/// <summary>Names that are not derived from addresses (Linux's special mappings and
/// anon_vma_name); [heap] and [stack] are computed from brk and the stack start, as Linux does.
/// VMAs with different names never merge.</summary>
public enum VmaName : byte
{
    None = 0,
    Vdso = 1,
    Vvar = 2,
    /// <summary>Forced "[stack]" (a stack that is not the main one, e.g. a thread's).</summary>
    Stack = 3,
    /// <summary>Forced "[heap]".</summary>
    Heap = 4,
}

public unsafe struct VmArea
{
    // What a lookup reads comes first, in one cache line: range, tree links, gap annotation.
    public ulong Start;
    public ulong End;
    // Tree links, owned by VmaTree.
    internal VmArea* Left, Right, Parent;
    internal VmArea* PrevArea, NextArea;
    /// <summary>Largest free gap below any VMA of this subtree (see VmaTree.GapBefore).</summary>
    internal ulong SubtreeMaxGap;
    internal bool Red;

    /// <summary>Prot.Read | Prot.Write | Prot.Exec as the program asked (PROT_WRITE alone
    /// stays write-only here and in /proc maps; the page tables make it readable on x86).</summary>
    public int Protection;
    public uint Flags;
    public VmaName Name;
    /// <summary>Opaque file reference of the owner (0 = none) and the byte offset in it of
    /// Start; shared anonymous memory may carry its backing object here too.</summary>
    public ulong File;
    public ulong FileOffset;
    /// <summary>Device and inode printed in /proc maps (0 for anonymous memory).</summary>
    public ulong Inode;
    public uint Device;


    public ulong Length => End - Start;
    public ulong Pages => (End - Start) >> 12;
    public VmArea* Prev => PrevArea;
    public VmArea* Next => NextArea;
    public bool IsShared => (Flags & VmaFlags.Shared) != 0;
    public bool IsAnonymous => (Flags & VmaFlags.Anonymous) != 0;
    public bool GrowsDown => (Flags & VmaFlags.GrowsDown) != 0;
    public bool CanRead => (Protection & Prot.Read) != 0;
    public bool CanWrite => (Protection & Prot.Write) != 0;
    public bool CanExec => (Protection & Prot.Exec) != 0;

    /// <summary>Same attributes, so two adjacent VMAs may become one (Linux's
    /// is_mergeable_vma plus the file-offset continuity check).</summary>
    public static bool Compatible(VmArea* low, VmArea* high)
    {
        if (low->Protection != high->Protection || low->Flags != high->Flags
            || low->Name != high->Name || low->File != high->File
            || low->Inode != high->Inode || low->Device != high->Device)
            return false;
        if (low->File == 0 && (low->Flags & VmaFlags.Shared) == 0) return true;
        return low->FileOffset + (low->End - low->Start) == high->FileOffset;
    }

    /// <summary>Copies the attributes (not the range, not the links) of <paramref name="from"/>.</summary>
    public void CopyAttributes(VmArea* from)
    {
        Protection = from->Protection;
        Flags = from->Flags;
        Name = from->Name;
        File = from->File;
        FileOffset = from->FileOffset;
        Inode = from->Inode;
        Device = from->Device;
    }
}

/// <summary>Where VMA nodes come from: the kernel wires a kmem_cache (or buddy pages), host
/// tests native memory. Allocate returns a zeroed node or null when out of memory.</summary>
public unsafe struct VmaNodeAllocator
{
    public delegate*<void*, VmArea*> Allocate;
    public delegate*<void*, VmArea*, void> Free;
    public void* Context;
}
