// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
namespace Kernel.Shell.Editing;

/// <summary>An editing event decoded from the input byte stream.</summary>
public enum InputEvent
{
    /// <summary>Nothing yet (inside a sequence) or a dropped byte.</summary>
    None = 0,
    /// <summary>A printable ASCII character (0x20-0x7E), given by <see cref="InputDecoder.Feed"/>'s out value.</summary>
    Char,
    Enter,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    /// <summary>Ctrl-C.</summary>
    Cancel,
    /// <summary>Ctrl-L.</summary>
    ClearScreen,
    /// <summary>Ctrl-U: erase the whole line.</summary>
    KillLine,
    /// <summary>Ctrl-K: erase from the cursor to the end.</summary>
    KillToEnd,
    /// <summary>Ctrl-W: erase the word before the cursor.</summary>
    DeleteWordBefore,
    Tab,
    /// <summary>Ctrl-D.</summary>
    EndOfInput,
}

/// <summary>
/// Turns raw input bytes (a serial terminal, or the keyboard driver, which emits the same
/// sequences) into editing events:
///   printable ASCII; CR, LF or CR LF (one Enter); 0x7F and 0x08 (Backspace);
///   ESC [ A/B/C/D and ESC O A/B/C/D (arrows, modifier parameters such as "1;5" accepted);
///   ESC [ H / F, ESC O H / F, ESC [ 1 ~ / 7 ~ (Home), ESC [ 4 ~ / 8 ~ (End), ESC [ 3 ~ (Delete);
///   Ctrl-A/E (Home/End), Ctrl-B/F (Left/Right), Ctrl-P/N (Up/Down), Ctrl-C, Ctrl-D, Ctrl-K,
///   Ctrl-L, Ctrl-U, Ctrl-W, Tab.
/// Everything else is dropped. The state machine is bounded and always recovers:
///   - ESC then a byte other than '[' / 'O' ends the escape; a printable byte after it is
///     dropped (Alt+key), a control byte is decoded as usual, ESC starts a new escape;
///   - a control byte (below 0x20) inside a sequence abandons it and is decoded as usual, so
///     Enter or Ctrl-C always get through;
///   - sequences longer than <see cref="MaxSequence"/> bytes, with overlong numbers or bytes
///     >= 0x80 are dropped whole (up to their final byte).
/// Bytes >= 0x80 (non-ASCII) are dropped: the line editor counts one column per byte.
/// </summary>
public struct InputDecoder
{
    /// <summary>Parameter and intermediate bytes kept for one sequence; more drops it.</summary>
    public const int MaxSequence = 16;
    const int MaxNumber = 9999;

    const int Ground = 0, Escape = 1, Csi = 2, Ss3 = 3;

    int _state;
    bool _lastWasCr;
    int _length;        // parameter / intermediate bytes seen in this CSI
    int _firstParam;    // the first numeric parameter, -1 if none
    bool _inFirstParam;
    bool _invalid;      // swallow the rest of the sequence, report nothing

    public void Reset()
    {
        _state = Ground;
        _lastWasCr = false;
        _invalid = false;
    }

    /// <summary>Decodes one byte. For <see cref="InputEvent.Char"/>, <paramref name="ch"/> is
    /// the character; otherwise it is 0.</summary>
    public InputEvent Feed(byte b, out byte ch)
    {
        ch = 0;
        bool afterCr = _lastWasCr;
        _lastWasCr = false;
        switch (_state)
        {
            case Escape: return FeedEscape(b, out ch);
            case Csi: return FeedCsi(b, out ch);
            case Ss3: return FeedSs3(b, out ch);
        }
        if (b == (byte)'\n' && afterCr)
            return InputEvent.None; // the LF of CR LF
        return FeedGround(b, out ch);
    }

    InputEvent FeedGround(byte b, out byte ch)
    {
        ch = 0;
        if (b >= 0x20 && b < 0x7F)
        {
            ch = b;
            return InputEvent.Char;
        }
        switch (b)
        {
            case 0x1B: _state = Escape; return InputEvent.None;
            case (byte)'\r': _lastWasCr = true; return InputEvent.Enter;
            case (byte)'\n': return InputEvent.Enter;
            case 0x7F:
            case 0x08: return InputEvent.Backspace;
            case 0x09: return InputEvent.Tab;
            case 0x01: return InputEvent.Home;       // Ctrl-A
            case 0x02: return InputEvent.Left;       // Ctrl-B
            case 0x03: return InputEvent.Cancel;     // Ctrl-C
            case 0x04: return InputEvent.EndOfInput; // Ctrl-D
            case 0x05: return InputEvent.End;        // Ctrl-E
            case 0x06: return InputEvent.Right;      // Ctrl-F
            case 0x0B: return InputEvent.KillToEnd;  // Ctrl-K
            case 0x0C: return InputEvent.ClearScreen;// Ctrl-L
            case 0x0E: return InputEvent.Down;       // Ctrl-N
            case 0x10: return InputEvent.Up;         // Ctrl-P
            case 0x15: return InputEvent.KillLine;   // Ctrl-U
            case 0x17: return InputEvent.DeleteWordBefore; // Ctrl-W
        }
        return InputEvent.None; // other controls and bytes >= 0x80
    }

    InputEvent FeedEscape(byte b, out byte ch)
    {
        ch = 0;
        if (b == (byte)'[')
        {
            _state = Csi;
            _length = 0;
            _firstParam = -1;
            _inFirstParam = true;
            _invalid = false;
            return InputEvent.None;
        }
        if (b == (byte)'O')
        {
            _state = Ss3;
            return InputEvent.None;
        }
        _state = Ground;
        if (b < 0x20)
            return FeedGround(b, out ch); // includes ESC ESC: a fresh escape
        return InputEvent.None;           // Alt+key and junk
    }

    InputEvent FeedSs3(byte b, out byte ch)
    {
        ch = 0;
        _state = Ground;
        switch (b)
        {
            case (byte)'A': return InputEvent.Up;
            case (byte)'B': return InputEvent.Down;
            case (byte)'C': return InputEvent.Right;
            case (byte)'D': return InputEvent.Left;
            case (byte)'H': return InputEvent.Home;
            case (byte)'F': return InputEvent.End;
        }
        if (b < 0x20)
            return FeedGround(b, out ch);
        return InputEvent.None; // F1-F4 (ESC O P..S) and junk
    }

    InputEvent FeedCsi(byte b, out byte ch)
    {
        ch = 0;
        if (b < 0x20 || b == 0x7F)
        {
            _state = Ground;
            return FeedGround(b, out ch);
        }
        if (b >= 0x80)
        {
            // Not part of any sequence: drop the sequence; keep swallowing up to its final byte
            // so that its tail does not turn into typed text.
            _invalid = true;
            return InputEvent.None;
        }
        if (b >= 0x20 && b <= 0x3F)
        {
            // Parameter (0-9 ; : < = > ?) and intermediate (space ! " # ... /) bytes.
            if (++_length > MaxSequence)
            {
                _invalid = true;
                _length = MaxSequence + 1;
            }
            if (b >= (byte)'0' && b <= (byte)'9')
            {
                if (_inFirstParam)
                {
                    int v = (_firstParam < 0 ? 0 : _firstParam) * 10 + (b - '0');
                    if (v > MaxNumber)
                        _invalid = true;
                    _firstParam = v > MaxNumber ? MaxNumber : v;
                }
            }
            else
            {
                _inFirstParam = false;
            }
            return InputEvent.None;
        }
        // 0x40-0x7E: the final byte.
        _state = Ground;
        if (_invalid)
        {
            _invalid = false;
            return InputEvent.None;
        }
        switch (b)
        {
            case (byte)'A': return InputEvent.Up;
            case (byte)'B': return InputEvent.Down;
            case (byte)'C': return InputEvent.Right;
            case (byte)'D': return InputEvent.Left;
            case (byte)'H': return InputEvent.Home;
            case (byte)'F': return InputEvent.End;
            case (byte)'~':
                switch (_firstParam)
                {
                    case 1:
                    case 7: return InputEvent.Home;
                    case 4:
                    case 8: return InputEvent.End;
                    case 3: return InputEvent.Delete;
                }
                return InputEvent.None; // Insert, PgUp/PgDn, F5+...
        }
        return InputEvent.None;
    }
}
