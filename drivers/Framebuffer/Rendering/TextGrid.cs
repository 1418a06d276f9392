// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
namespace Kernel.Drivers.Framebuffer;

/// <summary>
/// The console's shadow copy of the screen: one <see cref="CellBytes"/>-byte cell per
/// character position, row-major, in caller-provided memory. A cell is
/// [code point low, code point high, foreground colour index, background colour index]
/// (indices into <see cref="ConsolePalette"/>). It answers "which character is at row r,
/// column c" without reading pixels, and lets the console redraw the screen from scratch.
/// Every accessor checks its row and column; out of range reads return 0 and writes do nothing.
/// </summary>
public unsafe struct TextGrid
{
    public const int CellBytes = 4;

    byte* _cells;
    int _columns;
    int _rows;

    public int Columns => _columns;
    public int Rows => _rows;

    /// <summary>Bytes of cell memory a grid of this size needs.</summary>
    public static long BytesFor(int columns, int rows) =>
        columns <= 0 || rows <= 0 ? 0 : (long)columns * rows * CellBytes;

    /// <summary>Binds the grid to <paramref name="cells"/> (at least
    /// <see cref="BytesFor"/> bytes). False when the memory is missing or too small.</summary>
    public bool Init(byte* cells, long cellBytes, int columns, int rows)
    {
        if (cells == null || columns <= 0 || rows <= 0 || cellBytes < BytesFor(columns, rows))
        {
            _cells = null;
            _columns = 0;
            _rows = 0;
            return false;
        }
        _cells = cells;
        _columns = columns;
        _rows = rows;
        return true;
    }

    bool Inside(int row, int column) =>
        _cells != null && (uint)row < (uint)_rows && (uint)column < (uint)_columns;

    byte* Cell(int row, int column) => _cells + ((long)row * _columns + column) * CellBytes;

    public void Set(int row, int column, int codePoint, byte fg, byte bg)
    {
        if (!Inside(row, column))
            return;
        byte* c = Cell(row, column);
        c[0] = (byte)codePoint;
        c[1] = (byte)(codePoint >> 8);
        c[2] = fg;
        c[3] = bg;
    }

    /// <summary>The code point shown at (row, column); 0 outside the grid.</summary>
    public int CharAt(int row, int column)
    {
        if (!Inside(row, column))
            return 0;
        byte* c = Cell(row, column);
        return c[0] | c[1] << 8;
    }

    public byte ForegroundAt(int row, int column) => Inside(row, column) ? Cell(row, column)[2] : (byte)0;
    public byte BackgroundAt(int row, int column) => Inside(row, column) ? Cell(row, column)[3] : (byte)0;

    /// <summary>Blanks columns [from, to) of one row (clamped) with spaces in the given colours.</summary>
    public void ClearSpan(int row, int from, int to, byte fg, byte bg)
    {
        if (_cells == null || (uint)row >= (uint)_rows)
            return;
        if (from < 0) from = 0;
        if (to > _columns) to = _columns;
        for (int col = from; col < to; col++)
            Set(row, col, ' ', fg, bg);
    }

    /// <summary>Blanks rows [from, to) (clamped).</summary>
    public void ClearRows(int from, int to, byte fg, byte bg)
    {
        if (from < 0) from = 0;
        if (to > _rows) to = _rows;
        for (int row = from; row < to; row++)
            ClearSpan(row, 0, _columns, fg, bg);
    }

    /// <summary>Moves every row up by one and blanks the last.</summary>
    public void ScrollUp(byte fg, byte bg)
    {
        if (_cells == null)
            return;
        long rowBytes = (long)_columns * CellBytes;
        long total = rowBytes * (_rows - 1);
        for (long i = 0; i < total; i++)
            _cells[i] = _cells[i + rowBytes];
        ClearSpan(_rows - 1, 0, _columns, fg, bg);
    }
}
