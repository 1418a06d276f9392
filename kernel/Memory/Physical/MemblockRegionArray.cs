// Platform-neutral shared source (kernel and host tests).
// One memblock region array (Linux: struct memblock_type): a fixed-capacity list of
// [base, end) ranges kept sorted, non-overlapping and merged (two stored regions never touch)
// after every operation. Linux doubles its arrays when they fill up; ours cannot grow, so an
// operation that would need more than Capacity regions changes nothing and reports false.
namespace Kernel.Memory.Physical;

public unsafe struct MemblockRegionArray
{
    /// <summary>Regions per array (Linux's INIT_MEMBLOCK_REGIONS). Real firmware maps merge
    /// down to a few dozen; 128 leaves room for many scattered reservations.</summary>
    public const int Capacity = 128;

    int _count;
    fixed ulong _base[Capacity];
    fixed ulong _end[Capacity];

    public int Count => _count;

    /// <summary>First byte of region <paramref name="index"/> (0 &lt;= index &lt; Count).</summary>
    public ulong Base(int index) => _base[index];

    /// <summary>One past the last byte of region <paramref name="index"/>.</summary>
    public ulong End(int index) => _end[index];

    public ulong Size(int index) => _end[index] - _base[index];

    /// <summary>Sum of all region sizes in bytes.</summary>
    public ulong TotalBytes
    {
        get
        {
            ulong total = 0;
            for (int i = 0; i < _count; i++)
                total += _end[i] - _base[i];
            return total;
        }
    }

    /// <summary>True when [start, end) overlaps any region.</summary>
    public bool Overlaps(ulong start, ulong end)
    {
        for (int i = 0; i < _count && _base[i] < end; i++)
            if (_end[i] > start)
                return true;
        return false;
    }

    /// <summary>True when the invariants hold: every region non-empty, sorted, and separated
    /// from the next by a gap (so overlapping and touching regions were merged).</summary>
    public bool CheckInvariants()
    {
        if (_count < 0 || _count > Capacity)
            return false;
        for (int i = 0; i < _count; i++)
        {
            if (_base[i] >= _end[i])
                return false;
            if (i > 0 && _end[i - 1] >= _base[i])
                return false;
        }
        return true;
    }

    /// <summary>Adds [start, end) (start &lt; end), merging it with every region it overlaps
    /// or touches. Returns false, changing nothing, when the array is full.</summary>
    internal bool Add(ulong start, ulong end)
    {
        // [first, last) are the regions that overlap or touch [start, end).
        int first = 0;
        while (first < _count && _end[first] < start)
            first++;
        int last = first;
        while (last < _count && _base[last] <= end)
            last++;

        if (first == last)
        {
            if (_count == Capacity)
                return false;
            MoveTail(first, first + 1);
            _base[first] = start;
            _end[first] = end;
            return true;
        }

        ulong mergedStart = _base[first] < start ? _base[first] : start;
        ulong mergedEnd = _end[last - 1] > end ? _end[last - 1] : end;
        _base[first] = mergedStart;
        _end[first] = mergedEnd;
        MoveTail(last, first + 1);
        return true;
    }

    /// <summary>Removes [start, end) (start &lt; end) from every region, trimming or
    /// splitting them. Returns false, changing nothing, when a split needs a slot the full
    /// array does not have.</summary>
    internal bool Remove(ulong start, ulong end)
    {
        // [first, last) are the regions that overlap [start, end) (touching is not enough).
        int first = 0;
        while (first < _count && _end[first] <= start)
            first++;
        int last = first;
        while (last < _count && _base[last] < end)
            last++;
        if (first == last)
            return true;

        bool keepLeft = _base[first] < start;
        bool keepRight = _end[last - 1] > end;
        ulong leftStart = _base[first];
        ulong rightEnd = _end[last - 1];
        int pieces = (keepLeft ? 1 : 0) + (keepRight ? 1 : 0);
        if (_count - (last - first) + pieces > Capacity)
            return false;

        MoveTail(last, first + pieces);
        int slot = first;
        if (keepLeft)
        {
            _base[slot] = leftStart;
            _end[slot] = start;
            slot++;
        }
        if (keepRight)
        {
            _base[slot] = end;
            _end[slot] = rightEnd;
        }
        return true;
    }

    internal void Clear() => _count = 0;

    /// <summary>Moves regions [from, Count) so that they start at index <paramref name="to"/>
    /// and adjusts Count. The caller guarantees the result fits.</summary>
    void MoveTail(int from, int to)
    {
        int n = _count - from;
        if (to > from)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                _base[to + i] = _base[from + i];
                _end[to + i] = _end[from + i];
            }
        }
        else if (to < from)
        {
            for (int i = 0; i < n; i++)
            {
                _base[to + i] = _base[from + i];
                _end[to + i] = _end[from + i];
            }
        }
        _count = to + n;
    }
}
