// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
namespace Kernel.Drivers.Framebuffer;

/// <summary>What one byte of console output amounted to.</summary>
public enum OutputAction
{
    /// <summary>Nothing to do yet (inside a sequence, or a swallowed byte).</summary>
    None = 0,
    /// <summary>Draw a character; the value is its code point ('?' stands for malformed UTF-8).</summary>
    Print,
    /// <summary>A C0 control byte (0x00-0x1F except ESC, or 0x7F); the value is the byte.</summary>
    Control,
    /// <summary>A complete control sequence ESC [ params final; the value is the final byte.
    /// Read <see cref="OutputParser.Param"/> and <see cref="OutputParser.PrivateMarker"/>.</summary>
    Csi,
    /// <summary>A two-byte escape ESC x (x in 0x30-0x7E, no intermediates); the value is x.</summary>
    Escape,
}

/// <summary>
/// Splits console output into characters, control bytes and escape sequences (the ECMA-48 /
/// VT100 grammar, reduced): UTF-8 multi-byte characters are decoded (up to U+FFFF); ESC [ ...
/// collects at most <see cref="MaxParams"/> numeric parameters, each clamped to
/// <see cref="MaxParamValue"/>; a sequence with intermediate bytes, too many parameters or
/// ':' sub-parameters is swallowed whole (reported as nothing). C0 controls inside a sequence
/// are reported and the sequence continues (as on a VT100); CAN / SUB abort it, ESC restarts it.
/// ESC ] ... BEL (a title) is swallowed, at most <see cref="MaxStringBytes"/> bytes.
/// State is a few integers, so any byte stream keeps it bounded and in step.
/// </summary>
public unsafe struct OutputParser
{
    public const int MaxParams = 8;
    public const int MaxParamValue = 9999;

    /// <summary>An operating-system command (ESC ] ... BEL, e.g. a window title) is swallowed
    /// up to this many bytes; after that the parser gives up on it and returns to text.</summary>
    public const int MaxStringBytes = 256;

    const int Ground = 0, EscapeState = 1, EscapeIntermediate = 2, CsiState = 3, Utf8 = 4, OscState = 5;

    int _state;
    int _oscLength;
    int _utf8Remaining;
    int _utf8CodePoint;
    int _utf8Minimum;
    int _paramCount;
    bool _paramStarted;
    bool _ignore;
    byte _privateMarker;
    bool _repeat;
    fixed int _params[MaxParams];

    /// <summary>The '?', '&lt;', '=' or '&gt;' that opened the last CSI, or 0.</summary>
    public byte PrivateMarker => _privateMarker;
    /// <summary>Parameters given in the last CSI (ESC [ m has 0, ESC [ ; m has 2).</summary>
    public int ParamCount => _paramCount;

    /// <summary>Parameter <paramref name="index"/> of the last CSI; missing or 0 gives
    /// <paramref name="defaultValue"/> (the VT100 rule for counts and positions).</summary>
    public int Param(int index, int defaultValue)
    {
        if (index < 0 || index >= _paramCount || index >= MaxParams)
            return defaultValue;
        int v = _params[index];
        return v == 0 ? defaultValue : v;
    }

    /// <summary>Parameter <paramref name="index"/> as given, 0 when missing (for SGR, where 0 means reset).</summary>
    public int RawParam(int index)
    {
        if (index < 0 || index >= _paramCount || index >= MaxParams)
            return 0;
        return _params[index];
    }

    /// <summary>
    /// True once after a <see cref="Feed"/> whose byte must be fed again: a byte that broke a
    /// UTF-8 sequence is reported as '?' first and then parsed on its own.
    /// </summary>
    public bool TakeRepeat()
    {
        bool r = _repeat;
        _repeat = false;
        return r;
    }

    public void Reset()
    {
        _state = Ground;
        _utf8Remaining = 0;
        _repeat = false;
        _ignore = false;
        _paramCount = 0;
        _privateMarker = 0;
    }

    public OutputAction Feed(byte b, out int value)
    {
        value = 0;
        switch (_state)
        {
            case EscapeState: return FeedEscape(b, out value);
            case EscapeIntermediate: return FeedEscapeIntermediate(b, out value);
            case CsiState: return FeedCsi(b, out value);
            case Utf8: return FeedUtf8(b, out value);
            case OscState: return FeedOsc(b, out value);
            default: return FeedGround(b, out value);
        }
    }

    OutputAction FeedGround(byte b, out int value)
    {
        value = b;
        if (b == 0x1B)
        {
            _state = EscapeState;
            return OutputAction.None;
        }
        if (b < 0x20 || b == 0x7F)
            return OutputAction.Control;
        if (b < 0x80)
            return OutputAction.Print;
        if (b >= 0xC2 && b <= 0xDF) { _utf8Remaining = 1; _utf8CodePoint = b & 0x1F; _utf8Minimum = 0x80; }
        else if (b >= 0xE0 && b <= 0xEF) { _utf8Remaining = 2; _utf8CodePoint = b & 0x0F; _utf8Minimum = 0x800; }
        else if (b >= 0xF0 && b <= 0xF4) { _utf8Remaining = 3; _utf8CodePoint = b & 0x07; _utf8Minimum = 0x10000; }
        else
        {
            value = '?'; // stray continuation byte or a byte never valid in UTF-8
            return OutputAction.Print;
        }
        _state = Utf8;
        value = 0;
        return OutputAction.None;
    }

    OutputAction FeedUtf8(byte b, out int value)
    {
        value = 0;
        if ((b & 0xC0) != 0x80)
        {
            // The sequence broke off: show '?' for it, then parse this byte afresh.
            _state = Ground;
            _repeat = true;
            value = '?';
            return OutputAction.Print;
        }
        _utf8CodePoint = _utf8CodePoint << 6 | (b & 0x3F);
        if (--_utf8Remaining > 0)
            return OutputAction.None;
        _state = Ground;
        int cp = _utf8CodePoint;
        bool bad = cp < _utf8Minimum || cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF);
        value = bad ? '?' : cp;
        return OutputAction.Print;
    }

    OutputAction FeedEscape(byte b, out int value)
    {
        value = b;
        if (b == 0x1B)
            return OutputAction.None; // ESC ESC: start over
        if (b == (byte)'[')
        {
            _state = CsiState;
            _paramCount = 0;
            _paramStarted = false;
            _ignore = false;
            _privateMarker = 0;
            return OutputAction.None;
        }
        if (b == (byte)']')
        {
            _state = OscState;
            _oscLength = 0;
            return OutputAction.None;
        }
        if (b >= 0x20 && b <= 0x2F)
        {
            _state = EscapeIntermediate;
            return OutputAction.None;
        }
        _state = Ground;
        if (b < 0x20 || b == 0x7F)
            return b == 0x18 || b == 0x1A ? OutputAction.None : OutputAction.Control;
        if (b < 0x7F)
            return OutputAction.Escape;
        return OutputAction.None;
    }

    /// <summary>ESC ] text, ended by BEL, by ESC (normally ESC \, whose backslash is then
    /// swallowed as a two-byte escape) or by CAN / SUB; bounded by <see cref="MaxStringBytes"/>.</summary>
    OutputAction FeedOsc(byte b, out int value)
    {
        value = 0;
        if (b == 0x07 || b == 0x18 || b == 0x1A)
        {
            _state = Ground;
            return OutputAction.None;
        }
        if (b == 0x1B)
        {
            _state = EscapeState;
            return OutputAction.None;
        }
        if (++_oscLength > MaxStringBytes)
            _state = Ground;
        return OutputAction.None;
    }

    OutputAction FeedEscapeIntermediate(byte b, out int value)
    {
        value = b;
        if (b == 0x1B)
        {
            _state = EscapeState;
            return OutputAction.None;
        }
        if (b >= 0x20 && b <= 0x2F)
            return OutputAction.None;
        if (b < 0x20 || b == 0x7F)
        {
            if (b == 0x18 || b == 0x1A)
            {
                _state = Ground;
                return OutputAction.None;
            }
            return OutputAction.Control;
        }
        _state = Ground; // final byte (or a high byte): the whole sequence is swallowed
        return OutputAction.None;
    }

    OutputAction FeedCsi(byte b, out int value)
    {
        value = b;
        if (b >= (byte)'0' && b <= (byte)'9')
        {
            if (!_paramStarted)
            {
                if (_paramCount < MaxParams)
                    _params[_paramCount] = 0;
                if (_paramCount <= MaxParams)
                    _paramCount++; // MaxParams + 1 means "too many": the sequence is swallowed
                _paramStarted = true;
            }
            if (_paramCount <= MaxParams)
            {
                int i = _paramCount - 1;
                int v = _params[i] * 10 + (b - '0');
                _params[i] = v > MaxParamValue ? MaxParamValue : v;
            }
            return OutputAction.None;
        }
        if (b == (byte)';')
        {
            if (!_paramStarted)
            {
                if (_paramCount < MaxParams)
                    _params[_paramCount] = 0;
                if (_paramCount <= MaxParams)
                    _paramCount++; // MaxParams + 1 means "too many": the sequence is swallowed
            }
            _paramStarted = false;
            return OutputAction.None;
        }
        if (b >= 0x3C && b <= 0x3F)
        {
            // Private marker: only valid as the first byte of the parameters.
            if (_paramCount == 0 && !_paramStarted && _privateMarker == 0)
                _privateMarker = b;
            else
                _ignore = true;
            return OutputAction.None;
        }
        if (b == (byte)':' || (b >= 0x20 && b <= 0x2F))
        {
            _ignore = true; // sub-parameters and intermediates: not in our vocabulary
            return OutputAction.None;
        }
        if (b >= 0x40 && b <= 0x7E)
        {
            _state = Ground;
            // "ESC [ 5 ;" counts the empty parameter after the ';'.
            if (!_paramStarted && _paramCount > 0)
            {
                if (_paramCount < MaxParams)
                    _params[_paramCount] = 0;
                if (_paramCount <= MaxParams)
                    _paramCount++; // MaxParams + 1 means "too many": the sequence is swallowed
            }
            if (_paramCount > MaxParams)
                _ignore = true;
            if (_ignore)
                return OutputAction.None;
            return OutputAction.Csi;
        }
        if (b == 0x1B)
        {
            _state = EscapeState;
            return OutputAction.None;
        }
        if (b == 0x18 || b == 0x1A)
        {
            _state = Ground;
            return OutputAction.None;
        }
        if (b < 0x20 || b == 0x7F)
            return OutputAction.Control;
        // A byte >= 0x80 cannot be part of a sequence: drop the sequence and the byte.
        _state = Ground;
        return OutputAction.None;
    }
}
