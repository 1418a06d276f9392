// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
using Kernel.Diagnostics;

namespace Kernel.Shell.Editing;

/// <summary>What the byte just fed to <see cref="LineEditor.Feed"/> finished.</summary>
public enum LineResult
{
    /// <summary>Still editing.</summary>
    None = 0,
    /// <summary>Enter: the line is ready (<see cref="LineEditor.Length"/>, <see cref="LineEditor.CopyLine"/>).</summary>
    LineReady,
    /// <summary>Ctrl-C: "^C" was echoed and the line is empty.</summary>
    Cancelled,
    /// <summary>Ctrl-L: the shell should clear the screen, then call <see cref="LineEditor.Redraw"/>.</summary>
    ClearScreen,
    /// <summary>Ctrl-D on an empty line.</summary>
    EndOfInput,
}

/// <summary>
/// One editable command line (at most <see cref="MaxLength"/> bytes of printable ASCII) with a
/// cursor, history and tab completion, driven one input byte at a time. Echo and redraw go
/// out as bytes into a caller's <see cref="TextBuilder"/>, written in the escape vocabulary that
/// both a serial terminal and the framebuffer console understand: text, "\b", "\r\n",
/// ESC [ n C / ESC [ n D (cursor right / left), ESC [ K (erase to end of line), BEL when a
/// key cannot act (rate-limited: one BEL until an edit succeeds). Cursor moves never cross a
/// screen line, so a line longer than the terminal is wide redraws imperfectly (as with
/// linenoise in single-line mode without a width).
///
/// Lifecycle: <see cref="BeginLine"/> prints the prompt and starts an empty line;
/// <see cref="Feed"/> returns a <see cref="LineResult"/>; after LineReady / Cancelled the line
/// stays readable until the next <see cref="BeginLine"/> or <see cref="Feed"/> (which starts a
/// new line by itself if the shell did not). Zeroed memory is a valid editor (empty prompt,
/// no completion). The struct is about 18 KiB (line, saved line, 16-entry history).
/// </summary>
public unsafe struct LineEditor
{
    public const int MaxLength = 1024;
    public const int MaxPrompt = 64;
    /// <summary>Completion asks for at most this many candidates (index 0..255).</summary>
    public const int MaxCandidates = 256;

    fixed byte _line[MaxLength];
    fixed byte _saved[MaxLength];   // the line being edited while browsing history
    fixed byte _prompt[MaxPrompt];
    int _length;
    int _cursor;
    int _savedLength;
    int _promptLength;
    int _historyAge;                // 0: own line; k > 0: showing history entry k - 1
    bool _finished;
    bool _beeped;
    InputDecoder _decoder;
    History _history;
    delegate*<int, string> _candidates;

    public int Length => _length;
    public int Cursor => _cursor;
    public int HistoryCount => _history.Count;

    /// <summary>Byte <paramref name="index"/> of the current line (0 outside it).</summary>
    public byte ByteAt(int index) => (uint)index < (uint)_length ? _line[index] : (byte)0;

    /// <summary>Copies the line into <paramref name="dst"/>; returns the bytes copied.</summary>
    public int CopyLine(byte* dst, int capacity)
    {
        if (dst == null || capacity <= 0)
            return 0;
        int n = _length < capacity ? _length : capacity;
        for (int i = 0; i < n; i++)
            dst[i] = _line[i];
        return n;
    }

    /// <summary>True when the line is exactly <paramref name="text"/>.</summary>
    public bool LineEquals(string text)
    {
        if ((object)text == null || text.Length != _length)
            return false;
        for (int i = 0; i < _length; i++)
            if (text[i] != (char)_line[i])
                return false;
        return true;
    }

    /// <summary>History entry <paramref name="age"/> (0 = newest) copied out; -1 when none.</summary>
    public int CopyHistory(int age, byte* dst, int capacity) => _history.Copy(age, dst, capacity);

    /// <summary>Sets the prompt (ASCII; longer than <see cref="MaxPrompt"/> is cut).</summary>
    public void SetPrompt(string prompt)
    {
        _promptLength = 0;
        if ((object)prompt == null)
            return;
        for (int i = 0; i < prompt.Length && _promptLength < MaxPrompt; i++)
            _prompt[_promptLength++] = prompt[i] < 0x80 ? (byte)prompt[i] : (byte)'?';
    }

    public void SetPrompt(byte* prompt, int length)
    {
        _promptLength = 0;
        if (prompt == null)
            return;
        for (int i = 0; i < length && _promptLength < MaxPrompt; i++)
            _prompt[_promptLength++] = prompt[i];
    }

    /// <summary>
    /// Completion source: candidates(i) for i = 0, 1, ... returns the i-th word, null after the
    /// last. Only words of printable ASCII without spaces take part. null turns completion off.
    /// </summary>
    public void SetCompletion(delegate*<int, string> candidates) => _candidates = candidates;

    /// <summary>Starts an empty line and writes the prompt.</summary>
    public void BeginLine(ref TextBuilder output)
    {
        StartNewLine();
        WritePrompt(ref output);
    }

    /// <summary>Writes the prompt and the line again from column 0 and puts the cursor back
    /// (after the shell cleared the screen, or after other output).</summary>
    public void Redraw(ref TextBuilder output)
    {
        output.AppendByte((byte)'\r');
        WritePrompt(ref output);
        for (int i = 0; i < _length; i++)
            output.AppendByte(_line[i]);
        EraseToEnd(ref output);
        MoveLeft(ref output, _length - _cursor);
    }

    /// <summary>Feeds one input byte; echo and redraw bytes are appended to <paramref name="output"/>.</summary>
    public LineResult Feed(byte b, ref TextBuilder output)
    {
        if (_finished)
            StartNewLine();
        InputEvent e = _decoder.Feed(b, out byte ch);
        switch (e)
        {
            case InputEvent.Char: Insert(ch, ref output); break;
            case InputEvent.Enter:
                output.Append("\r\n");
                fixed (byte* p = _line) _history.Add(p, _length);
                _finished = true;
                return LineResult.LineReady;
            case InputEvent.Cancel:
                MoveRight(ref output, _length - _cursor);
                output.Append("^C\r\n");
                _length = 0;
                _cursor = 0;
                _finished = true;
                return LineResult.Cancelled;
            case InputEvent.ClearScreen: return LineResult.ClearScreen;
            case InputEvent.EndOfInput:
                if (_length == 0)
                    return LineResult.EndOfInput;
                DeleteAtCursor(ref output);
                break;
            case InputEvent.Backspace: Backspace(ref output); break;
            case InputEvent.Delete: DeleteAtCursor(ref output); break;
            case InputEvent.Left:
                if (_cursor > 0) { _cursor--; MoveLeft(ref output, 1); }
                else Beep(ref output);
                break;
            case InputEvent.Right:
                if (_cursor < _length) { _cursor++; MoveRight(ref output, 1); }
                else Beep(ref output);
                break;
            case InputEvent.Home: MoveLeft(ref output, _cursor); _cursor = 0; break;
            case InputEvent.End: MoveRight(ref output, _length - _cursor); _cursor = _length; break;
            case InputEvent.KillLine:
                MoveLeft(ref output, _cursor);
                EraseToEnd(ref output);
                _length = 0;
                _cursor = 0;
                break;
            case InputEvent.KillToEnd: EraseToEnd(ref output); _length = _cursor; break;
            case InputEvent.DeleteWordBefore: DeleteWordBefore(ref output); break;
            case InputEvent.Up: HistoryOlder(ref output); break;
            case InputEvent.Down: HistoryNewer(ref output); break;
            case InputEvent.Tab: Complete(ref output); break;
        }
        return LineResult.None;
    }

    void StartNewLine()
    {
        _length = 0;
        _cursor = 0;
        _historyAge = 0;
        _finished = false;
        _beeped = false;
    }

    void WritePrompt(ref TextBuilder output)
    {
        for (int i = 0; i < _promptLength; i++)
            output.AppendByte(_prompt[i]);
    }

    void Beep(ref TextBuilder output)
    {
        if (_beeped)
            return;
        output.AppendByte(0x07);
        _beeped = true;
    }

    static void MoveLeft(ref TextBuilder output, int n)
    {
        if (n <= 0)
            return;
        output.Append("\x1b[");
        if (n != 1)
            output.AppendDecimal((long)n);
        output.AppendByte((byte)'D');
    }

    static void MoveRight(ref TextBuilder output, int n)
    {
        if (n <= 0)
            return;
        output.Append("\x1b[");
        if (n != 1)
            output.AppendDecimal((long)n);
        output.AppendByte((byte)'C');
    }

    static void EraseToEnd(ref TextBuilder output) => output.Append("\x1b[K");

    /// <summary>Writes the line from <paramref name="from"/> to its end, erases what was
    /// beyond it and returns the cursor to <see cref="_cursor"/>.</summary>
    void RewriteTail(ref TextBuilder output, int from, bool erase)
    {
        for (int i = from; i < _length; i++)
            output.AppendByte(_line[i]);
        if (erase)
            EraseToEnd(ref output);
        MoveLeft(ref output, _length - _cursor);
    }

    void Insert(byte ch, ref TextBuilder output)
    {
        if (_length >= MaxLength)
        {
            Beep(ref output);
            return;
        }
        for (int i = _length; i > _cursor; i--)
            _line[i] = _line[i - 1];
        _line[_cursor] = ch;
        _length++;
        _cursor++;
        _beeped = false;
        RewriteTail(ref output, _cursor - 1, false);
    }

    /// <summary>Inserts several bytes at the cursor, all or nothing.</summary>
    bool InsertText(string text, int from, int count, ref TextBuilder output)
    {
        if (count <= 0)
            return true;
        if (_length + count > MaxLength)
        {
            Beep(ref output);
            return false;
        }
        for (int i = _length - 1; i >= _cursor; i--)
            _line[i + count] = _line[i];
        for (int i = 0; i < count; i++)
            _line[_cursor + i] = (byte)text[from + i];
        _length += count;
        int start = _cursor;
        _cursor += count;
        _beeped = false;
        RewriteTail(ref output, start, false);
        return true;
    }

    void Backspace(ref TextBuilder output)
    {
        if (_cursor == 0)
        {
            Beep(ref output);
            return;
        }
        for (int i = _cursor; i < _length; i++)
            _line[i - 1] = _line[i];
        _cursor--;
        _length--;
        _beeped = false;
        output.AppendByte((byte)'\b');
        RewriteTail(ref output, _cursor, true);
    }

    void DeleteAtCursor(ref TextBuilder output)
    {
        if (_cursor >= _length)
        {
            Beep(ref output);
            return;
        }
        for (int i = _cursor + 1; i < _length; i++)
            _line[i - 1] = _line[i];
        _length--;
        _beeped = false;
        RewriteTail(ref output, _cursor, true);
    }

    void DeleteWordBefore(ref TextBuilder output)
    {
        int start = _cursor;
        while (start > 0 && _line[start - 1] == (byte)' ')
            start--;
        while (start > 0 && _line[start - 1] != (byte)' ')
            start--;
        int n = _cursor - start;
        if (n == 0)
        {
            Beep(ref output);
            return;
        }
        for (int i = _cursor; i < _length; i++)
            _line[i - n] = _line[i];
        _length -= n;
        MoveLeft(ref output, n);
        _cursor = start;
        _beeped = false;
        RewriteTail(ref output, _cursor, true);
    }

    /// <summary>Shows <paramref name="src"/> as the whole line, cursor at its end.</summary>
    void ReplaceLine(byte* src, int length, ref TextBuilder output)
    {
        MoveLeft(ref output, _cursor);
        if (length > MaxLength) length = MaxLength;
        for (int i = 0; i < length; i++)
        {
            _line[i] = src[i];
            output.AppendByte(src[i]);
        }
        EraseToEnd(ref output);
        _length = length;
        _cursor = length;
    }

    void HistoryOlder(ref TextBuilder output)
    {
        if (_historyAge >= _history.Count)
        {
            Beep(ref output);
            return;
        }
        if (_historyAge == 0)
        {
            for (int i = 0; i < _length; i++)
                _saved[i] = _line[i];
            _savedLength = _length;
        }
        _historyAge++;
        LoadHistory(ref output);
    }

    void HistoryNewer(ref TextBuilder output)
    {
        if (_historyAge == 0)
        {
            Beep(ref output);
            return;
        }
        _historyAge--;
        if (_historyAge == 0)
        {
            fixed (byte* p = _saved) ReplaceLine(p, _savedLength, ref output);
            return;
        }
        LoadHistory(ref output);
    }

    void LoadHistory(ref TextBuilder output)
    {
        MoveLeft(ref output, _cursor);
        int n;
        fixed (byte* p = _line) n = _history.Copy(_historyAge - 1, p, MaxLength);
        if (n < 0) n = 0;
        for (int i = 0; i < n; i++)
            output.AppendByte(_line[i]);
        EraseToEnd(ref output);
        _length = n;
        _cursor = n;
        _beeped = false;
    }

    /// <summary>True when <paramref name="s"/> is usable as a completion (printable ASCII, no
    /// spaces, fits a line) and starts with line[from, from + count).</summary>
    bool Matches(string s, int from, int count)
    {
        if ((object)s == null || s.Length == 0 || s.Length > MaxLength || s.Length < count)
            return false;
        for (int i = 0; i < s.Length; i++)
            if (s[i] <= ' ' || s[i] >= (char)0x7F)
                return false;
        for (int i = 0; i < count; i++)
            if (s[i] != (char)_line[from + i])
                return false;
        return true;
    }

    /// <summary>
    /// Tab: completes the word before the cursor (from the last space) against the candidates.
    /// None match: BEL. One: the rest of it plus a space is inserted. Several: their common
    /// prefix is inserted, they are listed on a new line, and prompt and line are redrawn.
    /// </summary>
    void Complete(ref TextBuilder output)
    {
        if (_candidates == null)
        {
            Beep(ref output);
            return;
        }
        int wordStart = _cursor;
        while (wordStart > 0 && _line[wordStart - 1] != (byte)' ')
            wordStart--;
        int prefix = _cursor - wordStart;

        int matches = 0;
        string first = null;
        int common = 0;
        for (int i = 0; i < MaxCandidates; i++)
        {
            string s = _candidates(i);
            if ((object)s == null)
                break;
            if (!Matches(s, wordStart, prefix))
                continue;
            if (matches == 0)
            {
                first = s;
                common = s.Length;
            }
            else
            {
                int k = prefix;
                while (k < common && k < s.Length && s[k] == first[k])
                    k++;
                common = k;
            }
            matches++;
        }

        if (matches == 0)
        {
            Beep(ref output);
            return;
        }
        if (matches == 1)
        {
            if (_length + (first.Length - prefix) + 1 > MaxLength)
            {
                Beep(ref output);
                return;
            }
            InsertText(first, prefix, first.Length - prefix, ref output);
            InsertText(" ", 0, 1, ref output);
            return;
        }

        InsertText(first, prefix, common - prefix, ref output);
        // List every match on its own line below, then show prompt and line again.
        MoveRight(ref output, _length - _cursor);
        output.Append("\r\n");
        int listed = 0;
        for (int i = 0; i < MaxCandidates; i++)
        {
            string s = _candidates(i);
            if ((object)s == null)
                break;
            if (!Matches(s, wordStart, prefix))
                continue;
            if (listed++ > 0)
                output.Append("  ");
            output.Append(s);
        }
        output.Append("\r\n");
        Redraw(ref output);
    }
}
