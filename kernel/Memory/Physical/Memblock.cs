// Platform-neutral shared source (kernel and host tests).
//
// memblock: the early physical-memory allocator (after Linux's mm/memblock.c).
//
// What it is. Two region arrays fed from the firmware memory map before any other allocator
// exists: Memory (usable RAM) and Reserved (RAM that is taken: the kernel image, the boot
// modules, the Multiboot2 block, early allocations...). Both are sorted, non-overlapping and
// merged after every operation (MemblockRegionArray). Free memory is Memory minus Reserved.
// Early boot allocates from it top-down (Allocate); when the buddy allocator starts, every
// page that IterateFree yields is handed to it and memblock is retired.
//
// Page granularity (our rule; Linux stores exact bytes). Everything is stored in whole 4 KiB
// pages, rounded the safe way, so that firmware maps with unaligned or tiny entries cannot
// make a partly usable page look free:
//   AddMemory   rounds INWARD  (only pages wholly inside the range are RAM; a tiny entry adds nothing);
//   Reserve     rounds OUTWARD (a page touched by a reservation is reserved);
//   Remove      rounds OUTWARD (a page touched by a hole is not RAM);
//   Free        rounds INWARD  (only pages wholly inside the range are unreserved).
// Inputs may be unsorted and overlap anything. Ranges are clipped to the 52-bit physical
// address space (MaxPhysicalAddress); base + size that overflows is clipped too.
//
// Reserved ranges need not lie inside Memory (firmware areas are often reserved whole).
//
// Capacity. Each array holds MemblockRegionArray.Capacity regions and cannot grow (Linux
// doubles its arrays; we have no allocator yet). An operation that would overflow an array
// changes nothing, returns TooMany*Regions and is remembered: Validate() keeps reporting it,
// because a lost reservation would later hand taken memory to the buddy allocator. The kernel
// must call Validate() after feeding the map and panic with Describe(status) when it is not Ok.
//
// Allocation. Allocate(size, align, limit) picks the highest address a such that
// [a, a + size) is free, a is aligned, a + size <= limit and a >= 4 KiB (page 0 is never handed
// out: 0 means failure), then reserves it. Size rounds up to pages; align below a page becomes
// a page.
//
// State is one unmanaged struct (about 4 KiB); default(Memblock) is an empty, valid instance.
// Not thread-safe: it runs before other CPUs start.
using Kernel.Diagnostics;

namespace Kernel.Memory.Physical;

public unsafe partial struct Memblock
{
    public const ulong PageSize = 4096;
    /// <summary>Exclusive end of the x86-64 physical address space (MAXPHYADDR is at most 52).</summary>
    public const ulong MaxPhysicalAddress = 1UL << 52;
    /// <summary>Allocate's limit meaning "anywhere" (a limit of 0 means the same).</summary>
    public const ulong NoLimit = ulong.MaxValue;

    public MemblockRegionArray Memory;
    public MemblockRegionArray Reserved;
    MemblockStatus _sticky;

    /// <summary>Adds usable RAM [base, base + size), rounded inward to whole pages.</summary>
    public MemblockStatus AddMemory(ulong baseAddress, ulong size)
    {
        ulong start, end;
        if (!RoundInward(baseAddress, size, out start, out end))
            return MemblockStatus.Ok;
        if (Memory.Add(start, end))
            return MemblockStatus.Ok;
        return Remember(MemblockStatus.TooManyMemoryRegions);
    }

    /// <summary>Marks [base, base + size) taken, rounded outward to whole pages. Overlapping
    /// an existing reservation is fine (they merge).</summary>
    public MemblockStatus Reserve(ulong baseAddress, ulong size)
    {
        ulong start, end;
        if (!RoundOutward(baseAddress, size, out start, out end))
            return MemblockStatus.Ok;
        if (Reserved.Add(start, end))
            return MemblockStatus.Ok;
        return Remember(MemblockStatus.TooManyReservedRegions);
    }

    /// <summary>Removes [base, base + size) from usable RAM (a hole), rounded outward.</summary>
    public MemblockStatus Remove(ulong baseAddress, ulong size)
    {
        ulong start, end;
        if (!RoundOutward(baseAddress, size, out start, out end))
            return MemblockStatus.Ok;
        if (Memory.Remove(start, end))
            return MemblockStatus.Ok;
        return Remember(MemblockStatus.TooManyMemoryRegions);
    }

    /// <summary>Unreserves [base, base + size), rounded inward (Linux: memblock_phys_free).
    /// Freeing a partial page frees nothing, since a neighbouring reservation may share it.</summary>
    public MemblockStatus Free(ulong baseAddress, ulong size)
    {
        ulong start, end;
        if (!RoundInward(baseAddress, size, out start, out end))
            return MemblockStatus.Ok;
        if (Reserved.Remove(start, end))
            return MemblockStatus.Ok;
        // The reservation stays whole: nothing is lost, so this is not remembered.
        return MemblockStatus.TooManyReservedRegions;
    }

    /// <summary>Early allocation, top-down: returns the physical address of a reserved,
    /// free-before block of <paramref name="size"/> bytes (rounded up to pages), aligned to
    /// <paramref name="align"/> (0 or less than a page: page-aligned), ending at or below
    /// <paramref name="limit"/> (0 or NoLimit: anywhere). Returns 0 on failure. The memory is
    /// not zeroed.</summary>
    public ulong Allocate(ulong size, ulong align, ulong limit)
    {
        ulong address;
        return TryAllocate(size, align, limit, out address) == MemblockStatus.Ok ? address : 0;
    }

    /// <summary>Allocate with the reason for a failure.</summary>
    public MemblockStatus TryAllocate(ulong size, ulong align, ulong limit, out ulong address)
    {
        address = 0;
        if (size == 0 || size > MaxPhysicalAddress)
            return MemblockStatus.InvalidArgument;
        if (align == 0 || align < PageSize)
            align = PageSize;
        if ((align & (align - 1)) != 0 || align > MaxPhysicalAddress)
            return MemblockStatus.InvalidArgument;
        size = (size + PageSize - 1) & ~(PageSize - 1);
        if (limit == 0 || limit > MaxPhysicalAddress)
            limit = MaxPhysicalAddress;
        limit &= ~(PageSize - 1);

        bool found = false;
        ulong best = 0;
        ulong cursor = 0;
        ulong start, end;
        // Free ranges come in ascending order, so the last fit is the highest one.
        while (IterateFree(ref cursor, out start, out end))
        {
            if (start >= limit)
                break;
            if (start < PageSize)
                start = PageSize;
            if (end > limit)
                end = limit;
            if (end <= start || end - start < size)
                continue;
            ulong candidate = (end - size) & ~(align - 1);
            if (candidate >= start)
            {
                best = candidate;
                found = true;
            }
        }
        if (!found)
            return MemblockStatus.OutOfMemory;
        // A full reserved array fails the allocation cleanly; nothing was lost, so it is not
        // remembered for Validate().
        if (!Reserved.Add(best, best + size))
            return MemblockStatus.TooManyReservedRegions;
        address = best;
        return MemblockStatus.Ok;
    }

    /// <summary>
    /// Yields the free ranges (Memory minus Reserved) in ascending order, each a maximal
    /// page-aligned [start, end). Start with cursor = 0 and call until it returns false; do not
    /// change the arrays in between (the cursor holds indices into them). This is how every
    /// free page reaches the buddy allocator.
    /// </summary>
    public bool IterateFree(ref ulong cursor, out ulong start, out ulong end)
    {
        // Linux's __next_mem_range: the cursor is (memory index) | (gap index << 32), where
        // gap g is the space between reserved region g-1 and reserved region g.
        int mi = (int)(uint)cursor;
        int gi = (int)(uint)(cursor >> 32);
        int reservedCount = Reserved.Count;
        for (; mi < Memory.Count; mi++)
        {
            ulong memStart = Memory.Base(mi);
            ulong memEnd = Memory.End(mi);
            for (; gi <= reservedCount; gi++)
            {
                ulong gapStart = gi == 0 ? 0 : Reserved.End(gi - 1);
                ulong gapEnd = gi < reservedCount ? Reserved.Base(gi) : ulong.MaxValue;
                if (gapStart >= memEnd)
                    break; // this gap and the later ones lie beyond this memory region
                if (gapEnd > memStart)
                {
                    start = memStart > gapStart ? memStart : gapStart;
                    end = memEnd < gapEnd ? memEnd : gapEnd;
                    // Advance whichever of the two ends first; the other may yield more.
                    if (memEnd <= gapEnd)
                        mi++;
                    else
                        gi++;
                    cursor = (uint)mi | ((ulong)(uint)gi << 32);
                    return true;
                }
            }
        }
        cursor = (uint)mi | ((ulong)(uint)gi << 32);
        start = 0;
        end = 0;
        return false;
    }

    /// <summary>Bytes of usable RAM (the Memory array).</summary>
    public ulong MemoryBytes => Memory.TotalBytes;

    /// <summary>Bytes reserved, including reservations outside RAM.</summary>
    public ulong ReservedBytes => Reserved.TotalBytes;

    /// <summary>Bytes of RAM that are not reserved (what the buddy allocator will get).</summary>
    public ulong FreeBytes
    {
        get
        {
            ulong total = 0, cursor = 0, start, end;
            while (IterateFree(ref cursor, out start, out end))
                total += end - start;
            return total;
        }
    }

    /// <summary>Lowest RAM address (0 when there is none).</summary>
    public ulong MemoryStart => Memory.Count == 0 ? 0 : Memory.Base(0);

    /// <summary>One past the highest RAM address: sizes per-page arrays (Linux: max_pfn).</summary>
    public ulong MemoryEnd => Memory.Count == 0 ? 0 : Memory.End(Memory.Count - 1);

    /// <summary>True when every page of [base, base + size) is RAM and none is reserved.</summary>
    public bool IsFree(ulong baseAddress, ulong size)
    {
        ulong start, end;
        if (!RoundOutward(baseAddress, size, out start, out end))
            return false;
        if (Reserved.Overlaps(start, end))
            return false;
        for (int i = 0; i < Memory.Count; i++)
            if (Memory.Base(i) <= start && end <= Memory.End(i))
                return true;
        return false;
    }

    /// <summary>Is this map usable? Reports an overflow that happened earlier (first one
    /// wins), then no RAM at all, then no free RAM.</summary>
    public MemblockStatus Validate()
    {
        if (_sticky != MemblockStatus.Ok)
            return _sticky;
        if (Memory.Count == 0)
            return MemblockStatus.NoUsableMemory;
        if (FreeBytes == 0)
            return MemblockStatus.NoFreeMemory;
        return MemblockStatus.Ok;
    }

    /// <summary>A one-line explanation of <paramref name="status"/> for a panic or a log.</summary>
    public static string Describe(MemblockStatus status)
    {
        switch (status)
        {
            case MemblockStatus.Ok: return "memblock: ok";
            case MemblockStatus.TooManyMemoryRegions:
                return "memblock: the firmware memory map has more usable RAM ranges than the memory array holds (128 after merging); RAM or a hole was dropped";
            case MemblockStatus.TooManyReservedRegions:
                return "memblock: more separate reservations than the reserved array holds (128 after merging); a reservation was dropped";
            case MemblockStatus.NoUsableMemory:
                return "memblock: the firmware memory map lists no usable RAM (not one whole 4 KiB page)";
            case MemblockStatus.NoFreeMemory:
                return "memblock: every page of usable RAM is reserved; nothing is left to allocate";
            case MemblockStatus.InvalidArgument:
                return "memblock: invalid allocation request (size 0 or too large, or alignment not a power of two)";
            case MemblockStatus.OutOfMemory:
                return "memblock: no free range below the limit is large enough";
            default: return "memblock: unknown status";
        }
    }

    /// <summary>Empties both arrays and forgets any overflow.</summary>
    public void Clear()
    {
        Memory.Clear();
        Reserved.Clear();
        _sticky = MemblockStatus.Ok;
    }

    MemblockStatus Remember(MemblockStatus status)
    {
        if (_sticky == MemblockStatus.Ok)
            _sticky = status;
        return status;
    }

    /// <summary>[base, base + size) clipped to the physical address space.
    /// False when nothing of it is left.</summary>
    static bool Clip(ulong baseAddress, ulong size, out ulong end)
    {
        end = 0;
        if (size == 0 || baseAddress >= MaxPhysicalAddress)
            return false;
        end = size > MaxPhysicalAddress - baseAddress ? MaxPhysicalAddress : baseAddress + size;
        return true;
    }

    static bool RoundInward(ulong baseAddress, ulong size, out ulong start, out ulong end)
    {
        start = 0;
        if (!Clip(baseAddress, size, out end))
            return false;
        start = (baseAddress + PageSize - 1) & ~(PageSize - 1);
        end &= ~(PageSize - 1);
        return start < end;
    }

    static bool RoundOutward(ulong baseAddress, ulong size, out ulong start, out ulong end)
    {
        start = 0;
        if (!Clip(baseAddress, size, out end))
            return false;
        start = baseAddress & ~(PageSize - 1);
        end = (end + PageSize - 1) & ~(PageSize - 1);
        return start < end;
    }
}
