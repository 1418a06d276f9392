using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using Kernel.Drivers.Framebuffer;
using Kernel.Tests.Support;
using Xunit;

namespace Kernel.Tests.Drivers;

/// <summary>Font bytes for the framebuffer tests: the real Terminus file the kernel embeds
/// (gunzipped here, in test code) and synthetic PSF1 / PSF2 fonts.</summary>
public static class FramebufferFonts
{
    public const string TerminusPath = "/usr/share/consolefonts/Lat15-Terminus16.psf.gz";

    static byte[] s_terminus;

    /// <summary>Lat15-Terminus16.psf, gunzipped (PSF1, 256 glyphs 8x16, Unicode table).</summary>
    public static byte[] Terminus16()
    {
        if (s_terminus == null)
        {
            Assert.True(File.Exists(TerminusPath), TerminusPath + " is missing (Debian package console-setup-linux)");
            using var file = File.OpenRead(TerminusPath);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            s_terminus = ms.ToArray();
        }
        return s_terminus;
    }

    /// <summary>
    /// Reference decoding of a PSF1 Unicode table, written independently of the kernel code:
    /// code point -> first glyph that lists it (sequences after 0xFFFE skipped).
    /// </summary>
    public static Dictionary<int, int> ReferencePsf1Map(byte[] font)
    {
        var map = new Dictionary<int, int>();
        int count = (font[2] & 1) != 0 ? 512 : 256;
        int pos = 4 + count * font[3];
        for (int glyph = 0; glyph < count; glyph++)
        {
            bool seq = false;
            while (true)
            {
                int v = BitConverter.ToUInt16(font, pos);
                pos += 2;
                if (v == 0xFFFF) break;
                if (v == 0xFFFE) { seq = true; continue; }
                if (!seq) map.TryAdd(v, glyph);
            }
        }
        return map;
    }

    /// <summary>A PSF1 font: glyph g's rows are (byte)(g + row); optional table entries per glyph.</summary>
    public static byte[] Psf1(int height, bool glyphs512, List<int>[] table = null)
    {
        var b = new List<byte> { 0x36, 0x04, (byte)((glyphs512 ? 1 : 0) | (table != null ? 2 : 0)), (byte)height };
        int count = glyphs512 ? 512 : 256;
        for (int g = 0; g < count; g++)
            for (int r = 0; r < height; r++)
                b.Add((byte)(g + r));
        if (table != null)
        {
            for (int g = 0; g < count; g++)
            {
                if (g < table.Length && table[g] != null)
                    foreach (int v in table[g]) { b.Add((byte)v); b.Add((byte)(v >> 8)); }
                b.Add(0xFF); b.Add(0xFF);
            }
        }
        return b.ToArray();
    }

    /// <summary>
    /// A PSF2 font of <paramref name="count"/> glyphs, width x height. Glyph g has pixel (x, y)
    /// set when (x + y + g) % 3 == 0. <paramref name="table"/> holds each glyph's raw table entry
    /// bytes (without the 0xFF terminator, which is added); null means no table.
    /// </summary>
    public static byte[] Psf2(int count, int width, int height, byte[][] table = null, int headerSize = 32)
    {
        int bpr = (width + 7) / 8;
        var b = new List<byte>();
        void U32(uint v) { b.Add((byte)v); b.Add((byte)(v >> 8)); b.Add((byte)(v >> 16)); b.Add((byte)(v >> 24)); }
        b.AddRange(new byte[] { 0x72, 0xb5, 0x4a, 0x86 });
        U32(0);
        U32((uint)headerSize);
        U32(table != null ? 1u : 0u);
        U32((uint)count);
        U32((uint)(bpr * height));
        U32((uint)height);
        U32((uint)width);
        while (b.Count < headerSize) b.Add(0xEE);
        for (int g = 0; g < count; g++)
            for (int y = 0; y < height; y++)
                for (int i = 0; i < bpr; i++)
                {
                    byte v = 0;
                    for (int bit = 0; bit < 8; bit++)
                    {
                        int x = i * 8 + bit;
                        if (x < width && (x + y + g) % 3 == 0) v |= (byte)(0x80 >> bit);
                    }
                    b.Add(v);
                }
        if (table != null)
            for (int g = 0; g < count; g++)
            {
                if (g < table.Length && table[g] != null) b.AddRange(table[g]);
                b.Add(0xFF);
            }
        return b.ToArray();
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static void PutU32(byte[] data, int offset, uint v) => BitConverter.GetBytes(v).CopyTo(data, offset);
}

/// <summary>A font parsed into native memory (the PsfFont struct is ~4.6 KiB of fixed buffers);
/// the font bytes sit right before a guard page, so any over-read kills the test host.</summary>
public sealed unsafe class NativeFont : IDisposable
{
    readonly GuardedBuffer _data;
    readonly NativeBuffer _font;
    public PsfFont* Font => (PsfFont*)_font.Pointer;
    public byte* Data { get; }
    public int Length { get; }
    public PsfStatus Status { get; }
    public string Message { get; }

    public NativeFont(byte[] bytes) : this(bytes, bytes.Length) { }

    /// <summary>Parses the first <paramref name="length"/> bytes of <paramref name="bytes"/>.</summary>
    public NativeFont(byte[] bytes, int length)
    {
        _font = new NativeBuffer(sizeof(PsfFont));
        _data = new GuardedBuffer(Math.Max(length, 1) + 8);
        Length = length;
        Data = PlaceAtGuard(_data, bytes, length);
        Status = PsfFont.Parse(Data, length, Font, out string message);
        Message = message;
    }

    /// <summary>Copies the first <paramref name="length"/> bytes so they end exactly at the guard page.</summary>
    public static byte* PlaceAtGuard(GuardedBuffer buffer, byte[] bytes, int length)
    {
        int rounded = (length + 7) & ~7;
        var padded = new byte[rounded];
        Array.Copy(bytes, 0, padded, rounded - length, length);
        return buffer.PlaceAtEnd(padded, rounded) + (rounded - length);
    }

    public void Dispose()
    {
        _data.Dispose();
        _font.Dispose();
    }
}

/// <summary>
/// A host framebuffer: <see cref="Width"/> x <see cref="Height"/> pixels with a pitch wider
/// than a row, and sentinel-filled padding at the end of each row and after the last one, so
/// a write outside the surface is visible (<see cref="PaddingIntact"/>).
/// </summary>
public sealed unsafe class HostFramebuffer : IDisposable
{
    public const byte Sentinel = 0xA5;
    public const int PadBytes = 12;
    public const int TailBytes = 256;
    readonly NativeBuffer _pixels;
    readonly NativeBuffer _surface;
    public int Width { get; }
    public int Height { get; }
    public int Bpp { get; }
    public int Pitch { get; }
    public byte* Base => _pixels.Pointer;
    public PixelSurface* Surface => (PixelSurface*)_surface.Pointer;

    public HostFramebuffer(int width, int height, int bpp = 32, byte rp = 16, byte rs = 8, byte gp = 8, byte gs = 8, byte bp = 0, byte bs = 8)
    {
        Width = width;
        Height = height;
        Bpp = bpp;
        Pitch = width * (bpp / 8) + PadBytes;
        _pixels = new NativeBuffer(Pitch * height + TailBytes);
        new Span<byte>(_pixels.Pointer, _pixels.Length).Fill(Sentinel);
        for (int y = 0; y < height; y++)
            new Span<byte>(_pixels.Pointer + y * Pitch, width * (bpp / 8)).Clear();
        _surface = new NativeBuffer(sizeof(PixelSurface));
        var status = PixelSurface.Init(Surface, Base, width, height, Pitch, bpp, rp, rs, gp, gs, bp, bs, out string message);
        Assert.True(status == SurfaceStatus.Ok, message);
    }

    public uint Pixel(int x, int y) => Surface->ReadPixel(x, y);

    /// <summary>True when no byte outside the visible rows was written.</summary>
    public bool PaddingIntact()
    {
        int rowBytes = Width * (Bpp / 8);
        for (int y = 0; y < Height; y++)
            for (int i = rowBytes; i < Pitch; i++)
                if (Base[y * Pitch + i] != Sentinel) return false;
        for (int i = 0; i < TailBytes; i++)
            if (Base[Height * Pitch + i] != Sentinel) return false;
        return true;
    }

    public void Dispose()
    {
        _pixels.Dispose();
        _surface.Dispose();
    }
}

/// <summary>A <see cref="FramebufferConsole"/> on a host framebuffer with the Terminus font.</summary>
public sealed unsafe class HostConsole : IDisposable
{
    public NativeFont Font { get; }
    public HostFramebuffer Screen { get; }
    readonly NativeBuffer _cells;
    readonly NativeBuffer _console;
    public FramebufferConsole* Console => (FramebufferConsole*)_console.Pointer;

    public HostConsole(int columns, int rows, int bpp = 32, int extraWidth = 0, int extraHeight = 0)
    {
        Font = new NativeFont(FramebufferFonts.Terminus16());
        Assert.Equal(PsfStatus.Ok, Font.Status);
        Screen = bpp == 16
            ? new HostFramebuffer(columns * 8 + extraWidth, rows * 16 + extraHeight, 16, 11, 5, 5, 6, 0, 5)
            : new HostFramebuffer(columns * 8 + extraWidth, rows * 16 + extraHeight, bpp);
        long bytes = FramebufferConsole.CellBytesFor(Screen.Width, Screen.Height, Font.Font);
        Assert.Equal((long)columns * rows * TextGrid.CellBytes, bytes);
        _cells = new NativeBuffer((int)bytes);
        _console = new NativeBuffer(sizeof(FramebufferConsole));
        var status = FramebufferConsole.Init(Console, Screen.Surface, Font.Font, _cells.Pointer, bytes, out string message);
        Assert.True(status == ConsoleStatus.Ok, message);
    }

    public void Write(string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        fixed (byte* p = b) Console->Write(p, b.Length);
    }

    public void Write(byte[] b)
    {
        fixed (byte* p = b) Console->Write(p, b.Length);
    }

    /// <summary>Row <paramref name="row"/> as a string, trailing spaces removed.</summary>
    public string Row(int row)
    {
        var sb = new StringBuilder();
        for (int c = 0; c < Console->Columns; c++)
            sb.Append((char)Console->CharAt(row, c));
        return sb.ToString().TrimEnd(' ');
    }

    /// <summary>Checks the pixels of cell (row, col): glyph for <paramref name="codePoint"/> in
    /// the given colours (0xRRGGBB, packed for 32 bpp x8r8g8b8).</summary>
    public void AssertCellPixels(int row, int col, int codePoint, uint fg, uint bg, string what = "")
    {
        byte* bits = Font.Font->GlyphBits(Font.Font->GlyphFor(codePoint));
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 8; x++)
            {
                bool on = (bits[y] & (0x80 >> x)) != 0;
                uint expected = Screen.Surface->Pack(on ? fg : bg);
                uint actual = Screen.Pixel(col * 8 + x, row * 16 + y);
                if (expected != actual)
                    Assert.Fail($"{what} cell ({row},{col}) pixel ({x},{y}): expected {expected:x6}, got {actual:x6}");
            }
    }

    public void Dispose()
    {
        Font.Dispose();
        Screen.Dispose();
        _cells.Dispose();
        _console.Dispose();
    }
}
