using System;
using Kernel.Drivers.Framebuffer;
using Kernel.Tests.Support;
using Xunit;
using F = Kernel.Tests.Drivers.FramebufferFonts;

namespace Kernel.Tests.Drivers;

public unsafe class FramebufferSurfaceTests
{
    [Fact]
    public void Pack_follows_the_field_layout()
    {
        using var x8r8g8b8 = new HostFramebuffer(4, 4, 32);
        Assert.Equal(0x123456u, x8r8g8b8.Surface->Pack(0x123456));
        using var bgr = new HostFramebuffer(4, 4, 32, rp: 0, rs: 8, gp: 8, gs: 8, bp: 16, bs: 8);
        Assert.Equal(0x563412u, bgr.Surface->Pack(0x123456));
        using var rgb565 = new HostFramebuffer(4, 4, 16, rp: 11, rs: 5, gp: 5, gs: 6, bp: 0, bs: 5);
        Assert.Equal((uint)((0xF8 >> 3) << 11 | (0x84 >> 2) << 5 | (0x10 >> 3)), rgb565.Surface->Pack(0xF88410));
        Assert.Equal(0xFFFFu, rgb565.Surface->Pack(0xFFFFFF));
        using var ten = new HostFramebuffer(4, 4, 32, rp: 20, rs: 10, gp: 10, gs: 10, bp: 0, bs: 10);
        Assert.Equal(0x3FFFFFFFu, ten.Surface->Pack(0xFFFFFF));
        Assert.Equal(0x202u << 20, ten.Surface->Pack(0x800000)); // 0x80 -> 10 0000 0010 (top bits repeated)
    }

    [Fact]
    public void All_zero_colour_fields_select_the_usual_layout()
    {
        using var fb32 = new HostFramebuffer(4, 4, 32, 0, 0, 0, 0, 0, 0);
        Assert.Equal(16, fb32.Surface->RedPosition);
        Assert.Equal(0xABCDEFu, fb32.Surface->Pack(0xABCDEF));
        using var fb16 = new HostFramebuffer(4, 4, 16, 0, 0, 0, 0, 0, 0);
        Assert.Equal(11, fb16.Surface->RedPosition);
        Assert.Equal(6, fb16.Surface->GreenSize);
    }

    [Theory]
    [InlineData(8, 100, SurfaceStatus.UnsupportedDepth)]
    [InlineData(15, 100, SurfaceStatus.UnsupportedDepth)]
    [InlineData(32, 39, SurfaceStatus.BadPitch)]
    [InlineData(24, 29, SurfaceStatus.BadPitch)]
    [InlineData(32, 0, SurfaceStatus.BadPitch)]
    public void Init_rejects_bad_depth_and_pitch(int bpp, int pitch, SurfaceStatus expected)
    {
        using var mem = new NativeBuffer(4096);
        using var s = new NativeBuffer(64);
        var status = PixelSurface.Init((PixelSurface*)s.Pointer, mem.Pointer, 10, 10, pitch, bpp, 16, 8, 8, 8, 0, 8, out string message);
        Assert.Equal(expected, status);
        Assert.NotEqual("", message);
    }

    [Fact]
    public void Init_rejects_missing_memory_and_fields_outside_the_pixel()
    {
        using var mem = new NativeBuffer(4096);
        using var s = new NativeBuffer(64);
        var surface = (PixelSurface*)s.Pointer;
        Assert.Equal(SurfaceStatus.BadGeometry, PixelSurface.Init(surface, null, 10, 10, 40, 32, 16, 8, 8, 8, 0, 8, out _));
        Assert.Equal(SurfaceStatus.BadGeometry, PixelSurface.Init(surface, mem.Pointer, 0, 10, 40, 32, 16, 8, 8, 8, 0, 8, out _));
        Assert.Equal(SurfaceStatus.BadColorFields, PixelSurface.Init(surface, mem.Pointer, 10, 10, 40, 16, 11, 8, 5, 6, 0, 5, out string m));
        Assert.Contains("colour field", m);
    }

    [Fact]
    public void DrawGlyph_32bpp_sets_exactly_the_glyph_pixels()
    {
        using var font = new NativeFont(F.Terminus16());
        using var fb = new HostFramebuffer(20, 20, 32);
        fb.Surface->FillRect(0, 0, 20, 20, 0x010203);
        int glyph = font.Font->GlyphFor('A');
        fb.Surface->DrawGlyph(3, 2, font.Font, glyph, 0xFF8000, 0x0000C0);
        byte* bits = font.Font->GlyphBits(glyph);
        int set = 0;
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 20; x++)
            {
                uint expected;
                if (x >= 3 && x < 11 && y >= 2 && y < 18)
                {
                    bool on = (bits[y - 2] & (0x80 >> (x - 3))) != 0;
                    if (on) set++;
                    expected = on ? 0xFF8000u : 0x0000C0u;
                }
                else expected = 0x010203u;
                Assert.True(expected == fb.Pixel(x, y), $"pixel ({x},{y}): expected {expected:x6}, got {fb.Pixel(x, y):x6}");
            }
        Assert.InRange(set, 10, 60);
        Assert.True(fb.PaddingIntact());
        // The raw memory layout for x8r8g8b8: little-endian B, G, R, X.
        int onX = -1, onY = -1;
        for (int y = 0; y < 16 && onX < 0; y++)
            for (int x = 0; x < 8; x++)
                if ((bits[y] & (0x80 >> x)) != 0) { onX = x + 3; onY = y + 2; break; }
        byte* p = fb.Base + onY * fb.Pitch + onX * 4;
        Assert.Equal(new byte[] { 0x00, 0x80, 0xFF }, new[] { p[0], p[1], p[2] });
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    public void DrawGlyph_other_depths_write_packed_pixels(int bpp)
    {
        using var font = new NativeFont(F.Terminus16());
        byte rp = (byte)(bpp == 16 ? 11 : 16), rs = (byte)(bpp == 16 ? 5 : 8), gp = (byte)(bpp == 16 ? 5 : 8),
            gs = (byte)(bpp == 16 ? 6 : 8), bs = (byte)(bpp == 16 ? 5 : 8);
        using var fb = new HostFramebuffer(12, 18, bpp, rp, rs, gp, gs, 0, bs);
        int glyph = font.Font->GlyphFor('g');
        fb.Surface->DrawGlyph(2, 1, font.Font, glyph, 0xFFFFFF, 0x000000);
        byte* bits = font.Font->GlyphBits(glyph);
        uint white = bpp == 16 ? 0xFFFFu : 0xFFFFFFu;
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 8; x++)
            {
                bool on = (bits[y] & (0x80 >> x)) != 0;
                Assert.Equal(on ? white : 0u, fb.Pixel(x + 2, y + 1));
            }
        Assert.True(fb.PaddingIntact());
        if (bpp == 24)
        {
            // three bytes per pixel, no fourth byte written
            fb.Surface->FillRect(0, 0, 1, 1, 0x112233);
            Assert.Equal(new byte[] { 0x33, 0x22, 0x11, 0x00 }, new[] { fb.Base[0], fb.Base[1], fb.Base[2], fb.Base[3] });
        }
        else
        {
            fb.Surface->FillRect(0, 0, 1, 1, 0xFF0000);
            Assert.Equal(0xF800, *(ushort*)fb.Base);
            Assert.Equal(0, fb.Base[2]);
        }
    }

    [Fact]
    public void DrawGlyph_wider_than_8_uses_two_bytes_per_row()
    {
        using var font = new NativeFont(F.Psf2(3, 12, 5));
        using var fb = new HostFramebuffer(14, 7, 32);
        fb.Surface->DrawGlyph(1, 1, font.Font, 2, 0xFFFFFF, 0x000001);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 12; x++)
                Assert.Equal((x + y + 2) % 3 == 0 ? 0xFFFFFFu : 1u, fb.Pixel(x + 1, y + 1));
        Assert.Equal(0u, fb.Pixel(13, 1));
    }

    [Fact]
    public void Drawing_is_clipped_to_the_surface()
    {
        using var font = new NativeFont(F.Terminus16());
        using var fb = new HostFramebuffer(10, 10, 32);
        int g = font.Font->GlyphFor('#');
        fb.Surface->DrawGlyph(-4, -7, font.Font, g, 0xFFFFFF, 0x123456);
        fb.Surface->DrawGlyph(6, 5, font.Font, g, 0xFFFFFF, 0x123456);
        fb.Surface->DrawGlyph(100, 100, font.Font, g, 0xFFFFFF, 0x123456);
        fb.Surface->DrawGlyph(0, 0, font.Font, 9999, 0xFFFFFF, 0x123456); // no such glyph: nothing
        fb.Surface->FillRect(-5, 8, 100, 100, 0xABCDEF);
        fb.Surface->FillRect(3, 3, -2, 5, 0xFFFFFF);
        fb.Surface->WritePixel(10, 0, 0xFFFFFF);
        fb.Surface->WritePixel(-1, 0, 0xFFFFFF);
        Assert.True(fb.PaddingIntact());
        Assert.Equal(0xABCDEFu, fb.Pixel(0, 9));
        Assert.Equal(0xABCDEFu, fb.Pixel(9, 8));
        Assert.Contains(fb.Pixel(7, 7), new[] { 0xFFFFFFu, 0x123456u }); // inside the glyph at (6, 5)
        Assert.Equal(0u, fb.Pixel(5, 3));                               // between the two glyphs
    }

    [Theory]
    [InlineData(32)]
    [InlineData(24)]
    public void ScrollUp_moves_rows_up_and_fills_the_bottom(int bpp)
    {
        using var fb = new HostFramebuffer(9, 12, bpp);
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 9; x++)
                fb.Surface->WritePixel(x, y, (uint)(y * 16 + x + 1));
        fb.Surface->ScrollUp(5, 0x0000AA);
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 9; x++)
                Assert.Equal(y < 7 ? (uint)((y + 5) * 16 + x + 1) : 0x0000AAu, fb.Pixel(x, y));
        Assert.True(fb.PaddingIntact());
        fb.Surface->ScrollUp(50, 0x00BB00);
        for (int y = 0; y < 12; y++)
            Assert.Equal(0x00BB00u, fb.Pixel(4, y));
        Assert.True(fb.PaddingIntact());
    }

    [Fact]
    public void Clip_narrows_the_surface_without_moving_it()
    {
        using var fb = new HostFramebuffer(20, 20, 32);
        PixelSurface inner = fb.Surface->Clip(16, 16);
        Assert.Equal(16, inner.Width);
        Assert.Equal(fb.Pitch, inner.Pitch);
        inner.FillRect(0, 0, 100, 100, 0xFFFFFF);
        Assert.Equal(0xFFFFFFu, fb.Pixel(15, 15));
        Assert.Equal(0u, fb.Pixel(16, 0));
        Assert.Equal(0u, fb.Pixel(0, 16));
        Assert.Equal(20, fb.Surface->Clip(100, 100).Width);
    }
}
