// Platform-neutral shared source (kernel and host tests).
// mmap (Linux do_mmap / mmap_region) and get_unmapped_area (the x86 top-down layout), with
// Linux's argument checks in Linux's order, so each bad call gets the errno Linux gives.
using Kernel.Syscalls;

namespace Kernel.Memory.Virtual;

public unsafe partial struct VmSpace
{
    /// <summary>Bottom-up fallback base when the area below mmap_base is full (TASK_UNMAPPED_BASE).</summary>
    public ulong LegacyMmapBase => PageAlign(TaskSize / 3);

    /// <summary>mmap(2). <paramref name="file"/> is null for MAP_ANONYMOUS (ignored then);
    /// <paramref name="offset"/> is in bytes. Returns the address or a negative errno:
    /// EINVAL (unaligned offset or MAP_FIXED address, zero length, bad map type, shared
    /// growsdown), ENOMEM (length overflow, no room, max_map_count), EOVERFLOW (offset + length
    /// wraps), EEXIST (MAP_FIXED_NOREPLACE over a mapping), EPERM (fixed below mmap_min_addr),
    /// EOPNOTSUPP (unknown flag with MAP_SHARED_VALIDATE), EACCES (file mode), EBADF (no file).
    /// MAP_POPULATE is left to the caller (it faults the returned range in).</summary>
    public long Mmap(ulong address, ulong length, int prot, int flags, VmFile* file, ulong offset)
    {
        if ((offset & PageMask) != 0) return -Errno.EINVAL;
        bool anonymous = (flags & MapFlags.Anonymous) != 0;
        if (anonymous) file = null;
        else if (file == null || file->Handle == 0) return -Errno.EBADF;
        if ((flags & MapFlags.HugeTlb) != 0) return -Errno.ENOMEM; // no huge page pool

        if (length == 0) return -Errno.EINVAL;
        if ((flags & MapFlags.FixedNoReplace) != 0) flags |= MapFlags.Fixed;
        if ((flags & MapFlags.Fixed) == 0) address = RoundHintToMin(address);
        length = PageAlign(length);
        if (length == 0) return -Errno.ENOMEM;
        ulong pgoff = offset >> 12;
        if (pgoff + (length >> 12) < pgoff) return -Errno.EOVERFLOW;
        if (Tree.Count > MaxMapCount) return -Errno.ENOMEM;

        long placed = GetUnmappedArea(address, length, flags);
        if (placed < 0) return placed;
        ulong start = (ulong)placed, end = start + length;
        if ((flags & MapFlags.FixedNoReplace) != 0 && Tree.FindIntersection(start, end) != null)
            return -Errno.EEXIST;

        VmArea attrs = default;
        attrs.Start = start;
        attrs.End = end;
        attrs.Protection = prot & Prot.Access;
        attrs.Flags = VmaFlags.MayAll;
        if ((flags & MapFlags.GrowsDown) != 0) attrs.Flags |= VmaFlags.GrowsDown;
        if ((flags & MapFlags.NoReserve) != 0) attrs.Flags |= VmaFlags.NoReserve;
        if ((flags & MapFlags.Locked) != 0) attrs.Flags |= VmaFlags.Locked;
        int type = flags & MapFlags.TypeMask;
        if (file != null)
        {
            // file_mmap_ok: the range must stay below the largest file offset (2^63 - 1).
            const ulong maxFileSize = 0x7FFF_FFFF_FFFF_FFFF;
            if (length > maxFileSize || pgoff > (maxFileSize - length) >> 12) return -Errno.EOVERFLOW;
            if (type == MapFlags.Shared || type == MapFlags.SharedValidate)
            {
                if (type == MapFlags.SharedValidate && (flags & ~MapFlags.KnownMask) != 0) return -Errno.EOPNOTSUPP;
                if (!file->Readable) return -Errno.EACCES;
                if ((prot & Prot.Write) != 0 && !file->Writable) return -Errno.EACCES;
                attrs.Flags |= VmaFlags.Shared;
                if (!file->Writable) attrs.Flags &= ~VmaFlags.MayWrite;
            }
            else if (type == MapFlags.Private)
            {
                if (!file->Readable) return -Errno.EACCES;
            }
            else return -Errno.EINVAL;
            attrs.File = file->Handle;
            attrs.Inode = file->Inode;
            attrs.Device = file->Device;
            attrs.FileOffset = offset;
        }
        else
        {
            attrs.Flags |= VmaFlags.Anonymous;
            if (type == MapFlags.Shared || type == MapFlags.SharedValidate)
            {
                if (type == MapFlags.SharedValidate && (flags & ~MapFlags.KnownMask) != 0) return -Errno.EOPNOTSUPP;
                if ((flags & MapFlags.GrowsDown) != 0) return -Errno.EINVAL;
                attrs.Flags |= VmaFlags.Shared;
                // Each shared anonymous mapping is its own object (Linux: a shmem file),
                // named so the page layer can find its pages and it never merges with another.
                attrs.File = SharedAnonymousTag | ++_sharedObjects;
            }
            else if (type != MapFlags.Private) return -Errno.EINVAL;
        }

        if ((flags & MapFlags.Fixed) != 0)
        {
            int unmapped = UnmapRange(start, end);
            if (unmapped < 0) return unmapped;
        }
        int status = MapFreeRange(&attrs, out VmArea* _);
        return status < 0 ? status : (long)start;
    }

    /// <summary>Marks VmArea.File values VmSpace made up for shared anonymous objects.</summary>
    public const ulong SharedAnonymousTag = 1UL << 63;

    /// <summary>A non-fixed hint is truncated to its page and raised to mmap_min_addr.</summary>
    ulong RoundHintToMin(ulong hint)
    {
        hint &= ~PageMask;
        if (hint != 0 && hint < MmapMinAddr) return PageAlign(MmapMinAddr);
        return hint;
    }

    /// <summary>Linux's __get_unmapped_area with the x86 top-down allocator: a MAP_FIXED
    /// address as it is (checked), else a free hint, else the highest gap below mmap_base,
    /// else the lowest gap above the legacy base. An address or -ENOMEM / -EINVAL / -EPERM.</summary>
    public long GetUnmappedArea(ulong hint, ulong length, int flags)
    {
        if (length > TaskSize) return -Errno.ENOMEM;
        ulong address;
        if ((flags & MapFlags.Fixed) != 0)
        {
            address = hint;
        }
        else
        {
            if (length > TaskSize - MmapMinAddr) return -Errno.ENOMEM;
            if (!FindFreeArea(hint, length, out address)) return -Errno.ENOMEM;
        }
        if (address > TaskSize - length) return -Errno.ENOMEM;
        if ((address & PageMask) != 0) return -Errno.EINVAL;
        if (address < MmapMinAddr) return -Errno.EPERM;
        return (long)address;
    }

    bool FindFreeArea(ulong hint, ulong length, out ulong address)
    {
        if (hint != 0)
        {
            hint = PageAlign(hint);
            if (hint != 0 && TaskSize - length >= hint && hint >= MmapMinAddr && IsFree(hint, length))
            {
                address = hint;
                return true;
            }
        }
        ulong low = MmapMinAddr > PageSize ? MmapMinAddr : PageSize;
        if (Tree.FindGapTopDown(length, low, MmapBase, out _, out ulong gapEnd))
        {
            address = gapEnd - length;
            return true;
        }
        if (Tree.FindGapBottomUp(length, LegacyMmapBase, TaskSize, out ulong gapStart, out _))
        {
            address = gapStart;
            return true;
        }
        address = 0;
        return false;
    }

    /// <summary>No VMA, and no stack guard gap, in [address, address + length).</summary>
    bool IsFree(ulong address, ulong length)
    {
        VmArea* vma = Tree.Find(address);
        return vma == null || address + length <= Tree.StartWithGuard(vma);
    }
}
