// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
namespace Kernel.Drivers.Framebuffer;

public enum ConsoleStatus
{
    Ok = 0,
    /// <summary>No font, or a font that did not parse.</summary>
    NoFont,
    /// <summary>The surface is smaller than one glyph.</summary>
    TooSmall,
    /// <summary>The cell memory is missing or smaller than <see cref="FramebufferConsole.CellBytesFor"/>.</summary>
    CellMemoryTooSmall,
}

/// <summary>
/// A text console drawn with a PSF font on a <see cref="PixelSurface"/>: columns = width /
/// glyph width, rows = height / glyph height. It understands the output vocabulary the shell
/// also sends to the serial port, so one byte stream suits both:
///   \n (new line: column 0, next row), \r, \b, \t (stops every 8 columns), BEL (ignored);
///   ESC [ H, ESC [ row ; col H (and f), ESC [ n A/B/C/D, ESC [ n G, ESC [ 0/1/2 J,
///   ESC [ 0/1/2 K, ESC [ ... m (0, 1, 22, 7, 27, 30-37, 39, 40-47, 49, 90-97, 100-107),
///   ESC [ ? 25 h/l (cursor on/off), ESC c (reset); anything else is swallowed.
/// Text is UTF-8; code points the font lacks draw as '?'. Wrapping is deferred as on a VT100 /
/// xterm: a character written in the last column leaves the cursor there, and the next one
/// starts a new line. Passing the last row scrolls everything up one row.
/// The cursor is a cell drawn with swapped colours; it is drawn at the end of every
/// <see cref="Write"/> and erased (the cell redrawn) at the start of the next.
/// Every character is also kept in a <see cref="TextGrid"/> in caller-provided memory, so
/// <see cref="CharAt"/> answers what the screen shows and <see cref="Redraw"/> repaints it.
/// </summary>
public unsafe struct FramebufferConsole
{
    PixelSurface _surface;  // clipped to whole cells
    PixelSurface _full;     // the whole framebuffer (cleared on Clear, for the margin)
    PsfFont* _font;
    TextGrid _grid;
    OutputParser _parser;
    int _row, _column;
    bool _wrapPending;
    byte _fg, _bg;          // current colours, palette indices
    bool _bold, _reverse;
    bool _cursorEnabled;
    bool _cursorDrawn;
    int _cursorRow, _cursorColumn;

    public int Columns => _grid.Columns;
    public int Rows => _grid.Rows;
    public int CursorRow => _row;
    public int CursorColumn => _column;
    public bool CursorVisible => _cursorEnabled;
    /// <summary>True when the cursor is drawn at (<see cref="CursorRow"/>, <see cref="CursorColumn"/>).</summary>
    public bool CursorDrawn => _cursorDrawn;
    public bool Ready => _font != null && _grid.Columns > 0;

    /// <summary>Cell memory (bytes) a console on a <paramref name="width"/> x
    /// <paramref name="height"/> surface with this font needs; 0 if not even one cell fits.</summary>
    public static long CellBytesFor(int width, int height, PsfFont* font)
    {
        if (font == null || font->Width <= 0 || font->Height <= 0)
            return 0;
        return TextGrid.BytesFor(width / font->Width, height / font->Height);
    }

    /// <summary>
    /// Sets up a console over <paramref name="surface"/> (copied) with <paramref name="font"/>
    /// (must stay valid, as must its bytes) and <paramref name="cells"/> (<see cref="CellBytesFor"/>
    /// bytes, owned by the caller). Clears the screen to the default colours and draws the cursor.
    /// </summary>
    public static ConsoleStatus Init(FramebufferConsole* console, PixelSurface* surface, PsfFont* font,
        byte* cells, long cellBytes, out string message)
    {
        message = "";
        if (console == null || surface == null)
        {
            message = "no console or surface structure";
            return ConsoleStatus.TooSmall;
        }
        *console = default;
        if (font == null || font->GlyphCount == 0 || font->Width <= 0 || font->Height <= 0)
        {
            message = "console font is missing or did not parse";
            return ConsoleStatus.NoFont;
        }
        int columns = surface->Width / font->Width;
        int rows = surface->Height / font->Height;
        if (columns <= 0 || rows <= 0)
        {
            message = "framebuffer is smaller than one character cell";
            return ConsoleStatus.TooSmall;
        }
        if (!console->_grid.Init(cells, cellBytes, columns, rows))
        {
            message = "console cell memory is missing or smaller than columns * rows * 4 bytes";
            return ConsoleStatus.CellMemoryTooSmall;
        }
        console->_full = *surface;
        console->_surface = surface->Clip(columns * font->Width, rows * font->Height);
        console->_font = font;
        console->_cursorEnabled = true;
        console->ResetAttributes();
        console->Clear();
        return ConsoleStatus.Ok;
    }

    /// <summary>The code point shown at (row, column), 0 outside the screen.</summary>
    public int CharAt(int row, int column) => _grid.CharAt(row, column);
    /// <summary>Palette index of the character's colour at (row, column).</summary>
    public byte ForegroundAt(int row, int column) => _grid.ForegroundAt(row, column);
    public byte BackgroundAt(int row, int column) => _grid.BackgroundAt(row, column);

    /// <summary>Copies row <paramref name="row"/> as ASCII ('?' for other code points) into
    /// <paramref name="dst"/>, trailing spaces removed; returns the byte count.</summary>
    public int CopyRowText(int row, byte* dst, int capacity)
    {
        if (dst == null || (uint)row >= (uint)Rows)
            return 0;
        int end = Columns;
        while (end > 0 && _grid.CharAt(row, end - 1) == ' ')
            end--;
        int n = end < capacity ? end : capacity;
        for (int i = 0; i < n; i++)
        {
            int c = _grid.CharAt(row, i);
            dst[i] = c >= 0x20 && c < 0x7F ? (byte)c : (byte)'?';
        }
        return n;
    }

    /// <summary>Blanks the whole framebuffer in the current background and homes the cursor.</summary>
    public void Clear()
    {
        if (!Ready)
            return;
        ClearAll();
        ShowCursor();
    }

    void ClearAll()
    {
        _cursorDrawn = false;
        _grid.ClearRows(0, Rows, _fg, _bg);
        _full.FillRect(0, 0, _full.Width, _full.Height, ConsolePalette.Rgb(_bg));
        _row = 0;
        _column = 0;
        _wrapPending = false;
    }

    /// <summary>Repaints every cell from the shadow buffer (after something else drew on the screen).</summary>
    public void Redraw()
    {
        if (!Ready)
            return;
        _cursorDrawn = false;
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
                DrawCell(r, c, false);
        ShowCursor();
    }

    public void Write(byte* text, int length)
    {
        if (!Ready || text == null)
            return;
        HideCursor();
        for (int i = 0; i < length; i++)
            Put(text[i]);
        ShowCursor();
    }

    public void WriteByte(byte b)
    {
        if (!Ready)
            return;
        HideCursor();
        Put(b);
        ShowCursor();
    }

    /// <summary>Writes an ASCII string literal (characters above 0x7F become '?').</summary>
    public void Write(string s)
    {
        if (!Ready || (object)s == null)
            return;
        HideCursor();
        for (int i = 0; i < s.Length; i++)
            Put(s[i] < 0x80 ? (byte)s[i] : (byte)'?');
        ShowCursor();
    }

    void Put(byte b)
    {
        int guard = 0;
        do
        {
            OutputAction action = _parser.Feed(b, out int value);
            switch (action)
            {
                case OutputAction.Print: Print(value); break;
                case OutputAction.Control: Control((byte)value); break;
                case OutputAction.Csi: Csi((byte)value); break;
                case OutputAction.Escape: if (value == 'c') FullReset(); break;
            }
        } while (_parser.TakeRepeat() && ++guard < 2);
    }

    void ResetAttributes()
    {
        _fg = ConsolePalette.DefaultForeground;
        _bg = ConsolePalette.DefaultBackground;
        _bold = false;
        _reverse = false;
    }

    void FullReset()
    {
        _parser.Reset();
        ResetAttributes();
        _cursorEnabled = true;
        ClearAll(); // the cursor is drawn by Write once the batch is done
    }

    byte EffectiveForeground()
    {
        byte fg = _fg;
        if (_bold && fg < 8)
            fg += 8;
        return _reverse ? _bg : fg;
    }

    byte EffectiveBackground()
    {
        byte fg = _fg;
        if (_bold && fg < 8)
            fg += 8;
        return _reverse ? fg : _bg;
    }

    void Print(int codePoint)
    {
        if (_wrapPending)
        {
            _wrapPending = false;
            _column = 0;
            LineFeed();
        }
        _grid.Set(_row, _column, codePoint, EffectiveForeground(), EffectiveBackground());
        DrawCell(_row, _column, false);
        if (_column == Columns - 1)
            _wrapPending = true;
        else
            _column++;
    }

    void LineFeed()
    {
        if (_row < Rows - 1)
        {
            _row++;
            return;
        }
        _grid.ScrollUp(_fg, _bg);
        _surface.ScrollUp(_font->Height, ConsolePalette.Rgb(_bg));
    }

    void Control(byte b)
    {
        switch (b)
        {
            case (byte)'\n':
                _column = 0;
                _wrapPending = false;
                LineFeed();
                break;
            case (byte)'\r':
                _column = 0;
                _wrapPending = false;
                break;
            case (byte)'\b':
                if (_wrapPending) _wrapPending = false;
                else if (_column > 0) _column--;
                break;
            case (byte)'\t':
                if (_wrapPending)
                    break;
                _column = (_column / 8 + 1) * 8;
                if (_column > Columns - 1)
                    _column = Columns - 1;
                break;
            // BEL, NUL, DEL and the other C0 bytes draw nothing.
        }
    }

    void MoveTo(int row, int column)
    {
        _row = row < 0 ? 0 : row >= Rows ? Rows - 1 : row;
        _column = column < 0 ? 0 : column >= Columns ? Columns - 1 : column;
        _wrapPending = false;
    }

    void Csi(byte final)
    {
        if (_parser.PrivateMarker != 0)
        {
            if (_parser.PrivateMarker == (byte)'?' && _parser.RawParam(0) == 25 && _parser.ParamCount == 1)
            {
                if (final == (byte)'h') _cursorEnabled = true;
                else if (final == (byte)'l') _cursorEnabled = false;
            }
            return;
        }
        switch (final)
        {
            case (byte)'A': MoveTo(_row - _parser.Param(0, 1), _column); break;
            case (byte)'B': MoveTo(_row + _parser.Param(0, 1), _column); break;
            case (byte)'C': MoveTo(_row, _column + _parser.Param(0, 1)); break;
            case (byte)'D': MoveTo(_row, _column - _parser.Param(0, 1)); break;
            case (byte)'G': MoveTo(_row, _parser.Param(0, 1) - 1); break;
            case (byte)'H':
            case (byte)'f': MoveTo(_parser.Param(0, 1) - 1, _parser.Param(1, 1) - 1); break;
            case (byte)'J': EraseDisplay(_parser.RawParam(0)); break;
            case (byte)'K': EraseLine(_parser.RawParam(0)); break;
            case (byte)'m': Sgr(); break;
        }
    }

    void EraseDisplay(int mode)
    {
        if (mode == 0)
        {
            EraseCells(_row, _column, Columns);
            for (int r = _row + 1; r < Rows; r++) EraseCells(r, 0, Columns);
        }
        else if (mode == 1)
        {
            for (int r = 0; r < _row; r++) EraseCells(r, 0, Columns);
            EraseCells(_row, 0, _column + 1);
        }
        else if (mode == 2 || mode == 3)
        {
            for (int r = 0; r < Rows; r++) EraseCells(r, 0, Columns);
        }
    }

    void EraseLine(int mode)
    {
        if (mode == 0) EraseCells(_row, _column, Columns);
        else if (mode == 1) EraseCells(_row, 0, _column + 1);
        else if (mode == 2) EraseCells(_row, 0, Columns);
    }

    /// <summary>Blanks columns [from, to) of a row in the current background.</summary>
    void EraseCells(int row, int from, int to)
    {
        if (from < 0) from = 0;
        if (to > Columns) to = Columns;
        if (from >= to)
            return;
        _grid.ClearSpan(row, from, to, _fg, _bg);
        _surface.FillRect(from * _font->Width, row * _font->Height, (to - from) * _font->Width,
            _font->Height, ConsolePalette.Rgb(_bg));
    }

    void Sgr()
    {
        int count = _parser.ParamCount;
        if (count == 0)
        {
            ResetAttributes();
            return;
        }
        for (int i = 0; i < count && i < OutputParser.MaxParams; i++)
        {
            int p = _parser.RawParam(i);
            if (p == 0) ResetAttributes();
            else if (p == 1) _bold = true;
            else if (p == 22) _bold = false;
            else if (p == 7) _reverse = true;
            else if (p == 27) _reverse = false;
            else if (p >= 30 && p <= 37) _fg = (byte)(p - 30);
            else if (p == 39) _fg = ConsolePalette.DefaultForeground;
            else if (p >= 40 && p <= 47) _bg = (byte)(p - 40);
            else if (p == 49) _bg = ConsolePalette.DefaultBackground;
            else if (p >= 90 && p <= 97) _fg = (byte)(p - 90 + 8);
            else if (p >= 100 && p <= 107) _bg = (byte)(p - 100 + 8);
            // anything else (underline, blink, 256 colours...) is ignored
        }
    }

    void DrawCell(int row, int column, bool inverted)
    {
        int cp = _grid.CharAt(row, column);
        byte fg = _grid.ForegroundAt(row, column);
        byte bg = _grid.BackgroundAt(row, column);
        if (inverted)
        {
            byte t = fg;
            fg = bg;
            bg = t;
        }
        _surface.DrawGlyph(column * _font->Width, row * _font->Height, _font, _font->GlyphFor(cp),
            ConsolePalette.Rgb(fg), ConsolePalette.Rgb(bg));
    }

    void HideCursor()
    {
        if (!_cursorDrawn)
            return;
        _cursorDrawn = false;
        DrawCell(_cursorRow, _cursorColumn, false);
    }

    void ShowCursor()
    {
        if (!_cursorEnabled || _cursorDrawn)
            return;
        _cursorRow = _row;
        _cursorColumn = _column;
        _cursorDrawn = true;
        DrawCell(_cursorRow, _cursorColumn, true);
    }
}
