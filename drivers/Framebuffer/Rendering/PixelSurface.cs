// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
namespace Kernel.Drivers.Framebuffer;

public enum SurfaceStatus
{
    Ok = 0,
    /// <summary>Null base, zero or negative size.</summary>
    BadGeometry,
    /// <summary>Bits per pixel other than 16, 24 or 32.</summary>
    UnsupportedDepth,
    /// <summary>Pitch smaller than width * bytes per pixel.</summary>
    BadPitch,
    /// <summary>A colour field lies outside the pixel (position + size > bpp).</summary>
    BadColorFields,
}

/// <summary>
/// A linear RGB framebuffer as the Multiboot2 framebuffer tag (type 1) describes it: base
/// address, width and height in pixels, pitch in bytes, bits per pixel (32, 24 or 16) and the
/// position and size of the red, green and blue fields. Drawing is clipped to the surface, so
/// no call writes outside [base, base + pitch * height).
/// Colours given to the drawing calls are 0xRRGGBB; <see cref="Pack"/> turns them into the
/// pixel format (fields narrower than 8 bits keep the top bits, wider ones replicate them).
/// Reading back (<see cref="ScrollUp"/>) reads the framebuffer: cheap on QEMU, slow on real
/// write-combined video memory, which is why the console can also redraw from its cell buffer.
/// </summary>
public unsafe struct PixelSurface
{
    byte* _base;
    int _width;
    int _height;
    int _pitch;
    int _bitsPerPixel;
    int _bytesPerPixel;
    byte _redPosition, _redSize, _greenPosition, _greenSize, _bluePosition, _blueSize;

    public byte* Base => _base;
    public int Width => _width;
    public int Height => _height;
    public int Pitch => _pitch;
    public int BitsPerPixel => _bitsPerPixel;
    public int BytesPerPixel => _bytesPerPixel;
    public int RedPosition => _redPosition;
    public int RedSize => _redSize;
    public int GreenPosition => _greenPosition;
    public int GreenSize => _greenSize;
    public int BluePosition => _bluePosition;
    public int BlueSize => _blueSize;

    /// <summary>
    /// Describes a framebuffer. All six colour field bytes 0 (a tag that did not describe them)
    /// selects the usual layout for the depth: x8r8g8b8 / r8g8b8 (red at 16, green 8, blue 0)
    /// or r5g6b5 for 16 bpp.
    /// </summary>
    public static SurfaceStatus Init(PixelSurface* surface, byte* baseAddress, int width, int height,
        int pitch, int bitsPerPixel, byte redPosition, byte redSize, byte greenPosition,
        byte greenSize, byte bluePosition, byte blueSize, out string message)
    {
        message = "";
        if (surface == null || baseAddress == null || width <= 0 || height <= 0)
        {
            message = "framebuffer has no base address or a zero size";
            return SurfaceStatus.BadGeometry;
        }
        if (bitsPerPixel != 32 && bitsPerPixel != 24 && bitsPerPixel != 16)
        {
            message = "framebuffer depth is not 32, 24 or 16 bits per pixel";
            return SurfaceStatus.UnsupportedDepth;
        }
        int bytesPerPixel = bitsPerPixel / 8;
        if (pitch <= 0 || (long)pitch < (long)width * bytesPerPixel)
        {
            message = "framebuffer pitch is smaller than width * bytes per pixel";
            return SurfaceStatus.BadPitch;
        }
        if ((redSize | greenSize | blueSize | redPosition | greenPosition | bluePosition) == 0)
        {
            if (bitsPerPixel == 16)
            {
                redPosition = 11; redSize = 5; greenPosition = 5; greenSize = 6; bluePosition = 0; blueSize = 5;
            }
            else
            {
                redPosition = 16; redSize = 8; greenPosition = 8; greenSize = 8; bluePosition = 0; blueSize = 8;
            }
        }
        if (redPosition + redSize > bitsPerPixel || greenPosition + greenSize > bitsPerPixel
            || bluePosition + blueSize > bitsPerPixel)
        {
            message = "framebuffer colour field lies outside the pixel (position + size > bpp)";
            return SurfaceStatus.BadColorFields;
        }
        surface->_base = baseAddress;
        surface->_width = width;
        surface->_height = height;
        surface->_pitch = pitch;
        surface->_bitsPerPixel = bitsPerPixel;
        surface->_bytesPerPixel = bytesPerPixel;
        surface->_redPosition = redPosition;
        surface->_redSize = redSize;
        surface->_greenPosition = greenPosition;
        surface->_greenSize = greenSize;
        surface->_bluePosition = bluePosition;
        surface->_blueSize = blueSize;
        return SurfaceStatus.Ok;
    }

    /// <summary>The top-left <paramref name="width"/> x <paramref name="height"/> part of this
    /// surface (clamped to it), sharing base and pitch: a console draws only into whole cells.</summary>
    public PixelSurface Clip(int width, int height)
    {
        PixelSurface s = this;
        if (width < s._width) s._width = width < 0 ? 0 : width;
        if (height < s._height) s._height = height < 0 ? 0 : height;
        return s;
    }

    /// <summary>0xRRGGBB -> the pixel value for this surface's field layout.</summary>
    public uint Pack(uint rgb)
    {
        return Scale((rgb >> 16) & 0xFF, _redSize) << _redPosition
            | Scale((rgb >> 8) & 0xFF, _greenSize) << _greenPosition
            | Scale(rgb & 0xFF, _blueSize) << _bluePosition;
    }

    static uint Scale(uint v, int size)
    {
        if (size <= 0)
            return 0;
        if (size <= 8)
            return v >> (8 - size);
        // Wider than 8 bits (e.g. 10-bit fields): repeat the top bits so 0xFF becomes all ones.
        uint r = 0;
        int filled = 0;
        while (filled < size)
        {
            r = r << 8 | v;
            filled += 8;
        }
        return r >> (filled - size);
    }

    /// <summary>The raw pixel value at (x, y), or 0 outside the surface (tests, screen checks).</summary>
    public uint ReadPixel(int x, int y)
    {
        if ((uint)x >= (uint)_width || (uint)y >= (uint)_height)
            return 0;
        byte* p = _base + (long)y * _pitch + (long)x * _bytesPerPixel;
        if (_bytesPerPixel == 4) return *(uint*)p;
        if (_bytesPerPixel == 3) return (uint)(p[0] | p[1] << 8 | p[2] << 16);
        return *(ushort*)p;
    }

    /// <summary>Writes a packed pixel value at (x, y); outside the surface does nothing.</summary>
    public void WritePixel(int x, int y, uint packed)
    {
        if ((uint)x >= (uint)_width || (uint)y >= (uint)_height)
            return;
        Store(_base + (long)y * _pitch + (long)x * _bytesPerPixel, packed);
    }

    void Store(byte* p, uint packed)
    {
        if (_bytesPerPixel == 4)
        {
            *(uint*)p = packed;
        }
        else if (_bytesPerPixel == 3)
        {
            p[0] = (byte)packed;
            p[1] = (byte)(packed >> 8);
            p[2] = (byte)(packed >> 16);
        }
        else
        {
            *(ushort*)p = (ushort)packed;
        }
    }

    /// <summary>Fills a rectangle (clipped to the surface) with colour 0xRRGGBB.</summary>
    public void FillRect(int x, int y, int width, int height, uint rgb)
    {
        if (_base == null)
            return;
        int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
        long x1 = (long)x + width, y1 = (long)y + height;
        if (x1 > _width) x1 = _width;
        if (y1 > _height) y1 = _height;
        if (x0 >= x1 || y0 >= y1)
            return;
        uint packed = Pack(rgb);
        for (int row = y0; row < y1; row++)
        {
            byte* p = _base + (long)row * _pitch + (long)x0 * _bytesPerPixel;
            if (_bytesPerPixel == 4)
            {
                uint* q = (uint*)p;
                for (long col = x0; col < x1; col++)
                    *q++ = packed;
            }
            else
            {
                for (long col = x0; col < x1; col++, p += _bytesPerPixel)
                    Store(p, packed);
            }
        }
    }

    /// <summary>
    /// Draws a 1-bit glyph bitmap with its top-left corner at (x, y): set bits in
    /// <paramref name="fg"/>, clear bits in <paramref name="bg"/> (both 0xRRGGBB). Rows are
    /// <paramref name="bytesPerRow"/> bytes, leftmost pixel in the top bit. Clipped to the surface.
    /// </summary>
    public void DrawGlyph(int x, int y, byte* bits, int glyphWidth, int glyphHeight, int bytesPerRow,
        uint fg, uint bg)
    {
        if (_base == null || bits == null || glyphWidth <= 0 || glyphHeight <= 0
            || bytesPerRow * 8 < glyphWidth)
            return;
        uint fgPacked = Pack(fg), bgPacked = Pack(bg);
        for (int row = 0; row < glyphHeight; row++)
        {
            int py = y + row;
            if ((uint)py >= (uint)_height)
                continue;
            byte* src = bits + (long)row * bytesPerRow;
            byte* line = _base + (long)py * _pitch;
            for (int col = 0; col < glyphWidth; col++)
            {
                int px = x + col;
                if ((uint)px >= (uint)_width)
                    continue;
                bool on = (src[col >> 3] & (0x80 >> (col & 7))) != 0;
                Store(line + (long)px * _bytesPerPixel, on ? fgPacked : bgPacked);
            }
        }
    }

    /// <summary>Draws glyph <paramref name="glyph"/> of <paramref name="font"/> (an index, see
    /// <see cref="PsfFont.GlyphFor"/>); an out-of-range index draws nothing.</summary>
    public void DrawGlyph(int x, int y, PsfFont* font, int glyph, uint fg, uint bg)
    {
        if (font == null)
            return;
        DrawGlyph(x, y, font->GlyphBits(glyph), font->Width, font->Height, font->BytesPerRow, fg, bg);
    }

    /// <summary>
    /// Moves the picture up by <paramref name="pixels"/> rows (row y takes row y + pixels) and
    /// fills the uncovered rows at the bottom with <paramref name="bg"/>. Copies only the
    /// surface's width, forwards (the destination is always below the source in memory).
    /// </summary>
    public void ScrollUp(int pixels, uint bg)
    {
        if (_base == null || pixels <= 0)
            return;
        if (pixels >= _height)
        {
            FillRect(0, 0, _width, _height, bg);
            return;
        }
        long rowBytes = (long)_width * _bytesPerPixel;
        for (int row = 0; row + pixels < _height; row++)
            CopyForward(_base + (long)row * _pitch, _base + (long)(row + pixels) * _pitch, rowBytes);
        FillRect(0, _height - pixels, _width, pixels, bg);
    }

    /// <summary>memmove for dst &lt; src: 8 bytes at a time, then the tail byte by byte.</summary>
    static void CopyForward(byte* dst, byte* src, long n)
    {
        long i = 0;
        if ((((ulong)dst | (ulong)src) & 7) == 0 && src - dst >= 8)
        {
            for (; i + 8 <= n; i += 8)
                *(ulong*)(dst + i) = *(ulong*)(src + i);
        }
        for (; i < n; i++)
            dst[i] = src[i];
    }
}
