// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers and string literals (Length / indexer) may be used here.
namespace Kernel.Boot;

/// <summary>
/// The kernel command line, parsed Linux-style into tokens: whitespace-separated, each either
/// <c>key=value</c> or a bare <c>flag</c>. Double quotes group text containing spaces, around a
/// value (<c>init="/bin/sh -c echo"</c>) or a whole token (<c>"init=/bin/sh -c echo"</c>); the
/// quote characters themselves are removed. Parsing stops at a NUL byte or the given length.
///
/// The struct owns copies of everything (the boot loader's memory is reused later): the raw
/// text (for logging) and the unquoted tokens, each key and value NUL-terminated. Pointers the
/// query methods return point into this struct, so keep it at a fixed place (a static, or
/// behind a pointer) while using them.
///
/// Limits: the first <see cref="MaxBytes"/> bytes are kept (<see cref="Truncated"/>); the first
/// <see cref="MaxTokens"/> tokens are kept, the rest only counted in <see cref="DroppedTokens"/>.
/// A token cut by the byte limit is kept as far as it got.
///
/// Keys match with '-' and '_' treated alike (as Linux does): <c>init-on-free</c> is
/// <c>init_on_free</c>. When a key repeats, value queries see the LAST occurrence (later
/// settings override earlier ones), while <see cref="ValueListContains"/> looks at all of them.
/// </summary>
public unsafe struct CommandLine
{
    public const int MaxBytes = 1024;
    public const int MaxTokens = 64;
    // Unquoted tokens take at most the raw length plus one NUL for the last token.
    const int StoreBytes = MaxBytes + 8;
    // A literal, not ulong.MaxValue: the kernel's core library need not define MaxValue.
    const ulong UInt64Max = 0xFFFFFFFFFFFFFFFF;

    fixed byte _raw[MaxBytes + 1];
    fixed byte _store[StoreBytes];
    fixed short _keyStart[MaxTokens];
    fixed short _keyLength[MaxTokens];
    fixed short _valueStart[MaxTokens];
    fixed short _valueLength[MaxTokens]; // -1: bare flag, no '='

    int _rawLength;
    int _count;
    int _dropped;
    bool _truncated;

    /// <summary>Number of tokens kept.</summary>
    public int Count { get { return _count; } }
    /// <summary>Tokens seen beyond <see cref="MaxTokens"/> and not kept.</summary>
    public int DroppedTokens { get { return _dropped; } }
    /// <summary>True when the input was longer than <see cref="MaxBytes"/> (before any NUL).</summary>
    public bool Truncated { get { return _truncated; } }
    /// <summary>Length of the raw copy (see <see cref="GetRaw"/>).</summary>
    public int RawLength { get { return _rawLength; } }

    // ---- Known keys: the ONE place to add a new kernel parameter. -----------------------
    // Unknown keys are not an error; the caller reports them (see IsKnownKey).
    const int KnownKeyCount = 12;

    static string KnownKey(int i)
    {
        switch (i)
        {
            case 0: return "test";          // in-guest KTAP suites: test=all | test=a,b
            case 1: return "crash";         // deliberate failure boots (image tests)
            case 2: return "loglevel";
            case 3: return "console";
            case 4: return "init";          // first user program, from the initrd
            case 5: return "init_on_free";
            case 6: return "slab_debug";
            case 7: return "quiet";
            case 8: return "debug";
            case 9: return "mem";           // memory limit, e.g. mem=128M
            case 10: return "bench";        // in-guest benchmarks: bench=all | bench=buddy,slab
            case 11: return "noapic";       // 8259 PICs instead of the I/O APIC
            default: return "";
        }
    }
    // -------------------------------------------------------------------------------------

    /// <summary>Parses <paramref name="length"/> bytes of <paramref name="text"/> (or up to the
    /// first NUL) into <paramref name="result"/>. Never fails: a null pointer or a non-positive
    /// length gives an empty command line.</summary>
    public static void Parse(byte* text, int length, CommandLine* result)
    {
        if (result == null)
            return;
        result->Reset();
        if (text == null || length <= 0)
            return;

        int n = 0;
        while (n < length && n < MaxBytes && text[n] != 0)
            n++;
        result->_truncated = n == MaxBytes && n < length && text[n] != 0;
        for (int i = 0; i < n; i++)
            result->_raw[i] = text[i];
        result->_raw[n] = 0;
        result->_rawLength = n;
        result->Tokenize();
    }

    void Reset()
    {
        _rawLength = 0;
        _count = 0;
        _dropped = 0;
        _truncated = false;
        _raw[0] = 0;
    }

    static bool IsSpace(byte b)
    {
        return b == (byte)' ' || b == (byte)'\t' || b == (byte)'\n' || b == (byte)'\r'
            || b == 0x0B || b == 0x0C;
    }

    void Tokenize()
    {
        int pos = 0;
        int outPos = 0;
        while (true)
        {
            while (pos < _rawLength && IsSpace(_raw[pos]))
                pos++;
            if (pos >= _rawLength)
                return;

            if (_count >= MaxTokens)
            {
                // Count the rest without storing them (quotes still group).
                _dropped++;
                bool q = false;
                while (pos < _rawLength && (q || !IsSpace(_raw[pos])))
                {
                    if (_raw[pos] == (byte)'"')
                        q = !q;
                    pos++;
                }
                continue;
            }

            // Copy one token, unquoted; the first '=' splits key from value, quoted or not
            // (as Linux does), so "init=/bin/sh -c x" in quotes is still key init.
            bool inQuote = false;
            int keyStart = outPos;
            int valueStart = -1;
            while (pos < _rawLength && (inQuote || !IsSpace(_raw[pos])))
            {
                byte b = _raw[pos++];
                if (b == (byte)'"')
                {
                    inQuote = !inQuote;
                    continue;
                }
                if (b == (byte)'=' && valueStart < 0)
                {
                    _store[outPos++] = 0;
                    valueStart = outPos;
                    continue;
                }
                _store[outPos++] = b;
            }
            _store[outPos++] = 0;

            if (valueStart < 0 && outPos - 1 == keyStart)
            {
                outPos = keyStart; // "" alone: nothing to keep
                continue;
            }

            int t = _count++;
            _keyStart[t] = (short)keyStart;
            if (valueStart < 0)
            {
                _keyLength[t] = (short)(outPos - 1 - keyStart);
                _valueStart[t] = (short)(outPos - 1); // points at the NUL: an empty string
                _valueLength[t] = -1;
            }
            else
            {
                _keyLength[t] = (short)(valueStart - 1 - keyStart);
                _valueStart[t] = (short)valueStart;
                _valueLength[t] = (short)(outPos - 1 - valueStart);
            }
        }
    }

    // ---- Token access -------------------------------------------------------------------

    /// <summary>The raw command line as given (NUL-terminated copy, at most MaxBytes).</summary>
    public void GetRaw(out byte* p, out int n)
    {
        fixed (byte* raw = _raw)
            p = raw;
        n = _rawLength;
    }

    /// <summary>Key of token <paramref name="i"/> (NUL-terminated). False if out of range.</summary>
    public bool GetKey(int i, out byte* p, out int n)
    {
        if (i < 0 || i >= _count)
        {
            p = null;
            n = 0;
            return false;
        }
        fixed (byte* s = _store)
            p = s + _keyStart[i];
        n = _keyLength[i];
        return true;
    }

    /// <summary>Value of token <paramref name="i"/> (NUL-terminated). False if out of range or
    /// the token is a bare flag (then p is an empty string and n is 0).</summary>
    public bool GetValue(int i, out byte* p, out int n)
    {
        if (i < 0 || i >= _count)
        {
            p = null;
            n = 0;
            return false;
        }
        fixed (byte* s = _store)
            p = s + _valueStart[i];
        if (_valueLength[i] < 0)
        {
            n = 0;
            return false;
        }
        n = _valueLength[i];
        return true;
    }

    /// <summary>True when token <paramref name="i"/> has an '=' (possibly with an empty value).</summary>
    public bool HasValue(int i)
    {
        return i >= 0 && i < _count && _valueLength[i] >= 0;
    }

    /// <summary>True when token <paramref name="i"/>'s key is in the known-key table.</summary>
    public bool IsKnownKey(int i)
    {
        if (i < 0 || i >= _count)
            return false;
        fixed (byte* s = _store)
        {
            for (int k = 0; k < KnownKeyCount; k++)
            {
                if (KeyMatches(s + _keyStart[i], _keyLength[i], KnownKey(k)))
                    return true;
            }
        }
        return false;
    }

    // ---- Queries by key -----------------------------------------------------------------

    /// <summary>True when <paramref name="key"/> appears, as a flag or with a value.</summary>
    public bool Has(string key)
    {
        return FindLast(key) >= 0;
    }

    /// <summary>Value of the last <paramref name="key"/>=... token. False when the key is
    /// absent or only present as a bare flag.</summary>
    public bool TryGetValue(string key, out byte* value, out int valueLength)
    {
        int t = FindLast(key);
        if (t < 0)
        {
            value = null;
            valueLength = 0;
            return false;
        }
        return GetValue(t, out value, out valueLength);
    }

    /// <summary>True when the last value of <paramref name="key"/> is exactly <paramref name="expected"/>.</summary>
    public bool ValueEquals(string key, string expected)
    {
        byte* v;
        int n;
        if (!TryGetValue(key, out v, out n))
            return false;
        return BytesEqual(v, n, expected);
    }

    /// <summary>Parses the last value of <paramref name="key"/> as an unsigned number: decimal
    /// or 0x-prefixed hexadecimal, optionally followed by one suffix K, M, G or T (either
    /// case, powers of 1024). A leading 0 is decimal, not octal. False on empty input, stray
    /// characters or overflow.</summary>
    public bool TryGetUInt64(string key, out ulong value)
    {
        byte* v;
        int n;
        value = 0;
        if (!TryGetValue(key, out v, out n))
            return false;
        return ParseUInt64(v, n, out value);
    }

    /// <summary>True when any <paramref name="key"/>=a,b,c token lists <paramref name="item"/>
    /// as one of its comma-separated elements. No wildcard meaning: for <c>test=all</c> this
    /// is true for item "all" only; the caller decides what "all" means.</summary>
    public bool ValueListContains(string key, string item)
    {
        if ((object)item == null)
            return false;
        fixed (byte* s = _store)
        {
            for (int t = 0; t < _count; t++)
            {
                if (_valueLength[t] < 0 || !KeyMatches(s + _keyStart[t], _keyLength[t], key))
                    continue;
                byte* v = s + _valueStart[t];
                int n = _valueLength[t];
                int start = 0;
                for (int i = 0; i <= n; i++)
                {
                    if (i == n || v[i] == (byte)',')
                    {
                        if (BytesEqual(v + start, i - start, item))
                            return true;
                        start = i + 1;
                    }
                }
            }
        }
        return false;
    }

    // ---- Helpers (static, usable by callers for their own matching) ---------------------

    /// <summary>Index of the last token whose key matches, or -1.</summary>
    public int FindLast(string key)
    {
        fixed (byte* s = _store)
        {
            for (int t = _count - 1; t >= 0; t--)
            {
                if (KeyMatches(s + _keyStart[t], _keyLength[t], key))
                    return t;
            }
        }
        return -1;
    }

    /// <summary>Byte-exact comparison of p[0..n) with an ASCII literal.</summary>
    public static bool BytesEqual(byte* p, int n, string s)
    {
        if ((object)s == null || n != s.Length)
            return false;
        for (int i = 0; i < n; i++)
        {
            if (p[i] != s[i])
                return false;
        }
        return true;
    }

    /// <summary>Key comparison where '-' and '_' are the same character.</summary>
    public static bool KeyMatches(byte* p, int n, string key)
    {
        if ((object)key == null || n != key.Length)
            return false;
        for (int i = 0; i < n; i++)
        {
            int a = p[i] == (byte)'-' ? '_' : p[i];
            int b = key[i] == '-' ? '_' : key[i];
            if (a != b)
                return false;
        }
        return true;
    }

    /// <summary>Parses p[0..n) as described at <see cref="TryGetUInt64"/>.</summary>
    public static bool ParseUInt64(byte* p, int n, out ulong value)
    {
        value = 0;
        if (p == null || n <= 0)
            return false;

        int shift = 0;
        byte last = p[n - 1];
        if (last == (byte)'K' || last == (byte)'k') shift = 10;
        else if (last == (byte)'M' || last == (byte)'m') shift = 20;
        else if (last == (byte)'G' || last == (byte)'g') shift = 30;
        else if (last == (byte)'T' || last == (byte)'t') shift = 40;
        if (shift != 0)
            n--;

        int i = 0;
        ulong radix = 10;
        if (n >= 2 && p[0] == (byte)'0' && (p[1] == (byte)'x' || p[1] == (byte)'X'))
        {
            radix = 16;
            i = 2;
        }
        if (i >= n)
            return false;

        ulong v = 0;
        for (; i < n; i++)
        {
            byte b = p[i];
            ulong d;
            if (b >= (byte)'0' && b <= (byte)'9') d = (ulong)(b - '0');
            else if (radix == 16 && b >= (byte)'a' && b <= (byte)'f') d = (ulong)(b - 'a' + 10);
            else if (radix == 16 && b >= (byte)'A' && b <= (byte)'F') d = (ulong)(b - 'A' + 10);
            else return false;
            if (v > (UInt64Max - d) / radix)
                return false;
            v = v * radix + d;
        }
        if (shift != 0)
        {
            if (v > (UInt64Max >> shift))
                return false;
            v <<= shift;
        }
        value = v;
        return true;
    }
}
