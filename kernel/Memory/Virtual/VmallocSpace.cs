// Platform-neutral shared source (kernel and host tests).
// vmalloc (Linux mm/vmalloc.c): virtually contiguous kernel memory built from single frames, in
// its own range of the kernel half. Every area is followed by one unmapped guard page, so
// running off the end of an area faults instead of corrupting its neighbour, and the page just
// below any area is never mapped either (it is free space or the guard of the area below):
// a stack that overflows downwards hits it. Kernel stacks come from here for that reason.
//
// Areas are kept sorted by address in a fixed array (first fit); a few hundred areas is what a
// kernel of this size needs. Memory is zeroed (frames come from the frame source zeroed).
// The caller serialises calls (one CPU, not preemptible); no interrupt handler allocates.
using Kernel.Arch.X64.Paging;

namespace Kernel.Memory.Virtual;

public unsafe struct VmallocSpace
{
    public const int MaxAreas = 256;
    public const ulong PageBytes = 4096;

    ulong _root, _start, _end;
    int _count;
    ulong _mappedPages;
    fixed ulong _areaStart[MaxAreas];
    fixed ulong _areaPages[MaxAreas]; // mapped pages, not counting the guard page

    public int AreaCount => _count;
    public ulong MappedPages => _mappedPages;
    public ulong RangeStart => _start;
    public ulong RangeEnd => _end;

    public void Initialize(ulong root, ulong start, ulong end)
    {
        _root = root;
        _start = start;
        _end = end;
        _count = 0;
        _mappedPages = 0;
    }

    /// <summary>Maps at least <paramref name="bytes"/> of fresh zeroed pages; the start
    /// address, or 0 when the range, the area table or memory is exhausted (nothing leaks).</summary>
    public ulong Allocate(ulong bytes, PageFlags flags, in FrameSource frames)
    {
        if (bytes == 0 || bytes > _end - _start || _count == MaxAreas) return 0;
        ulong pages = (bytes + PageBytes - 1) / PageBytes;
        ulong span = (pages + 1) * PageBytes; // + guard page
        ulong candidate = _start;
        int index = 0;
        for (; index < _count; index++)
        {
            if (candidate + span <= _areaStart[index]) break;
            candidate = _areaStart[index] + (_areaPages[index] + 1) * PageBytes;
        }
        if (candidate + span > _end || candidate + span < candidate) return 0;

        for (ulong i = 0; i < pages; i++)
        {
            ulong frame = frames.AllocateZeroedFrame();
            if (frame == 0 || PageTables.Map(_root, candidate + i * PageBytes, frame, PageSize.Size4K, flags, in frames) != PagingStatus.Ok)
            {
                if (frame != 0) frames.FreeFrame(frame);
                UnmapPages(candidate, i, in frames);
                return 0;
            }
        }
        for (int k = _count; k > index; k--)
        {
            _areaStart[k] = _areaStart[k - 1];
            _areaPages[k] = _areaPages[k - 1];
        }
        _areaStart[index] = candidate;
        _areaPages[index] = pages;
        _count++;
        _mappedPages += pages;
        return candidate;
    }

    /// <summary>Unmaps an area returned by Allocate and frees its frames; false (and nothing
    /// changed) when <paramref name="address"/> is not the start of an area.</summary>
    public bool Free(ulong address, in FrameSource frames)
    {
        int index = FindStart(address);
        if (index < 0) return false;
        ulong pages = _areaPages[index];
        UnmapPages(address, pages, in frames);
        for (int k = index; k < _count - 1; k++)
        {
            _areaStart[k] = _areaStart[k + 1];
            _areaPages[k] = _areaPages[k + 1];
        }
        _count--;
        _mappedPages -= pages;
        return true;
    }

    void UnmapPages(ulong start, ulong pages, in FrameSource frames)
    {
        for (ulong i = 0; i < pages; i++)
            if (PageTables.Unmap(_root, start + i * PageBytes, PageSize.Size4K, out ulong phys, in frames) == PagingStatus.Ok)
                frames.FreeFrame(phys);
    }

    int FindStart(ulong address)
    {
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            int mid = (low + high) >> 1;
            if (_areaStart[mid] == address) return mid;
            if (_areaStart[mid] < address) low = mid + 1; else high = mid - 1;
        }
        return -1;
    }

    /// <summary>The area [start, end) containing address, or false.</summary>
    public bool FindArea(ulong address, out ulong start, out ulong end)
    {
        for (int i = 0; i < _count; i++)
        {
            start = _areaStart[i];
            end = start + _areaPages[i] * PageBytes;
            if (address >= start && address < end) return true;
        }
        start = end = 0;
        return false;
    }

    /// <summary>
    /// True when address is in the unmapped page just below an area (where a downward-growing
    /// stack overflows) or in the guard page after one; gives that area, preferring the area
    /// above (the page below a stack is also the guard of the area under it).
    /// </summary>
    public bool IsGuard(ulong address, out ulong areaStart, out ulong areaEnd)
    {
        ulong page = address & ~(PageBytes - 1);
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < _count; i++)
            {
                areaStart = _areaStart[i];
                areaEnd = areaStart + _areaPages[i] * PageBytes;
                if (pass == 0 ? page + PageBytes == areaStart : page == areaEnd) return true;
            }
        }
        areaStart = areaEnd = 0;
        return false;
    }
}
