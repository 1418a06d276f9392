using System;
using System.Collections.Generic;
using Kernel.Drivers.Framebuffer;
using Kernel.Tests.Support;
using Xunit;
using F = Kernel.Tests.Drivers.FramebufferFonts;

namespace Kernel.Tests.Drivers;

public unsafe class FramebufferFontTests
{
    [Fact]
    public void Terminus16_parses_as_psf1_8x16_with_unicode_table()
    {
        using var f = new NativeFont(F.Terminus16());
        Assert.True(f.Status == PsfStatus.Ok, f.Message);
        Assert.Equal(1, f.Font->Version);
        Assert.Equal(8, f.Font->Width);
        Assert.Equal(16, f.Font->Height);
        Assert.Equal(1, f.Font->BytesPerRow);
        Assert.Equal(16, f.Font->BytesPerGlyph);
        Assert.Equal(256, f.Font->GlyphCount);
        Assert.True(f.Font->HasUnicodeTable);
        Assert.Equal(0, f.Font->DroppedMappings);
        Assert.Equal(F.ReferencePsf1Map(F.Terminus16()).Count, f.Font->MappedCodePoints);
    }

    [Fact]
    public void Terminus16_every_bmp_code_point_maps_like_the_reference_walk()
    {
        byte[] bytes = F.Terminus16();
        var reference = F.ReferencePsf1Map(bytes);
        using var f = new NativeFont(bytes);
        Assert.Equal(PsfStatus.Ok, f.Status);
        int question = reference['?'];
        Assert.Equal(question, f.Font->FallbackGlyph);
        for (int cp = 0; cp < 0x10000; cp++)
        {
            int expected = reference.TryGetValue(cp, out int g) ? g : -1;
            int actual = f.Font->LookUp(cp);
            if (expected != actual)
                Assert.Fail($"U+{cp:X4}: expected glyph {expected}, got {actual}");
            Assert.Equal(expected < 0 ? question : expected, f.Font->GlyphFor(cp));
        }
        Assert.Equal(-1, f.Font->LookUp(0x10000));
        Assert.Equal(-1, f.Font->LookUp(-5));
        Assert.Equal(question, f.Font->GlyphFor(0x1F600));
    }

    [Fact]
    public void Terminus16_glyph_bits_point_into_the_font_bytes()
    {
        byte[] bytes = F.Terminus16();
        using var f = new NativeFont(bytes);
        int a = f.Font->GlyphFor('A');
        byte* bits = f.Font->GlyphBits(a);
        Assert.True(bits == f.Data + 4 + a * 16);
        // 'A' in Terminus: blank top rows, a shape in the middle, blank bottom rows.
        int setRows = 0;
        for (int r = 0; r < 16; r++) if (bits[r] != 0) setRows++;
        Assert.InRange(setRows, 8, 12);
        Assert.Equal(0, bits[0]);
        Assert.True(f.Font->GlyphBits(256) == null);
        Assert.True(f.Font->GlyphBits(-1) == null);
        // Latin-1 letters have their own glyph, distinct from the fallback.
        Assert.NotEqual(f.Font->FallbackGlyph, f.Font->GlyphFor(0xE9));
        Assert.NotEqual(f.Font->GlyphFor('e'), f.Font->GlyphFor(0xE9));
    }

    [Fact]
    public void Psf2_with_utf8_table_maps_singles_and_skips_sequences()
    {
        var table = new byte[5][];
        table[0] = F.Utf8("?");
        table[1] = F.Utf8("A\u00C5\u0410");            // 'A', Latin-1 A-ring, Cyrillic A
        table[2] = Concat(F.Utf8("\u2500"), new byte[] { 0xFE }, F.Utf8("e\u0301"));
        table[3] = Concat(F.Utf8("\u0410"), F.Utf8("\U0001F600")); // duplicate: first wins; astral ignored
        table[4] = Concat(new byte[] { 0xC3 }, F.Utf8("z"));       // malformed lead byte skipped
        using var f = new NativeFont(F.Psf2(5, 12, 5, table));
        Assert.True(f.Status == PsfStatus.Ok, f.Message);
        Assert.Equal(2, f.Font->Version);
        Assert.Equal(12, f.Font->Width);
        Assert.Equal(5, f.Font->Height);
        Assert.Equal(2, f.Font->BytesPerRow);
        Assert.Equal(10, f.Font->BytesPerGlyph);
        Assert.Equal(0, f.Font->LookUp('?'));
        Assert.Equal(1, f.Font->LookUp('A'));
        Assert.Equal(1, f.Font->LookUp(0xC5));
        Assert.Equal(1, f.Font->LookUp(0x410));
        Assert.Equal(2, f.Font->LookUp(0x2500));
        Assert.Equal(-1, f.Font->LookUp('e'));      // only inside a sequence
        Assert.Equal(-1, f.Font->LookUp(0x301));
        Assert.Equal(4, f.Font->LookUp('z'));
        Assert.Equal(-1, f.Font->LookUp('B'));
        Assert.Equal(0, f.Font->GlyphFor('B'));     // '?' glyph
        Assert.Equal(6, f.Font->MappedCodePoints); // ? A U+C5 U+410 U+2500 z
        Assert.True(f.Font->GlyphBits(1) == f.Data + 32 + 10);
    }

    [Fact]
    public void Psf2_header_size_larger_than_32_moves_the_glyphs()
    {
        using var f = new NativeFont(F.Psf2(3, 8, 4, null, headerSize: 48));
        Assert.Equal(PsfStatus.Ok, f.Status);
        Assert.True(f.Font->GlyphBits(0) == f.Data + 48);
        Assert.False(f.Font->HasUnicodeTable);
    }

    [Fact]
    public void Without_a_table_the_glyph_is_the_code_point_when_in_range()
    {
        using var f = new NativeFont(F.Psf2(100, 8, 8));
        Assert.Equal(PsfStatus.Ok, f.Status);
        Assert.Equal(65, f.Font->LookUp('A'));
        Assert.Equal(99, f.Font->LookUp(99));
        Assert.Equal(-1, f.Font->LookUp(100));
        Assert.Equal('?', f.Font->GlyphFor(100));
        Assert.Equal(0, f.Font->MappedCodePoints);

        using var small = new NativeFont(F.Psf2(10, 8, 8));
        Assert.Equal(0, small.Font->GlyphFor(63)); // no '?' glyph: glyph 0
    }

    [Fact]
    public void Psf1_512_mode_and_psf1_table()
    {
        using var f = new NativeFont(F.Psf1(14, true));
        Assert.Equal(PsfStatus.Ok, f.Status);
        Assert.Equal(512, f.Font->GlyphCount);
        Assert.Equal(14, f.Font->Height);
        Assert.Equal(511, f.Font->LookUp(511));
        Assert.Equal(unchecked((byte)(300 + 3)), f.Font->GlyphBits(300)[3]);

        var table = new List<int>[256];
        table[1] = new List<int> { 'x', 0x263A, 0xFFFE, 'a', 0x300 };
        table[2] = new List<int> { '?' };
        table[3] = new List<int> { 'x', 0x263A, 'y' };      // duplicates: the first glyph keeps them
        using var t = new NativeFont(F.Psf1(8, false, table));
        Assert.Equal(PsfStatus.Ok, t.Status);
        Assert.Equal(1, t.Font->LookUp('x'));
        Assert.Equal(1, t.Font->LookUp(0x263A));
        Assert.Equal(-1, t.Font->LookUp('a'));
        Assert.Equal(2, t.Font->GlyphFor('b'));
        Assert.Equal(3, t.Font->LookUp('y'));
        Assert.Equal(4, t.Font->MappedCodePoints);          // x U+263A ? y
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Too_short_for_any_header_is_truncated(int length)
    {
        using var f = new NativeFont(new byte[] { 0x36, 0x04, 0x02 }, length);
        Assert.Equal(PsfStatus.Truncated, f.Status);
        Assert.Contains("shorter", f.Message);
        Assert.Equal(0, f.Font->GlyphCount);
        Assert.Equal(-1, f.Font->LookUp('A'));
        Assert.True(f.Font->GlyphBits(0) == null);
    }

    [Fact]
    public void Null_data_and_bad_magic_are_rejected()
    {
        using var mem = new NativeBuffer(sizeof(PsfFont));
        Assert.Equal(PsfStatus.Truncated, PsfFont.Parse(null, 100, (PsfFont*)mem.Pointer, out _));
        using var f = new NativeFont(new byte[] { 0x37, 0x04, 0, 16, 0, 0, 0, 0 });
        Assert.Equal(PsfStatus.BadMagic, f.Status);
        Assert.Contains("magic", f.Message);
    }

    [Fact]
    public void Psf2_header_shorter_than_32_bytes_is_truncated()
    {
        byte[] full = F.Psf2(4, 8, 8);
        using var f = new NativeFont(full, 31);
        Assert.Equal(PsfStatus.Truncated, f.Status);
        Assert.Contains("PSF2 header", f.Message);
    }

    [Fact]
    public void Every_truncation_of_terminus_fails_cleanly_without_reading_past_the_end()
    {
        byte[] bytes = F.Terminus16();
        using var guard = new GuardedBuffer(bytes.Length + 8);
        using var mem = new NativeBuffer(sizeof(PsfFont));
        var font = (PsfFont*)mem.Pointer;
        int glyphEnd = 4 + 256 * 16;
        for (int n = 0; n < bytes.Length; n++)
        {
            byte* p = NativeFont.PlaceAtGuard(guard, bytes, n);
            PsfStatus s = PsfFont.Parse(p, n, font, out string message);
            PsfStatus expected = n < 4 ? PsfStatus.Truncated
                : n < glyphEnd ? PsfStatus.GlyphsPastEnd
                : PsfStatus.UnicodeTablePastEnd;
            if (s != expected)
                Assert.Fail($"length {n}: expected {expected}, got {s} ({message})");
            Assert.NotEqual("", message);
            Assert.Equal(0, font->GlyphCount);
        }
        byte* whole = NativeFont.PlaceAtGuard(guard, bytes, bytes.Length);
        Assert.Equal(PsfStatus.Ok, PsfFont.Parse(whole, bytes.Length, font, out _));
    }

    [Fact]
    public void Psf1_zero_charsize_is_a_bad_header()
    {
        using var f = new NativeFont(new byte[] { 0x36, 0x04, 0x00, 0x00, 1, 2, 3, 4 });
        Assert.Equal(PsfStatus.BadHeader, f.Status);
    }

    public static IEnumerable<object[]> BadPsf2Headers()
    {
        // offset, value, expected
        yield return new object[] { 8, 16u, PsfStatus.BadHeader };           // header size < 32
        yield return new object[] { 8, 0x7fffffffu, PsfStatus.BadHeader };   // header size past end
        yield return new object[] { 16, 0u, PsfStatus.BadHeader };           // no glyphs
        yield return new object[] { 16, 0xffffffffu, PsfStatus.BadHeader };  // absurd glyph count
        yield return new object[] { 16, 5u, PsfStatus.GlyphsPastEnd };       // one glyph more than stored
        yield return new object[] { 20, 7u, PsfStatus.BadHeader };           // charsize != height * bpr
        yield return new object[] { 20, 0x80000000u, PsfStatus.BadHeader };
        yield return new object[] { 24, 0u, PsfStatus.BadHeader };           // height 0
        yield return new object[] { 28, 0u, PsfStatus.BadHeader };           // width 0
        yield return new object[] { 28, 65u, PsfStatus.BadHeader };          // width above 64
    }

    [Theory]
    [MemberData(nameof(BadPsf2Headers))]
    public void Psf2_hostile_header_fields_are_rejected(int offset, uint value, PsfStatus expected)
    {
        byte[] bytes = F.Psf2(4, 8, 8);
        F.PutU32(bytes, offset, value);
        using var f = new NativeFont(bytes);
        Assert.Equal(expected, f.Status);
        Assert.NotEqual("", f.Message);
        Assert.Equal(0, f.Font->GlyphCount);
    }

    [Fact]
    public void Psf2_unicode_table_running_off_the_end_is_rejected()
    {
        var table = new byte[3][];
        table[0] = F.Utf8("a");
        table[1] = F.Utf8("b");
        table[2] = F.Utf8("\u00e9");
        byte[] bytes = F.Psf2(3, 8, 8, table);
        using (var ok = new NativeFont(bytes))
            Assert.Equal(PsfStatus.Ok, ok.Status);
        // Drop the last terminator, then also cut a UTF-8 character in half.
        using (var f = new NativeFont(bytes, bytes.Length - 1))
        {
            Assert.Equal(PsfStatus.UnicodeTablePastEnd, f.Status);
            Assert.Contains("Unicode table", f.Message);
        }
        using (var f = new NativeFont(bytes, bytes.Length - 2))
            Assert.Equal(PsfStatus.UnicodeTablePastEnd, f.Status);
        // A table with the "has table" flag but no table bytes at all.
        byte[] flagged = F.Psf2(3, 8, 8);
        F.PutU32(flagged, 12, 1);
        using (var f = new NativeFont(flagged))
            Assert.Equal(PsfStatus.UnicodeTablePastEnd, f.Status);
    }

    [Fact]
    public void Psf1_odd_byte_table_tail_is_rejected()
    {
        var table = new List<int>[256];
        byte[] bytes = F.Psf1(8, false, table);
        using var f = new NativeFont(bytes, bytes.Length - 1);
        Assert.Equal(PsfStatus.UnicodeTablePastEnd, f.Status);
    }

    [Fact]
    public void More_than_MaxExtraMappings_code_points_are_counted_as_dropped()
    {
        var table = new byte[2][];
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < PsfFont.MaxExtraMappings + 10; i++)
            sb.Append((char)(0x4E00 + i));
        table[0] = F.Utf8("?");
        table[1] = F.Utf8(sb.ToString());
        using var f = new NativeFont(F.Psf2(2, 8, 8, table));
        Assert.Equal(PsfStatus.Ok, f.Status);
        Assert.Equal(10, f.Font->DroppedMappings);
        Assert.Equal(1, f.Font->LookUp(0x4E00));
        Assert.Equal(1, f.Font->LookUp(0x4E00 + PsfFont.MaxExtraMappings - 1));
        Assert.Equal(-1, f.Font->LookUp(0x4E00 + PsfFont.MaxExtraMappings));
    }

    [Fact]
    public void Seeded_mutations_never_read_out_of_bounds_and_keep_lookups_in_range()
    {
        const int seed = 20240611;
        var rng = new Random(seed);
        var table = new byte[40][];
        for (int g = 0; g < 40; g++) table[g] = F.Utf8(((char)(0x100 + g * 7)).ToString() + (char)('!' + g));
        byte[][] bases = { F.Terminus16(), F.Psf2(40, 10, 9, table) };
        using var guard = new GuardedBuffer(F.Terminus16().Length + 64);
        using var mem = new NativeBuffer(sizeof(PsfFont));
        var font = (PsfFont*)mem.Pointer;
        for (int iter = 0; iter < 3000; iter++)
        {
            byte[] src = bases[iter % 2];
            byte[] m = (byte[])src.Clone();
            int edits = rng.Next(1, 6);
            for (int e = 0; e < edits; e++)
            {
                int where = rng.Next(rng.Next(2) == 0 ? Math.Min(40, m.Length) : m.Length);
                m[where] = (byte)rng.Next(256);
            }
            int n = rng.Next(3) == 0 ? rng.Next(m.Length + 1) : m.Length;
            byte* p = NativeFont.PlaceAtGuard(guard, m, n);
            PsfStatus s = PsfFont.Parse(p, n, font, out string message);
            if (s != PsfStatus.Ok)
            {
                Assert.Equal(0, font->GlyphCount);
                continue;
            }
            for (int cp = 0; cp < 0x600; cp++)
            {
                int g = font->GlyphFor(cp);
                if (g < 0 || g >= font->GlyphCount)
                    Assert.Fail($"seed {seed} iteration {iter}: U+{cp:X4} -> glyph {g} of {font->GlyphCount}");
            }
            byte* last = font->GlyphBits(font->GlyphCount - 1);
            Assert.True(last + font->BytesPerGlyph <= p + n, $"seed {seed} iteration {iter}: glyphs run past the data");
        }
    }

    static byte[] Concat(params byte[][] parts)
    {
        var l = new List<byte>();
        foreach (var p in parts) l.AddRange(p);
        return l.ToArray();
    }
}
