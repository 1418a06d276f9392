// The VGA text screen (80x25 cells at physical 0xb8000) used on BIOS boots. It is enabled only
// when the boot information says the screen is in text mode (or gives no framebuffer at all
// under BIOS); under UEFI there is no text mode and this console stays off. It understands the
// same ANSI subset as the framebuffer console (drivers/Framebuffer/Rendering/OutputParser).
using Kernel.Arch.X64;
using Kernel.Drivers.Framebuffer;

namespace Kernel.Drivers.Vga;

public static unsafe class VgaTextConsole
{
    public const int Columns = 80, Rows = 25;
    const byte Attribute = 0x07; // light grey on black

    static ushort* s_buffer;
    static int s_row, s_column;
    static OutputParser s_parser;   // ANSI sequences (the line editor's cursor moves, clear)

    public static bool Enabled => s_buffer != null;
    public static int CursorRow => s_row;
    public static int CursorColumn => s_column;

    /// <summary>Turns the console on over the text buffer at the given virtual address.</summary>
    public static void Enable(ulong bufferVirtual)
    {
        bool first = s_buffer == null;
        s_buffer = (ushort*)bufferVirtual;
        if (first) Clear(); // a second call only moves the mapping (the text stays)
    }

    public static void Disable() => s_buffer = null;

    public static void Clear()
    {
        if (s_buffer == null) return;
        for (int i = 0; i < Columns * Rows; i++) s_buffer[i] = (ushort)(Attribute << 8 | ' ');
        s_row = 0;
        s_column = 0;
        MoveHardwareCursor();
    }

    public static void Write(byte* text, int length)
    {
        if (s_buffer == null) return;
        for (int i = 0; i < length; i++) Put(text[i]);
        MoveHardwareCursor();
    }

    /// <summary>The blinking cursor follows the text (CRT controller registers 0x0e/0x0f).</summary>
    static void MoveHardwareCursor()
    {
        const ushort CrtIndex = 0x3d4, CrtData = 0x3d5;
        int position = s_row * Columns + (s_column < Columns ? s_column : Columns - 1);
        Cpu.OutByte(CrtIndex, 0x0f);
        Cpu.OutByte(CrtData, (byte)position);
        Cpu.OutByte(CrtIndex, 0x0e);
        Cpu.OutByte(CrtData, (byte)(position >> 8));
    }

    /// <summary>The character shown in a cell (for tests and screen checks).</summary>
    public static byte CharAt(int row, int column) => s_buffer == null ? (byte)0 : (byte)s_buffer[row * Columns + column];

    static void Put(byte b)
    {
        do
        {
            OutputAction action = s_parser.Feed(b, out int value);
            switch (action)
            {
                case OutputAction.Print: PutChar(value < 127 && value >= 32 ? (byte)value : (byte)'?'); break;
                case OutputAction.Control: Control((byte)value); break;
                case OutputAction.Csi: Csi((byte)value); break;
                case OutputAction.Escape: if (value == 'c') Clear(); break;
            }
        } while (s_parser.TakeRepeat());
    }

    static void Control(byte c)
    {
        switch (c)
        {
            case (byte)'\n': NewLine(); return;
            case (byte)'\r': s_column = 0; return;
            case (byte)'\b': if (s_column > 0) s_column--; return;
            case (byte)'\t': do PutChar((byte)' '); while ((s_column & 7) != 0); return;
        }
    }

    /// <summary>The cursor and erase sequences the shell's line editor and `clear` use.</summary>
    static void Csi(byte final)
    {
        int n = s_parser.Param(0, 1);
        switch (final)
        {
            case (byte)'A': s_row = Clamp(s_row - n, Rows); break;
            case (byte)'B': s_row = Clamp(s_row + n, Rows); break;
            case (byte)'C': s_column = Clamp(s_column + n, Columns); break;
            case (byte)'D': s_column = Clamp(s_column - n, Columns); break;
            case (byte)'G': s_column = Clamp(n - 1, Columns); break;
            case (byte)'H':
            case (byte)'f': s_row = Clamp(n - 1, Rows); s_column = Clamp(s_parser.Param(1, 1) - 1, Columns); break;
            case (byte)'J':
                int mode = s_parser.RawParam(0);
                if (mode == 2 || mode == 3) Erase(0, Columns * Rows);
                else if (mode == 0) Erase(s_row * Columns + s_column, Columns * Rows);
                else Erase(0, s_row * Columns + s_column + 1);
                break;
            case (byte)'K':
                int line = s_parser.RawParam(0), start = s_row * Columns;
                if (line == 0) Erase(start + s_column, start + Columns);
                else if (line == 1) Erase(start, start + s_column + 1);
                else Erase(start, start + Columns);
                break;
        }
    }

    static int Clamp(int v, int limit) => v < 0 ? 0 : v >= limit ? limit - 1 : v;

    static void Erase(int from, int to)
    {
        for (int i = from; i < to; i++) s_buffer[i] = (ushort)(Attribute << 8 | ' ');
    }

    static void PutChar(byte c)
    {
        if (s_column >= Columns) NewLine();   // deferred wrap, as the terminal does
        s_buffer[s_row * Columns + s_column] = (ushort)(Attribute << 8 | c);
        s_column++;
    }

    static void NewLine()
    {
        s_column = 0;
        if (++s_row < Rows) return;
        for (int i = 0; i < Columns * (Rows - 1); i++) s_buffer[i] = s_buffer[i + Columns];
        for (int i = Columns * (Rows - 1); i < Columns * Rows; i++) s_buffer[i] = (ushort)(Attribute << 8 | ' ');
        s_row = Rows - 1;
    }
}
