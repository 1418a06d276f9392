using System;
using System.Text;
using Kernel.Drivers.Framebuffer;
using Kernel.Tests.Support;
using Xunit;
using F = Kernel.Tests.Drivers.FramebufferFonts;

namespace Kernel.Tests.Drivers;

public unsafe class FramebufferConsoleTests
{
    const uint Grey = 0xAAAAAA, Black = 0x000000;

    [Fact]
    public void Geometry_comes_from_the_font_and_the_surface()
    {
        using var c = new HostConsole(20, 5, extraWidth: 7, extraHeight: 15);
        Assert.Equal(20, c.Console->Columns);
        Assert.Equal(5, c.Console->Rows);
        Assert.Equal(0, c.Console->CursorRow);
        Assert.Equal(0, c.Console->CursorColumn);
        Assert.Equal(' ', c.Console->CharAt(4, 19));
        Assert.Equal(0, c.Console->CharAt(5, 0));
        Assert.Equal(0, c.Console->CharAt(0, 20));
    }

    [Fact]
    public void Text_is_stored_and_drawn_with_the_cursor_after_it()
    {
        using var c = new HostConsole(20, 5);
        c.Write("hello");
        Assert.Equal("hello", c.Row(0));
        Assert.Equal(5, c.Console->CursorColumn);
        Assert.True(c.Console->CursorDrawn);
        for (int i = 0; i < 5; i++)
            c.AssertCellPixels(0, i, "hello"[i], Grey, Black);
        c.AssertCellPixels(0, 5, ' ', Black, Grey, "cursor");  // inverted block
        c.AssertCellPixels(0, 6, ' ', Grey, Black);

        c.Write("!");
        c.AssertCellPixels(0, 5, '!', Grey, Black, "old cursor cell");
        c.AssertCellPixels(0, 6, ' ', Black, Grey, "new cursor");

        c.Write("\x1b[3D");                          // a move without drawing erases the old block
        c.AssertCellPixels(0, 6, ' ', Grey, Black, "erased cursor");
        c.AssertCellPixels(0, 3, 'l', Black, Grey, "cursor over a letter");
        c.Write("\r\n");
        c.AssertCellPixels(0, 3, 'l', Grey, Black, "letter after the cursor left");
        c.AssertCellPixels(1, 0, ' ', Black, Grey, "cursor on the next row");
        Assert.True(c.Screen.PaddingIntact());
    }

    [Fact]
    public void Cursor_can_be_hidden_and_shown_with_escape_25()
    {
        using var c = new HostConsole(10, 3);
        c.Write("ab\x1b[?25l");
        Assert.False(c.Console->CursorDrawn);
        c.AssertCellPixels(0, 2, ' ', Grey, Black);
        c.Write("\x1b[?25h");
        c.AssertCellPixels(0, 2, ' ', Black, Grey);
    }

    [Fact]
    public void Long_lines_wrap_and_the_last_column_defers_the_wrap()
    {
        using var c = new HostConsole(10, 4);
        c.Write("0123456789ABC");
        Assert.Equal("0123456789", c.Row(0));
        Assert.Equal("ABC", c.Row(1));
        Assert.Equal(1, c.Console->CursorRow);
        Assert.Equal(3, c.Console->CursorColumn);

        c.Write("\r\nabcdefghij");
        Assert.Equal(2, c.Console->CursorRow);
        Assert.Equal(9, c.Console->CursorColumn); // pending wrap: stays in the last column
        c.Write("\n");
        c.Write("x");
        Assert.Equal("x", c.Row(3));              // exactly one new line, not two
    }

    [Fact]
    public void Scrolling_moves_rows_up_and_clears_the_last()
    {
        using var c = new HostConsole(12, 3);
        c.Write("line0\nline1\nline2");
        Assert.Equal("line0", c.Row(0));
        c.AssertCellPixels(2, 0, 'l', Grey, Black);
        c.Write("\nline3");
        Assert.Equal("line1", c.Row(0));
        Assert.Equal("line2", c.Row(1));
        Assert.Equal("line3", c.Row(2));
        for (int col = 0; col < 5; col++)
        {
            c.AssertCellPixels(0, col, "line1"[col], Grey, Black, "scrolled row 0");
            c.AssertCellPixels(1, col, "line2"[col], Grey, Black, "scrolled row 1");
        }
        c.Write("\n");
        Assert.Equal("", c.Row(2));
        for (int col = 1; col < 12; col++)
            c.AssertCellPixels(2, col, ' ', Grey, Black, "cleared last row");
        Assert.Equal("line2", c.Row(0));
        Assert.True(c.Screen.PaddingIntact());
    }

    [Fact]
    public void Scrolling_keeps_the_margin_below_the_last_row_untouched()
    {
        using var c = new HostConsole(6, 2, extraWidth: 3, extraHeight: 5);
        c.Screen.Surface->FillRect(0, 32, 51, 5, 0x00FF00); // paint the margin
        c.Write("a\nb\nc\nd\n");
        Assert.Equal(0x00FF00u, c.Screen.Pixel(0, 33));
        Assert.Equal(0x00FF00u, c.Screen.Pixel(50, 36));
    }

    [Fact]
    public void Carriage_return_backspace_and_tab()
    {
        using var c = new HostConsole(20, 3);
        c.Write("abcdef\rX");
        Assert.Equal("Xbcdef", c.Row(0));
        c.Write("\b\bY");
        Assert.Equal("Ybcdef", c.Row(0));
        c.Write("\r\n\tT");
        Assert.Equal(9, c.Console->CursorColumn);
        Assert.Equal('T', c.Console->CharAt(1, 8));
        c.Write("\t\t\t\tZ");     // tab stops stop at the last column
        Assert.Equal('Z', c.Console->CharAt(1, 19));
        c.Write("\r\n\a\0\x01"); // BEL, NUL and other controls draw nothing
        Assert.Equal("", c.Row(2));
        Assert.Equal(0, c.Console->CursorColumn);
    }

    [Fact]
    public void Cursor_position_and_moves()
    {
        using var c = new HostConsole(20, 6);
        c.Write("\x1b[3;5HX");
        Assert.Equal('X', c.Console->CharAt(2, 4));
        c.Write("\x1b[HY");
        Assert.Equal('Y', c.Console->CharAt(0, 0));
        c.Write("\x1b[4;1f\x1b[2B\x1b[3CZ");  // f = H; down 2, right 3
        Assert.Equal('Z', c.Console->CharAt(5, 3));
        c.Write("\x1b[A\x1b[2DW");
        Assert.Equal('W', c.Console->CharAt(4, 2));
        c.Write("\x1b[99;99HE");             // clamped to the bottom-right cell
        Assert.Equal('E', c.Console->CharAt(5, 19));
        c.Write("\x1b[99999999999999999999A\x1b[9999DQ"); // overlong numbers clamp
        Assert.Equal('Q', c.Console->CharAt(0, 0));
        c.Write("\x1b[0;0HR\x1b[7GS");
        Assert.Equal('R', c.Console->CharAt(0, 0));
        Assert.Equal('S', c.Console->CharAt(0, 6));
    }

    [Fact]
    public void Erase_display_and_line()
    {
        using var c = new HostConsole(10, 3);
        c.Write("aaaaaaaaaa\r\nbbbbbbbbbb\r\ncccccccccc");
        c.Write("\x1b[2;4H\x1b[K");
        Assert.Equal("bbb", c.Row(1));
        Assert.Equal("aaaaaaaaaa", c.Row(0));
        c.AssertCellPixels(1, 5, ' ', Grey, Black);
        c.Write("\x1b[1K");
        Assert.Equal("", c.Row(1));
        c.Write("\x1b[1;3H\x1b[1J");
        Assert.Equal("   aaaaaaa", c.Row(0));
        Assert.Equal("cccccccccc", c.Row(2));
        c.Write("\x1b[2J");
        for (int r = 0; r < 3; r++) Assert.Equal("", c.Row(r));
        Assert.Equal(0, c.Console->CursorRow); // 2J leaves the cursor where it was
        Assert.Equal(2, c.Console->CursorColumn);
        c.Write("\x1b[3;1Hzz\x1b[2K");
        Assert.Equal("", c.Row(2));
    }

    [Fact]
    public void Colours_from_sgr()
    {
        using var c = new HostConsole(20, 3);
        c.Write("\x1b[31mR\x1b[1;32mG\x1b[0mN\x1b[44;93mY\x1b[mD\x1b[7mV\x1b[27;22;39;49m");
        Assert.Equal(1, c.Console->ForegroundAt(0, 0));
        Assert.Equal(10, c.Console->ForegroundAt(0, 1)); // bold green -> bright green
        Assert.Equal(7, c.Console->ForegroundAt(0, 2));
        Assert.Equal(11, c.Console->ForegroundAt(0, 3));
        Assert.Equal(4, c.Console->BackgroundAt(0, 3));
        Assert.Equal(7, c.Console->ForegroundAt(0, 4));
        Assert.Equal(0, c.Console->BackgroundAt(0, 4));
        Assert.Equal(0, c.Console->ForegroundAt(0, 5));  // reverse video
        Assert.Equal(7, c.Console->BackgroundAt(0, 5));
        c.AssertCellPixels(0, 0, 'R', 0xAA0000, Black);
        c.AssertCellPixels(0, 1, 'G', 0x55FF55, Black);
        c.AssertCellPixels(0, 3, 'Y', 0xFFFF55, 0x0000AA);
        c.Write("\x1b[97;100mW");
        Assert.Equal(15, c.Console->ForegroundAt(0, 6));
        Assert.Equal(8, c.Console->BackgroundAt(0, 6));
        // erase uses the current background
        c.Write("\x1b[0;41m\x1b[K");
        Assert.Equal(1, c.Console->BackgroundAt(0, 10));
        c.AssertCellPixels(0, 12, ' ', Grey, 0xAA0000);
    }

    [Fact]
    public void Unknown_and_malformed_sequences_are_swallowed()
    {
        using var c = new HostConsole(30, 3);
        c.Write("a\x1b[?1049hb\x1b(Bc\x1b]0;title\ad\x1b[38;5;196me\x1b[1;2;3;4;5;6;7;8;9;31mf\x1b[5;7:1mg\x1b[>0ch\x1b#8i\x1b=j\x1b\\k");
        Assert.Equal("abcdefghijk", c.Row(0));
        Assert.Equal(7, c.Console->ForegroundAt(0, 5)); // too many parameters: ignored entirely
        c.Write("\x1b[12\x18x");                          // CAN aborts the sequence
        Assert.Equal('x', c.Console->CharAt(0, 11));
        c.Write("\x1b[1\x1b[31my");                       // ESC restarts a sequence
        Assert.Equal(1, c.Console->ForegroundAt(0, 12));
        c.Write("\x1b[2\r\nA");                           // controls inside a sequence still act; 'A' ends it
        Assert.Equal("", c.Row(1));
        Assert.Equal(0, c.Console->CursorRow);          // ESC [ 2 A moved up from row 1 to row 0
    }

    [Fact]
    public void Utf8_latin1_characters_use_their_glyphs_and_bad_bytes_show_question_marks()
    {
        using var c = new HostConsole(20, 2);
        c.Write("caf\u00e9 \u00c5\u2500");
        Assert.Equal(0xE9, c.Console->CharAt(0, 3));
        Assert.Equal(0xC5, c.Console->CharAt(0, 5));
        Assert.Equal(0x2500, c.Console->CharAt(0, 6));
        c.AssertCellPixels(0, 3, 0xE9, Grey, Black);
        c.AssertCellPixels(0, 6, 0x2500, Grey, Black);
        c.Write(new byte[] { (byte)'\r', (byte)'\n', 0xC3, (byte)'x', 0x80, 0xFF, 0xE2, 0x94, 0xF0, 0x9F, 0x98, 0x80, 0xC0, 0xAF, (byte)'y' });
        // C3 broken by 'x' -> "?x"; stray 80 -> ?; FF -> ?; E2 94 broken by F0 -> ?; astral -> ?; overlong C0 AF -> ? ?
        Assert.Equal("?x??????y", c.Row(1));
        Assert.Equal('x', c.Console->CharAt(1, 1));
        Assert.Equal('y', c.Console->CharAt(1, c.Row(1).Length - 1));
        for (int i = 0; i < c.Row(1).Length; i++)
            Assert.Contains((char)c.Console->CharAt(1, i), "?xy");
        c.AssertCellPixels(1, 0, '?', Grey, Black);
    }

    [Fact]
    public void Clear_redraw_and_escape_c()
    {
        using var c = new HostConsole(10, 3);
        c.Write("\x1b[44mhello\nworld");
        c.Console->Clear();
        Assert.Equal("", c.Row(0));
        Assert.Equal(0, c.Console->CursorColumn);
        Assert.Equal(4, c.Console->BackgroundAt(2, 9)); // cleared in the current background
        c.Write("\x1b[0mab");
        c.Screen.Surface->FillRect(0, 0, 80, 48, 0xFF00FF); // something else scribbles
        c.Console->Redraw();
        c.AssertCellPixels(0, 0, 'a', Grey, Black);
        c.AssertCellPixels(0, 2, ' ', Black, Grey, "cursor");
        c.AssertCellPixels(1, 0, ' ', Grey, 0x0000AA);
        c.Write("\x1b[33mzz\u001bc");
        Assert.Equal("", c.Row(0));
        c.Write("k");
        Assert.Equal(7, c.Console->ForegroundAt(0, 0));
        c.AssertCellPixels(0, 1, ' ', Black, Grey, "cursor after reset");
    }

    [Fact]
    public void Copy_row_text_gives_ascii()
    {
        using var c = new HostConsole(10, 2);
        c.Write("ok \u00e9 ");
        byte* buf = stackalloc byte[16];
        int n = c.Console->CopyRowText(0, buf, 16);
        Assert.Equal("ok ?", Encoding.ASCII.GetString(buf, n));
        Assert.Equal(2, c.Console->CopyRowText(0, buf, 2));
        Assert.Equal(0, c.Console->CopyRowText(5, buf, 16));
    }

    [Fact]
    public void Init_errors()
    {
        using var font = new NativeFont(F.Terminus16());
        using var fb = new HostFramebuffer(7, 40);
        using var mem = new NativeBuffer(sizeof(FramebufferConsole));
        using var cells = new NativeBuffer(4096);
        var console = (FramebufferConsole*)mem.Pointer;
        Assert.Equal(ConsoleStatus.TooSmall, FramebufferConsole.Init(console, fb.Surface, font.Font, cells.Pointer, 4096, out string m));
        Assert.Contains("smaller than one character", m);
        using var fb2 = new HostFramebuffer(80, 32);
        Assert.Equal(10 * 2 * 4, FramebufferConsole.CellBytesFor(80, 32, font.Font));
        Assert.Equal(ConsoleStatus.CellMemoryTooSmall, FramebufferConsole.Init(console, fb2.Surface, font.Font, cells.Pointer, 79, out _));
        Assert.Equal(ConsoleStatus.CellMemoryTooSmall, FramebufferConsole.Init(console, fb2.Surface, font.Font, null, 4096, out _));
        using var bad = new NativeFont(new byte[] { 1, 2, 3, 4 });
        Assert.Equal(ConsoleStatus.NoFont, FramebufferConsole.Init(console, fb2.Surface, bad.Font, cells.Pointer, 4096, out _));
        Assert.False(console->Ready);
        console->Write("ignored"); // a console that failed to start does nothing
        Assert.Equal(ConsoleStatus.Ok, FramebufferConsole.Init(console, fb2.Surface, font.Font, cells.Pointer, 80, out _));
        Assert.True(console->Ready);
        Assert.True(fb2.PaddingIntact());
    }

    [Fact]
    public void Sixteen_bit_console_renders_the_same_text()
    {
        using var c = new HostConsole(8, 2, bpp: 16);
        c.Write("\x1b[31mhi");
        Assert.Equal("hi", c.Row(0));
        byte* bits = c.Font.Font->GlyphBits(c.Font.Font->GlyphFor('h'));
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 8; x++)
                Assert.Equal((bits[y] & (0x80 >> x)) != 0 ? 0xA800u : 0u, c.Screen.Pixel(x, y));
        Assert.True(c.Screen.PaddingIntact());
    }

    [Fact]
    public void Random_bytes_never_break_the_console()
    {
        const int seed = 777;
        var rng = new Random(seed);
        using var c = new HostConsole(16, 4);
        byte[] chunk = new byte[997];
        for (int round = 0; round < 100; round++)
        {
            rng.NextBytes(chunk);
            // Bias towards escape-sequence bytes so that sequences actually occur.
            for (int i = 0; i < chunk.Length; i += rng.Next(2, 9))
                chunk[i] = (byte)"\x1b[;0123456789mHJKABCD?\n\r\b\t"[rng.Next(26)];
            c.Write(chunk);
            Assert.InRange(c.Console->CursorRow, 0, 3);
            Assert.InRange(c.Console->CursorColumn, 0, 15);
            Assert.True(c.Screen.PaddingIntact(), $"seed {seed} round {round}");
        }
        c.Write("\x18\x1b[0m\x1b[2J\x1b[Hok");
        Assert.Equal("ok", c.Row(0));
        Assert.Equal(7, c.Console->ForegroundAt(0, 0));
        c.AssertCellPixels(0, 0, 'o', Grey, Black);
    }
}
