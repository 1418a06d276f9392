// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers and string literals (Length / indexer) may be used here.
namespace Kernel.Diagnostics;

/// <summary>
/// Appends ASCII text to caller-owned memory. Never allocates and never writes past
/// <see cref="Capacity"/>: once full, further bytes are dropped and <see cref="Truncated"/>
/// is set (byte-level truncation, like snprintf). The buffer is NOT NUL-terminated; use
/// <see cref="Length"/>. Usable before any heap exists (panic path, early boot).
/// </summary>
public unsafe struct TextBuilder
{
    byte* _buffer;
    int _length;
    int _capacity;
    bool _truncated;

    public TextBuilder(byte* buffer, int capacity)
    {
        _buffer = buffer;
        _capacity = buffer == null || capacity < 0 ? 0 : capacity;
        _length = 0;
        _truncated = false;
    }

    public byte* Buffer { get { return _buffer; } }
    public int Length { get { return _length; } }
    public int Capacity { get { return _capacity; } }
    /// <summary>True once any byte was dropped because the buffer was full.</summary>
    public bool Truncated { get { return _truncated; } }

    public void Clear()
    {
        _length = 0;
        _truncated = false;
    }

    /// <summary>Drops everything after the first <paramref name="length"/> bytes and forgets any
    /// truncation since: lets a writer emit whole records only (write, then roll back on overflow).</summary>
    public void RollBack(int length)
    {
        if (length >= 0 && length <= _length)
            _length = length;
        _truncated = false;
    }

    /// <summary>Appends one raw byte (the primitive every other method goes through).</summary>
    public void AppendByte(byte b)
    {
        if (_length < _capacity)
            _buffer[_length++] = b;
        else
            _truncated = true;
    }

    /// <summary>ASCII characters as they are; anything else becomes '?'.</summary>
    public void Append(char c)
    {
        AppendByte(c < (char)0x80 ? (byte)c : (byte)'?');
    }

    public void Append(string s)
    {
        if ((object)s == null)
            return;
        for (int i = 0; i < s.Length; i++)
            Append(s[i]);
    }

    public void AppendBytes(byte* p, int n)
    {
        if (p == null)
            return;
        for (int i = 0; i < n; i++)
            AppendByte(p[i]);
    }

    public void AppendDecimal(long v)
    {
        AppendDecimal(v, 0, ' ');
    }

    public void AppendDecimal(ulong v)
    {
        AppendDecimal(v, 0, ' ');
    }

    /// <summary>Right-aligned in <paramref name="width"/> columns. With pad '0' a minus sign
    /// goes before the zeros ("-0042").</summary>
    public void AppendDecimal(long v, int width, char pad)
    {
        if (v >= 0)
        {
            AppendDecimal((ulong)v, width, pad);
            return;
        }
        // Two's complement negation in ulong handles long.MinValue (-(2^63)) without overflow.
        ulong magnitude = (ulong)(-(v + 1)) + 1;
        int digits = CountDecimalDigits(magnitude);
        if (pad == '0')
        {
            Append('-');
            AppendRepeat('0', width - 1 - digits);
        }
        else
        {
            AppendRepeat(pad, width - 1 - digits);
            Append('-');
        }
        WriteDecimalDigits(magnitude, digits);
    }

    /// <summary>Right-aligned in <paramref name="width"/> columns, padded on the left with
    /// <paramref name="pad"/>. A number wider than <paramref name="width"/> is written whole.</summary>
    public void AppendDecimal(ulong v, int width, char pad)
    {
        int digits = CountDecimalDigits(v);
        AppendRepeat(pad, width - digits);
        WriteDecimalDigits(v, digits);
    }

    /// <summary>Lowercase hexadecimal, no prefix, at least <paramref name="minDigits"/> digits
    /// (zero-padded) and at least one digit.</summary>
    public void AppendHex(ulong v, int minDigits)
    {
        int digits = 1;
        for (ulong t = v >> 4; t != 0; t >>= 4)
            digits++;
        AppendRepeat('0', minDigits - digits);
        for (int i = digits - 1; i >= 0; i--)
        {
            int nibble = (int)((v >> (i * 4)) & 0xF);
            AppendByte((byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
        }
    }

    /// <summary>Pads <paramref name="s"/> with spaces to <paramref name="width"/> columns
    /// (left- or right-aligned). Longer text is written whole, never cut.</summary>
    public void AppendPadded(string s, int width, bool leftAlign)
    {
        int n = (object)s == null ? 0 : s.Length;
        if (!leftAlign)
            AppendRepeat(' ', width - n);
        Append(s);
        if (leftAlign)
            AppendRepeat(' ', width - n);
    }

    public void AppendPaddedBytes(byte* s, int n, int width, bool leftAlign)
    {
        if (s == null || n < 0)
            n = 0;
        if (!leftAlign)
            AppendRepeat(' ', width - n);
        AppendBytes(s, n);
        if (leftAlign)
            AppendRepeat(' ', width - n);
    }

    /// <summary>Appends <paramref name="c"/> <paramref name="count"/> times; count &lt;= 0 does nothing.</summary>
    public void AppendRepeat(char c, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (_length >= _capacity)
            {
                _truncated = true;
                return;
            }
            Append(c);
        }
    }

    static int CountDecimalDigits(ulong v)
    {
        int digits = 1;
        while (v >= 10)
        {
            v /= 10;
            digits++;
        }
        return digits;
    }

    void WriteDecimalDigits(ulong v, int digits)
    {
        // At most 20 digits for a ulong; build them most-significant first without a scratch
        // buffer by dividing by the matching power of ten.
        ulong divisor = 1;
        for (int i = 1; i < digits; i++)
            divisor *= 10;
        for (int i = 0; i < digits; i++)
        {
            AppendByte((byte)('0' + (int)(v / divisor)));
            v %= divisor;
            divisor /= 10;
        }
    }
}
