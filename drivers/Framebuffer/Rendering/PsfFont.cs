// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
namespace Kernel.Drivers.Framebuffer;

/// <summary>Why a font was rejected (<see cref="PsfStatus.Ok"/> when it was not).</summary>
public enum PsfStatus
{
    Ok = 0,
    /// <summary>Null pointer, or fewer bytes than the header needs.</summary>
    Truncated,
    /// <summary>Neither the PSF1 (36 04) nor the PSF2 (72 b5 4a 86) magic.</summary>
    BadMagic,
    /// <summary>A header field is out of range (size, glyph count, width, height, charsize).</summary>
    BadHeader,
    /// <summary>The glyph bitmaps run past the end of the data.</summary>
    GlyphsPastEnd,
    /// <summary>The Unicode table ends before every glyph's entry is terminated.</summary>
    UnicodeTablePastEnd,
}

/// <summary>
/// A PC Screen Font (PSF1 or PSF2) parsed in place: the glyph bitmaps stay in the caller's
/// bytes (which must outlive the font), and the code point -> glyph map is built into fixed
/// buffers inside this struct, so parsing allocates nothing.
///
/// Layouts (little-endian):
///   PSF1: u8 magic[2] = 36 04, u8 mode (1 = 512 glyphs, 2 = has Unicode table, 4 = table has
///         sequences), u8 charsize (= height; width is always 8); glyphs follow at byte 4.
///         Table: per glyph, u16 code points, then optional 0xFFFE + sequences, then 0xFFFF.
///   PSF2: u32 magic, version, headersize, flags (1 = has Unicode table), length (glyph count),
///         charsize, height, width; glyphs at headersize; rows are (width + 7) / 8 bytes.
///         Table: per glyph, UTF-8 characters, then optional 0xFE + sequences, then 0xFF.
/// Sequences (several code points drawn as one glyph) are skipped: only single code points map.
/// Code points below 0x100 go through a direct 256-entry table; the rest (up to
/// <see cref="MaxExtraMappings"/>, below 0x10000) through a sorted array searched by bisection.
/// The first glyph listed for a code point wins. Unmapped code points draw the '?' glyph.
/// </summary>
public unsafe struct PsfFont
{
    public const int MaxWidth = 64;
    public const int MaxHeight = 256;
    public const int MaxGlyphs = 65535;
    /// <summary>Mappings for code points >= 0x100 beyond this are dropped (counted in
    /// <see cref="DroppedMappings"/>); Lat15-Terminus16 needs 337.</summary>
    public const int MaxExtraMappings = 1024;

    const ushort NoGlyph = 0xFFFF;
    const int Psf1HeaderSize = 4;
    const int Psf2HeaderSize = 32;

    byte* _glyphs;
    int _glyphCount;
    int _bytesPerGlyph;
    int _bytesPerRow;
    int _width;
    int _height;
    int _version;
    bool _hasUnicodeTable;
    int _fallbackGlyph;
    int _extraCount;
    int _droppedMappings;
    fixed ushort _latin1[256];
    // (code point << 16) | glyph, sorted ascending, so sorted by code point.
    fixed uint _extra[MaxExtraMappings];

    public int Width => _width;
    public int Height => _height;
    public int BytesPerRow => _bytesPerRow;
    public int BytesPerGlyph => _bytesPerGlyph;
    public int GlyphCount => _glyphCount;
    /// <summary>1 or 2 once parsed; 0 for a font that never parsed.</summary>
    public int Version => _version;
    public bool HasUnicodeTable => _hasUnicodeTable;
    /// <summary>Number of distinct code points mapped through the table (0 without a table).</summary>
    public int MappedCodePoints
    {
        get
        {
            int n = _extraCount;
            for (int i = 0; i < 256; i++)
                if (_latin1[i] != NoGlyph) n++;
            return n;
        }
    }
    public int DroppedMappings => _droppedMappings;
    /// <summary>The glyph drawn for characters the font does not have ('?' when it has one).</summary>
    public int FallbackGlyph => _fallbackGlyph;

    /// <summary>
    /// Parses <paramref name="length"/> bytes at <paramref name="data"/> into <paramref name="font"/>.
    /// Every header field is checked against the length before anything is read from where it
    /// points; on failure the font is left empty (0 glyphs) and <paramref name="message"/> says why.
    /// </summary>
    public static PsfStatus Parse(byte* data, int length, PsfFont* font, out string message)
    {
        message = "";
        if (font == null)
        {
            message = "no font structure to parse into";
            return PsfStatus.BadHeader;
        }
        font->Reset();
        if (data == null || length < Psf1HeaderSize)
        {
            message = "font data is shorter than the smallest (PSF1) header";
            return PsfStatus.Truncated;
        }
        PsfStatus status;
        if (data[0] == 0x36 && data[1] == 0x04)
            status = font->ParsePsf1(data, length, out message);
        else if (data[0] == 0x72 && data[1] == 0xb5 && data[2] == 0x4a && data[3] == 0x86)
            status = font->ParsePsf2(data, length, out message);
        else
        {
            message = "not a PC Screen Font: magic is neither PSF1 (36 04) nor PSF2 (72 b5 4a 86)";
            return PsfStatus.BadMagic;
        }
        if (status != PsfStatus.Ok)
        {
            font->Reset();
            return status;
        }
        font->_fallbackGlyph = font->LookUp('?');
        if (font->_fallbackGlyph < 0)
            font->_fallbackGlyph = 0;
        return PsfStatus.Ok;
    }

    void Reset()
    {
        _glyphs = null;
        _glyphCount = 0;
        _bytesPerGlyph = 0;
        _bytesPerRow = 0;
        _width = 0;
        _height = 0;
        _version = 0;
        _hasUnicodeTable = false;
        _fallbackGlyph = 0;
        _extraCount = 0;
        _droppedMappings = 0;
        for (int i = 0; i < 256; i++)
            _latin1[i] = NoGlyph;
    }

    PsfStatus ParsePsf1(byte* data, int length, out string message)
    {
        message = "";
        byte mode = data[2];
        int charSize = data[3];
        if (charSize == 0)
        {
            message = "PSF1 charsize (glyph height) is 0";
            return PsfStatus.BadHeader;
        }
        int count = (mode & 0x01) != 0 ? 512 : 256;
        long glyphEnd = Psf1HeaderSize + (long)count * charSize;
        if (glyphEnd > length)
        {
            message = "PSF1 glyph bitmaps (glyph count * charsize) run past the end of the font";
            return PsfStatus.GlyphsPastEnd;
        }
        _version = 1;
        _glyphs = data + Psf1HeaderSize;
        _glyphCount = count;
        _bytesPerGlyph = charSize;
        _bytesPerRow = 1;
        _width = 8;
        _height = charSize;
        if ((mode & 0x06) == 0)
            return PsfStatus.Ok;
        _hasUnicodeTable = true;
        return ParsePsf1Table(data + glyphEnd, length - (int)glyphEnd, out message);
    }

    PsfStatus ParsePsf1Table(byte* table, int bytes, out string message)
    {
        message = "";
        int pos = 0;
        for (int glyph = 0; glyph < _glyphCount; glyph++)
        {
            bool inSequence = false;
            while (true)
            {
                if (pos + 2 > bytes)
                {
                    message = "PSF1 Unicode table ends before every glyph's entry is terminated by 0xFFFF";
                    return PsfStatus.UnicodeTablePastEnd;
                }
                int v = table[pos] | table[pos + 1] << 8;
                pos += 2;
                if (v == 0xFFFF)
                    break;
                if (v == 0xFFFE)
                    inSequence = true;
                else if (!inSequence)
                    Map(v, glyph);
            }
        }
        return PsfStatus.Ok;
    }

    PsfStatus ParsePsf2(byte* data, int length, out string message)
    {
        message = "";
        if (length < Psf2HeaderSize)
        {
            message = "font data is shorter than the 32-byte PSF2 header";
            return PsfStatus.Truncated;
        }
        uint headerSize = ReadU32(data + 8);
        uint flags = ReadU32(data + 12);
        uint count = ReadU32(data + 16);
        uint charSize = ReadU32(data + 20);
        uint height = ReadU32(data + 24);
        uint width = ReadU32(data + 28);
        if (headerSize < Psf2HeaderSize || headerSize > (uint)length)
        {
            message = "PSF2 header size is below 32 or beyond the end of the font";
            return PsfStatus.BadHeader;
        }
        if (count == 0 || count > MaxGlyphs)
        {
            message = "PSF2 glyph count is 0 or above 65535";
            return PsfStatus.BadHeader;
        }
        if (width == 0 || width > MaxWidth || height == 0 || height > MaxHeight)
        {
            message = "PSF2 glyph width must be 1..64 and height 1..256";
            return PsfStatus.BadHeader;
        }
        uint bytesPerRow = (width + 7) / 8;
        if (charSize != bytesPerRow * height)
        {
            message = "PSF2 charsize is not height * ((width + 7) / 8)";
            return PsfStatus.BadHeader;
        }
        ulong glyphEnd = headerSize + (ulong)count * charSize;
        if (glyphEnd > (ulong)length)
        {
            message = "PSF2 glyph bitmaps (length * charsize) run past the end of the font";
            return PsfStatus.GlyphsPastEnd;
        }
        _version = 2;
        _glyphs = data + headerSize;
        _glyphCount = (int)count;
        _bytesPerGlyph = (int)charSize;
        _bytesPerRow = (int)bytesPerRow;
        _width = (int)width;
        _height = (int)height;
        if ((flags & 1) == 0)
            return PsfStatus.Ok;
        _hasUnicodeTable = true;
        return ParsePsf2Table(data + glyphEnd, length - (int)glyphEnd, out message);
    }

    PsfStatus ParsePsf2Table(byte* table, int bytes, out string message)
    {
        message = "";
        int pos = 0;
        for (int glyph = 0; glyph < _glyphCount; glyph++)
        {
            bool inSequence = false;
            while (true)
            {
                if (pos >= bytes)
                {
                    message = "PSF2 Unicode table ends before every glyph's entry is terminated by 0xFF";
                    return PsfStatus.UnicodeTablePastEnd;
                }
                byte b = table[pos];
                if (b == 0xFF)
                {
                    pos++;
                    break;
                }
                if (b == 0xFE)
                {
                    pos++;
                    inSequence = true;
                    continue;
                }
                int used = DecodeUtf8(table + pos, bytes - pos, out int codePoint);
                pos += used;
                if (!inSequence && codePoint >= 0)
                    Map(codePoint, glyph);
            }
        }
        return PsfStatus.Ok;
    }

    /// <summary>
    /// Decodes one UTF-8 character from at most <paramref name="available"/> bytes (at least 1).
    /// Returns the bytes consumed (1 for a malformed lead byte, so a walk always advances) and
    /// -1 as the code point for anything malformed, overlong, a surrogate or above U+10FFFF.
    /// Never consumes 0xFE/0xFF (the table's markers) as continuation bytes.
    /// </summary>
    public static int DecodeUtf8(byte* p, int available, out int codePoint)
    {
        codePoint = -1;
        if (available <= 0)
            return 0;
        byte b = p[0];
        if (b < 0x80)
        {
            codePoint = b;
            return 1;
        }
        int need;
        int cp;
        int min;
        if (b >= 0xC2 && b <= 0xDF) { need = 1; cp = b & 0x1F; min = 0x80; }
        else if (b >= 0xE0 && b <= 0xEF) { need = 2; cp = b & 0x0F; min = 0x800; }
        else if (b >= 0xF0 && b <= 0xF4) { need = 3; cp = b & 0x07; min = 0x10000; }
        else return 1;
        if (need >= available)
            return 1;
        for (int i = 1; i <= need; i++)
        {
            byte c = p[i];
            if ((c & 0xC0) != 0x80)
                return 1;
            cp = cp << 6 | (c & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return need + 1;
        codePoint = cp;
        return need + 1;
    }

    static uint ReadU32(byte* p) => (uint)(p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24);

    /// <summary>Records code point -> glyph unless the code point already has a glyph.</summary>
    void Map(int codePoint, int glyph)
    {
        if (codePoint < 0 || codePoint >= 0x10000 || glyph < 0 || glyph >= _glyphCount)
            return;
        if (codePoint < 256)
        {
            if (_latin1[codePoint] == NoGlyph)
                _latin1[codePoint] = (ushort)glyph;
            return;
        }
        // Insertion into the sorted array: find the first entry with a code point >= this one.
        int lo = 0, hi = _extraCount;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if ((int)(_extra[mid] >> 16) < codePoint) lo = mid + 1;
            else hi = mid;
        }
        if (lo < _extraCount && (int)(_extra[lo] >> 16) == codePoint)
            return;
        if (_extraCount == MaxExtraMappings)
        {
            _droppedMappings++;
            return;
        }
        for (int i = _extraCount; i > lo; i--)
            _extra[i] = _extra[i - 1];
        _extra[lo] = (uint)codePoint << 16 | (uint)glyph;
        _extraCount++;
    }

    /// <summary>The glyph for <paramref name="codePoint"/>, or -1 when the font has none.</summary>
    public int LookUp(int codePoint)
    {
        if (_glyphCount == 0 || codePoint < 0)
            return -1;
        if (!_hasUnicodeTable)
            return codePoint < _glyphCount ? codePoint : -1;
        if (codePoint < 256)
        {
            ushort g = _latin1[codePoint];
            return g == NoGlyph ? -1 : g;
        }
        if (codePoint >= 0x10000)
            return -1;
        int lo = 0, hi = _extraCount - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int cp = (int)(_extra[mid] >> 16);
            if (cp == codePoint)
                return (int)(_extra[mid] & 0xFFFF);
            if (cp < codePoint) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>The glyph to draw for <paramref name="codePoint"/>: its own, else the fallback.</summary>
    public int GlyphFor(int codePoint)
    {
        int g = LookUp(codePoint);
        return g < 0 ? _fallbackGlyph : g;
    }

    /// <summary>Bitmap of glyph <paramref name="index"/> (<see cref="Height"/> rows of
    /// <see cref="BytesPerRow"/> bytes, leftmost pixel in the top bit), or null when out of range.</summary>
    public byte* GlyphBits(int index)
    {
        if (index < 0 || index >= _glyphCount)
            return null;
        return _glyphs + (long)index * _bytesPerGlyph;
    }
}
