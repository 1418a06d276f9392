// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
namespace Kernel.Shell.Editing;

/// <summary>
/// The last <see cref="Capacity"/> command lines, newest first, in a fixed ring of
/// <see cref="Capacity"/> slots of <see cref="LineEditor.MaxLength"/> bytes (16 KiB). Adding
/// skips empty (or all-blank) lines and a line equal to the newest entry; when full, the oldest
/// entry is overwritten.
/// </summary>
public unsafe struct History
{
    public const int Capacity = 16;
    const int SlotBytes = LineEditor.MaxLength;

    fixed byte _slots[Capacity * SlotBytes];
    fixed short _lengths[Capacity];
    int _newest;   // slot of the newest entry
    int _count;

    public int Count => _count;

    public void Clear()
    {
        _count = 0;
        _newest = 0;
    }

    /// <summary>Adds a line; returns false when it was skipped (blank, or a repeat of the newest).</summary>
    public bool Add(byte* line, int length)
    {
        if (line == null || length <= 0)
            return false;
        if (length > SlotBytes)
            length = SlotBytes;
        bool blank = true;
        for (int i = 0; i < length; i++)
            if (line[i] != (byte)' ') { blank = false; break; }
        if (blank)
            return false;
        if (_count > 0 && SameAs(0, line, length))
            return false;
        int slot = _count == 0 ? _newest : (_newest + 1) % Capacity;
        for (int i = 0; i < length; i++)
            _slots[slot * SlotBytes + i] = line[i];
        _lengths[slot] = (short)length;
        _newest = slot;
        if (_count < Capacity)
            _count++;
        return true;
    }

    int SlotOf(int age) => (_newest - age + Capacity) % Capacity;

    /// <summary>Length of entry <paramref name="age"/> (0 = newest), -1 when there is none.</summary>
    public int LengthOf(int age)
    {
        if (age < 0 || age >= _count)
            return -1;
        return _lengths[SlotOf(age)];
    }

    /// <summary>Byte <paramref name="index"/> of entry <paramref name="age"/> (0 outside it).</summary>
    public byte ByteAt(int age, int index)
    {
        int n = LengthOf(age);
        if (n < 0 || index < 0 || index >= n)
            return 0;
        return _slots[SlotOf(age) * SlotBytes + index];
    }

    /// <summary>Copies entry <paramref name="age"/> into <paramref name="dst"/>; returns its
    /// length (cut to <paramref name="capacity"/>), -1 when there is no such entry.</summary>
    public int Copy(int age, byte* dst, int capacity)
    {
        int n = LengthOf(age);
        if (n < 0 || dst == null)
            return -1;
        if (n > capacity)
            n = capacity;
        int start = SlotOf(age) * SlotBytes;
        for (int i = 0; i < n; i++)
            dst[i] = _slots[start + i];
        return n;
    }

    bool SameAs(int age, byte* line, int length)
    {
        if (LengthOf(age) != length)
            return false;
        int start = SlotOf(age) * SlotBytes;
        for (int i = 0; i < length; i++)
            if (_slots[start + i] != line[i])
                return false;
        return true;
    }
}
