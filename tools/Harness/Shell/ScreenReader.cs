using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Harness;

/// <summary>A decoded binary PPM (P6, maxval 255) as QEMU's `screendump` writes it.</summary>
public sealed class PpmImage
{
    public int Width { get; }
    public int Height { get; }
    public byte[] Rgb { get; }   // 3 bytes a pixel, row after row

    public PpmImage(int width, int height, byte[] rgb)
    {
        Width = width; Height = height; Rgb = rgb;
    }

    public static PpmImage Parse(byte[] data)
    {
        int pos = 0;
        string Token()
        {
            while (pos < data.Length)
            {
                if (data[pos] == '#') { while (pos < data.Length && data[pos] != '\n') pos++; }
                else if (char.IsWhiteSpace((char)data[pos])) pos++;
                else break;
            }
            int start = pos;
            while (pos < data.Length && !char.IsWhiteSpace((char)data[pos])) pos++;
            return Encoding.ASCII.GetString(data, start, pos - start);
        }
        if (Token() != "P6") throw new InvalidDataException("not a binary PPM (P6)");
        int w = int.Parse(Token(), CultureInfo.InvariantCulture), h = int.Parse(Token(), CultureInfo.InvariantCulture);
        int max = int.Parse(Token(), CultureInfo.InvariantCulture);
        if (max != 255) throw new InvalidDataException("PPM maxval is not 255");
        pos++; // the single whitespace byte after maxval
        if (w <= 0 || h <= 0 || data.Length - pos < w * h * 3) throw new InvalidDataException("PPM pixel data too short");
        var rgb = new byte[w * h * 3];
        Array.Copy(data, pos, rgb, 0, rgb.Length);
        return new PpmImage(w, h, rgb);
    }

    /// <summary>True when the pixel is lit (brighter than mid grey): text on the dark console.</summary>
    public bool IsLit(int x, int y)
    {
        int i = (y * Width + x) * 3;
        return Rgb[i] + Rgb[i + 1] + Rgb[i + 2] > 3 * 96;
    }
}

/// <summary>The glyph bitmaps of a PSF1 or PSF2 font, for reading text back off the screen.</summary>
public sealed class PsfGlyphs
{
    public int Width { get; }
    public int Height { get; }
    private readonly byte[][] glyphs;
    private readonly int bytesPerRow;
    private readonly Dictionary<int, int> glyphOfChar = new();

    public PsfGlyphs(byte[] psf)
    {
        int count, bytesPerGlyph, headerSize;
        bool unicode;
        if (psf.Length >= 4 && psf[0] == 0x36 && psf[1] == 0x04)
        {
            count = (psf[2] & 1) != 0 ? 512 : 256; unicode = (psf[2] & 2) != 0;
            bytesPerGlyph = psf[3]; headerSize = 4; Width = 8; Height = bytesPerGlyph;
        }
        else if (psf.Length >= 32 && BitConverter.ToUInt32(psf, 0) == 0x864ab572)
        {
            headerSize = (int)BitConverter.ToUInt32(psf, 8); unicode = (BitConverter.ToUInt32(psf, 12) & 1) != 0;
            count = (int)BitConverter.ToUInt32(psf, 16); bytesPerGlyph = (int)BitConverter.ToUInt32(psf, 20);
            Height = (int)BitConverter.ToUInt32(psf, 24); Width = (int)BitConverter.ToUInt32(psf, 28);
        }
        else throw new InvalidDataException("not a PSF font");
        bytesPerRow = (Width + 7) / 8;
        glyphs = new byte[count][];
        for (int g = 0; g < count; g++)
            glyphs[g] = psf.AsSpan(headerSize + g * bytesPerGlyph, bytesPerGlyph).ToArray();
        // Which glyph shows each printable ASCII character: the Unicode table (PSF1: u16 per
        // entry, 0xffff ends a glyph's list; PSF2: UTF-8, 0xff ends), else glyph = code.
        for (int c = 32; c < 127; c++) glyphOfChar[c] = c;
        if (unicode)
        {
            int pos = headerSize + count * bytesPerGlyph;
            bool psf1 = headerSize == 4;
            for (int g = 0; g < count && pos < psf.Length; g++)
            {
                while (pos < psf.Length)
                {
                    int cp;
                    if (psf1)
                    {
                        if (pos + 1 >= psf.Length) { pos = psf.Length; break; }
                        cp = psf[pos] | psf[pos + 1] << 8; pos += 2;
                        if (cp == 0xffff) break;
                        if (cp == 0xfffe) continue;
                    }
                    else
                    {
                        cp = psf[pos++];
                        if (cp == 0xff) break;
                        if (cp == 0xfe || cp >= 0x80) continue; // multi-byte: not needed for ASCII
                    }
                    if (cp >= 32 && cp < 127 && !unicodeSeen.Contains(cp)) { glyphOfChar[cp] = g; unicodeSeen.Add(cp); }
                }
            }
        }
    }
    private readonly HashSet<int> unicodeSeen = new();

    private bool Bit(int glyph, int x, int y) => (glyphs[glyph][y * bytesPerRow + x / 8] & (0x80 >> (x % 8))) != 0;

    /// <summary>
    /// Reads the printable ASCII character drawn in the cell at (column, row): the character
    /// whose glyph matches the lit pixels exactly, or its inverse (the cursor cell); '?' when
    /// none matches. A blank cell reads as a space.
    /// </summary>
    public char ReadCell(PpmImage image, int column, int row)
    {
        int x0 = column * Width, y0 = row * Height;
        foreach (bool inverse in new[] { false, true })
        {
            foreach (var (c, g) in glyphOfChar)
            {
                bool match = true;
                for (int y = 0; y < Height && match; y++)
                    for (int x = 0; x < Width && match; x++)
                        match = (image.IsLit(x0 + x, y0 + y) ^ inverse) == Bit(g, x, y);
                if (match) return (char)c;
            }
        }
        return '?';
    }

    /// <summary>Every text row of a console that starts at the top-left corner.</summary>
    public List<string> ReadScreen(PpmImage image)
    {
        var rows = new List<string>();
        for (int r = 0; r < image.Height / Height; r++)
        {
            var sb = new StringBuilder();
            for (int c = 0; c < image.Width / Width; c++) sb.Append(ReadCell(image, c, r));
            rows.Add(sb.ToString().TrimEnd());
        }
        return rows;
    }

    /// <summary>Draws text the way the kernel's console does (tests of the reader itself).</summary>
    public PpmImage Render(string[] lines, int columns, int rows)
    {
        int w = columns * Width, h = rows * Height;
        var rgb = new byte[w * h * 3];
        for (int r = 0; r < lines.Length && r < rows; r++)
            for (int c = 0; c < lines[r].Length && c < columns; c++)
            {
                int g = glyphOfChar.TryGetValue(lines[r][c], out int v) ? v : '?';
                for (int y = 0; y < Height; y++)
                    for (int x = 0; x < Width; x++)
                        if (Bit(g, x, y))
                        {
                            int i = ((r * Height + y) * w + c * Width + x) * 3;
                            rgb[i] = rgb[i + 1] = rgb[i + 2] = 0xaa;
                        }
            }
        return new PpmImage(w, h, rgb);
    }
}

/// <summary>The VGA text buffer (0xb8000) as the monitor's `xp /Nhx` prints it: the low byte
/// of each 16-bit cell is the character, the high byte its colours.</summary>
public static class VgaText
{
    public const int Columns = 80, Rows = 25;

    public static List<string> Parse(string xpOutput)
    {
        var cells = new List<char>();
        foreach (string line in xpOutput.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            foreach (string word in line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string w = word.Trim();
                if (!w.StartsWith("0x", StringComparison.Ordinal)) continue;
                int v = int.Parse(w[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                int ch = v & 0xff;
                cells.Add(ch >= 32 && ch < 127 ? (char)ch : ' ');
            }
        }
        var rows = new List<string>();
        for (int r = 0; r * Columns < cells.Count; r++)
        {
            int n = Math.Min(Columns, cells.Count - r * Columns);
            rows.Add(new string(cells.GetRange(r * Columns, n).ToArray()).TrimEnd());
        }
        return rows;
    }
}
