using System;
using System.Collections.Generic;
using Kernel.Memory.Virtual;
using Kernel.Syscalls;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>The reference model: one record per page of a small address space, and Linux's
/// rules restated page by page (no tree, no merging: VMAs are whatever maximal runs of
/// compatible pages come out). Slow and obvious on purpose.</summary>
public sealed class VmSpaceModel
{
    public struct PageState
    {
        public bool Mapped;
        public int Prot;
        public uint Flags;
        public ulong File;
        public ulong Offset; // page offset in the file / object; 0 for private anonymous
    }

    public const ulong Page = 4096;
    public readonly ulong MinAddr, TaskSize, MmapBase, Guard;
    public ulong StartBrk, Brk;
    public readonly PageState[] Pages;
    public readonly List<ulong> Unmapped = new();
    public readonly List<ulong> Protected = new();

    public VmSpaceModel(ulong minAddr, ulong taskSize, ulong mmapBase, ulong guard)
    {
        MinAddr = minAddr; TaskSize = taskSize; MmapBase = mmapBase; Guard = guard;
        Pages = new PageState[taskSize / Page];
    }

    ref PageState At(ulong address) => ref Pages[address / Page];
    public bool IsMapped(ulong a) => a < TaskSize && At(a).Mapped;
    static ulong Align(ulong v) => (v + Page - 1) & ~(Page - 1);

    static bool Compatible(in PageState low, in PageState high)
    {
        if (!low.Mapped || !high.Mapped || low.Prot != high.Prot || low.Flags != high.Flags || low.File != high.File) return false;
        if (low.File == 0 && (low.Flags & VmaFlags.Shared) == 0) return true;
        return low.Offset + 1 == high.Offset;
    }

    /// <summary>The VMAs the model implies: maximal runs of compatible pages.</summary>
    public List<(ulong Start, ulong End, PageState First)> Areas()
    {
        var list = new List<(ulong, ulong, PageState)>();
        ulong n = (ulong)Pages.Length;
        for (ulong i = 0; i < n;)
        {
            if (!Pages[i].Mapped) { i++; continue; }
            ulong j = i + 1;
            while (j < n && Compatible(Pages[j - 1], Pages[j])) j++;
            list.Add((i * Page, j * Page, Pages[i]));
            i = j;
        }
        return list;
    }

    (ulong Start, ulong End) AreaAt(ulong address)
    {
        ulong i = address / Page, s = i, e = i + 1;
        while (s > 0 && Compatible(Pages[s - 1], Pages[s])) s--;
        while (e < (ulong)Pages.Length && Compatible(Pages[e - 1], Pages[e])) e++;
        return (s * Page, e * Page);
    }

    /// <summary>Pages a new mapping may not use: mapped ones and the guard gap below the
    /// start of each growsdown VMA.</summary>
    bool[] Blocked()
    {
        var blocked = new bool[Pages.Length];
        for (int i = 0; i < Pages.Length; i++)
        {
            if (!Pages[i].Mapped) continue;
            blocked[i] = true;
            bool areaStart = i == 0 || !Compatible(Pages[i - 1], Pages[i]);
            if (areaStart && (Pages[i].Flags & VmaFlags.GrowsDown) != 0)
                for (long g = i - 1; g >= 0 && (ulong)(i - g) * Page <= Guard && !Pages[g].Mapped; g--) blocked[g] = true;
        }
        return blocked;
    }

    bool RunFree(bool[] blocked, ulong start, ulong length)
    {
        for (ulong a = start; a < start + length; a += Page)
            if (a >= TaskSize || blocked[a / Page]) return false;
        return true;
    }

    /// <summary>get_unmapped_area restated: a free hint, else the highest fit below mmap_base,
    /// else the lowest above the legacy base.</summary>
    public long Place(ulong hint, ulong length, bool isFixed)
    {
        if (length > TaskSize) return -Errno.ENOMEM;
        ulong address = 0;
        if (isFixed) address = hint;
        else
        {
            if (length > TaskSize - MinAddr) return -Errno.ENOMEM;
            var blocked = Blocked();
            bool found = false;
            if (hint != 0)
            {
                hint = Align(hint);
                if (hint != 0 && TaskSize - length >= hint && hint >= MinAddr && RunFree(blocked, hint, length)) { address = hint; found = true; }
            }
            ulong low = Math.Max(MinAddr, Page);
            for (ulong a = MmapBase >= length ? MmapBase - length : 0; !found && a >= low && a + length <= MmapBase; a -= Page)
            {
                if (RunFree(blocked, a, length)) { address = a; found = true; }
                if (a < Page) break;
            }
            ulong legacy = Align(TaskSize / 3);
            for (ulong a = legacy; !found && a + length <= TaskSize; a += Page)
                if (RunFree(blocked, a, length)) { address = a; found = true; }
            if (!found) return -Errno.ENOMEM;
        }
        if (address > TaskSize - length) return -Errno.ENOMEM;
        if ((address & (Page - 1)) != 0) return -Errno.EINVAL;
        if (address < MinAddr) return -Errno.EPERM;
        return (long)address;
    }

    public void Unmap(ulong start, ulong end)
    {
        for (ulong a = start; a < end && a < TaskSize; a += Page)
            if (At(a).Mapped) { Unmapped.Add(a); At(a) = default; }
    }

    public void Map(ulong start, ulong end, int prot, uint flags, ulong file, ulong firstOffset)
    {
        bool offsets = file != 0 || (flags & VmaFlags.Shared) != 0;
        for (ulong a = start; a < end; a += Page)
            At(a) = new PageState { Mapped = true, Prot = prot, Flags = flags, File = file, Offset = offsets ? firstOffset + (a - start) / Page : 0 };
    }

    /// <summary>Anonymous or private file mmap with valid arguments (validation is covered by
    /// the example tests); the shared object id comes from the implementation.</summary>
    public long Mmap(ulong hint, ulong length, int prot, int flags, ulong file, ulong offset, Func<ulong, ulong> sharedIdAt)
    {
        bool fix = (flags & (MapFlags.Fixed | MapFlags.FixedNoReplace)) != 0;
        if (!fix) { hint &= ~(Page - 1); if (hint != 0 && hint < MinAddr) hint = Align(MinAddr); }
        length = Align(length);
        long placed = Place(hint, length, fix);
        if (placed < 0) return placed;
        ulong start = (ulong)placed, end = start + length;
        if ((flags & MapFlags.FixedNoReplace) != 0)
            for (ulong a = start; a < end; a += Page) if (At(a).Mapped) return -Errno.EEXIST;
        uint vf = VmaFlags.MayAll;
        if ((flags & MapFlags.GrowsDown) != 0) vf |= VmaFlags.GrowsDown;
        if ((flags & MapFlags.NoReserve) != 0) vf |= VmaFlags.NoReserve;
        bool shared = (flags & MapFlags.TypeMask) == MapFlags.Shared;
        ulong firstOffset = 0;
        if ((flags & MapFlags.Anonymous) != 0)
        {
            vf |= VmaFlags.Anonymous;
            if (shared) { vf |= VmaFlags.Shared; file = ulong.MaxValue; }
            else file = 0;
        }
        else firstOffset = offset / Page;
        Unmap(start, end);
        if (file == ulong.MaxValue) file = sharedIdAt(start);
        Map(start, end, prot & Prot.Access, vf, file, firstOffset);
        return (long)start;
    }

    public int Mprotect(ulong start, ulong length, int prot)
    {
        if (length == 0) return 0;
        ulong end = start + Align(length);
        if (!IsMapped(start)) return -Errno.ENOMEM;
        for (ulong a = start; a < end; a += Page)
        {
            if (!IsMapped(a)) return -Errno.ENOMEM;
            if (At(a).Prot != prot) { Protected.Add(a); At(a).Prot = prot; }
        }
        return 0;
    }

    public int Madvise(ulong start, ulong length)
    {
        ulong end = start + Align(length);
        for (ulong a = start; a < end; a += Page) if (!IsMapped(a)) return -Errno.ENOMEM;
        return 0;
    }

    public ulong SetBrk(ulong requested)
    {
        if (requested < StartBrk) return Brk;
        ulong newBrk = Align(requested), oldBrk = Align(Brk);
        if (newBrk == oldBrk) return Brk = requested;
        if (requested <= Brk)
        {
            bool any = false;
            for (ulong a = newBrk; a < oldBrk; a += Page) any |= IsMapped(a);
            if (!any) return Brk;
            Unmap(newBrk, oldBrk);
            return Brk = requested;
        }
        if (newBrk > TaskSize) return Brk;
        var blocked = Blocked();
        for (ulong a = oldBrk; a < newBrk + Page && a < TaskSize; a += Page)
            if (blocked[a / Page]) return Brk;
        Map(oldBrk, newBrk, Prot.Read | Prot.Write, VmaFlags.Anonymous | VmaFlags.MayAll, 0, 0);
        return Brk = requested;
    }

    public long Mremap(ulong old, ulong oldLength, ulong newLength, int flags, ulong target)
    {
        bool mayMove = (flags & RemapFlags.MayMove) != 0;
        oldLength = Align(oldLength);
        newLength = Align(newLength);
        if (!IsMapped(old)) return -Errno.EFAULT;
        if ((flags & (RemapFlags.Fixed | RemapFlags.DontUnmap)) != 0)
        {
            if (target > TaskSize - newLength) return -Errno.EINVAL;
            if (old + oldLength > target && target + newLength > old) return -Errno.EINVAL;
            bool fix = (flags & RemapFlags.Fixed) != 0;
            if (fix) Unmap(target, target + newLength);
            if (oldLength > newLength) { Unmap(old + newLength, old + oldLength); oldLength = newLength; }
            if (!IsMapped(old)) return -Errno.EFAULT;
            var area = AreaAt(old);
            if (oldLength == 0 && (At(old).Flags & VmaFlags.Shared) == 0) return -Errno.EINVAL;
            if (oldLength > area.End - old) return -Errno.EFAULT;
            long placed = Place(target, newLength, fix);
            if (placed < 0) return placed;
            return Move(old, oldLength, (ulong)placed, newLength, (flags & RemapFlags.DontUnmap) != 0);
        }
        if (oldLength >= newLength)
        {
            Unmap(old + newLength, old + oldLength);
            return (long)old;
        }
        var a2 = AreaAt(old);
        if (oldLength == 0 && (At(old).Flags & VmaFlags.Shared) == 0) return -Errno.EINVAL;
        if (oldLength > a2.End - old) return -Errno.EFAULT;
        if (oldLength == a2.End - old)
        {
            ulong growEnd = a2.End + (newLength - oldLength);
            bool free = growEnd <= TaskSize;
            for (ulong a = a2.End; free && a < growEnd; a += Page) free = !At(a).Mapped;
            if (free)
            {
                var s = At(old);
                Map(a2.End, growEnd, s.Prot, s.Flags, s.File, s.Offset + (a2.End - old) / Page);
                return (long)old;
            }
        }
        if (!mayMove) return -Errno.ENOMEM;
        long to = Place(0, newLength, false);
        if (to < 0) return to;
        return Move(old, oldLength, (ulong)to, newLength, false);
    }

    long Move(ulong old, ulong oldLength, ulong to, ulong newLength, bool keepOld)
    {
        var s = At(old);
        Map(to, to + newLength, s.Prot, s.Flags, s.File, s.Offset);
        if (oldLength != 0 && !keepOld) Unmap(old, old + oldLength);
        return (long)to;
    }
}
