// The VGA text screen (80x25 cells at physical 0xb8000) used on BIOS boots. It is enabled only
// when the boot information says the screen is in text mode (or gives no framebuffer at all
// under BIOS); under UEFI there is no text mode and this console stays off.
using Kernel.Arch.X64;

namespace Kernel.Drivers.Vga;

public static unsafe class VgaTextConsole
{
    public const int Columns = 80, Rows = 25;
    const byte Attribute = 0x07; // light grey on black

    static ushort* s_buffer;
    static int s_row, s_column;

    public static bool Enabled => s_buffer != null;

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
        int position = s_row * Columns + s_column;
        Cpu.OutByte(CrtIndex, 0x0f);
        Cpu.OutByte(CrtData, (byte)position);
        Cpu.OutByte(CrtIndex, 0x0e);
        Cpu.OutByte(CrtData, (byte)(position >> 8));
    }

    /// <summary>The character shown in a cell (for tests and screen checks).</summary>
    public static byte CharAt(int row, int column) => s_buffer == null ? (byte)0 : (byte)s_buffer[row * Columns + column];

    static void Put(byte c)
    {
        switch (c)
        {
            case (byte)'\n': NewLine(); return;
            case (byte)'\r': s_column = 0; return;
            case (byte)'\b': if (s_column > 0) s_column--; return;
            case (byte)'\t': do Put((byte)' '); while ((s_column & 7) != 0); return;
        }
        if (c < 32 || c > 126) c = (byte)'?';
        s_buffer[s_row * Columns + s_column] = (ushort)(Attribute << 8 | c);
        if (++s_column == Columns) NewLine();
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
