// Platform-neutral shared source (kernel and host tests).
// A command line split into words: separated by spaces or tabs, double quotes group spaces
// ("a b" is one word, the quotes removed), at most MaxArguments words (the rest counted in
// Dropped). The words point into the caller's line buffer, which must outlive this struct.
// Numbers: decimal, or hexadecimal with 0x; anything else, or a value past 64 bits, is refused.
using Kernel.Diagnostics;

namespace Kernel.Shell;

public unsafe struct CommandArguments
{
    public const int MaxArguments = 32;

    byte* _line;
    int _count;
    int _dropped;
    bool _unterminatedQuote;
    fixed int _start[MaxArguments];
    fixed int _length[MaxArguments];

    public int Count => _count;
    public int Dropped => _dropped;
    public bool UnterminatedQuote => _unterminatedQuote;

    /// <summary>Splits <paramref name="length"/> bytes of <paramref name="line"/> in place
    /// (quote characters are squeezed out of quoted words, so the buffer is modified).</summary>
    public static void Parse(byte* line, int length, CommandArguments* result)
    {
        *result = default;
        result->_line = line;
        if (line == null || length <= 0) return;
        int i = 0;
        while (i < length)
        {
            while (i < length && IsSpace(line[i])) i++;
            if (i >= length) break;
            int start = i, write = i;
            bool quoted = false;
            while (i < length && (quoted || !IsSpace(line[i])))
            {
                if (line[i] == (byte)'"') { quoted = !quoted; i++; continue; }
                line[write++] = line[i++];
            }
            if (quoted) result->_unterminatedQuote = true;
            if (result->_count == MaxArguments) { result->_dropped++; continue; }
            result->_start[result->_count] = start;
            result->_length[result->_count] = write - start;
            result->_count++;
        }
    }

    static bool IsSpace(byte b) => b == (byte)' ' || b == (byte)'\t';

    public byte* Get(int index, out int length)
    {
        if (index < 0 || index >= _count) { length = 0; return null; }
        length = _length[index];
        return _line + _start[index];
    }

    public bool Equals(int index, string text)
    {
        byte* p = Get(index, out int n);
        if (p == null || text == null || n != text.Length) return false;
        for (int i = 0; i < n; i++) if (p[i] != (byte)text[i]) return false;
        return true;
    }

    /// <summary>Decimal or 0x-hexadecimal, the whole word, no overflow.</summary>
    public bool TryGetUInt64(int index, out ulong value)
    {
        value = 0;
        byte* p = Get(index, out int n);
        return p != null && ParseUInt64(p, n, out value);
    }

    public static bool ParseUInt64(byte* p, int n, out ulong value)
    {
        value = 0;
        if (n <= 0) return false;
        bool hex = n > 2 && p[0] == (byte)'0' && (p[1] == (byte)'x' || p[1] == (byte)'X');
        int i = hex ? 2 : 0;
        for (; i < n; i++)
        {
            int digit = DigitValue(p[i]);
            if (digit < 0 || (!hex && digit > 9)) return false;
            if (hex)
            {
                if ((value >> 60) != 0) return false;
                value = value << 4 | (uint)digit;
            }
            else
            {
                if (value > (0xFFFFFFFFFFFFFFFFUL - (ulong)digit) / 10) return false;
                value = value * 10 + (ulong)digit;
            }
        }
        return true;
    }

    static int DigitValue(byte b)
    {
        if (b >= (byte)'0' && b <= (byte)'9') return b - '0';
        if (b >= (byte)'a' && b <= (byte)'f') return b - 'a' + 10;
        if (b >= (byte)'A' && b <= (byte)'F') return b - 'A' + 10;
        return -1;
    }

    /// <summary>Appends word <paramref name="index"/>, control and non-ASCII bytes shown as '?'
    /// (a word can hold anything a person pasted).</summary>
    public void AppendPrintable(ref TextBuilder text, int index, int maxBytes)
    {
        byte* p = Get(index, out int n);
        if (n > maxBytes) n = maxBytes;
        for (int i = 0; i < n; i++) text.AppendByte(p[i] >= 32 && p[i] < 127 ? p[i] : (byte)'?');
    }
}
