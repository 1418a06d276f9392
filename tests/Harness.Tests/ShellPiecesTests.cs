using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Harness;
using Xunit;

namespace Harness.Tests;

/// <summary>The pure pieces of the shell sessions: terminal text, key names, screen reading.</summary>
public sealed class ShellPiecesTests
{
    [Fact]
    public void PlainRemovesEscapesAndAppliesBackspaces()
    {
        Assert.Equal("kernel> help\n", Terminal.Plain("kernel> helx\bp\x1b[K\r\n"));
        Assert.Equal("ab", Terminal.Plain("a\x1b[12;3Hb\a"));
        Assert.Equal("x", Terminal.Plain("\x1b]0;title\x07x"));
        Assert.Equal("line\n", Terminal.Plain("line\n\b"));
    }

    [Fact]
    public void CommandOutputIsBetweenTheEchoAndTheNextPrompt()
    {
        Assert.Equal("up 1 s\n", Terminal.CommandOutput("uptime\nup 1 s\nkernel> "));
        Assert.Equal("", Terminal.CommandOutput("clear\nkernel> "));
        Assert.Null(Terminal.CommandOutput("uptime\nup 1"));
    }

    [Fact]
    public void KeysFollowTheUsLayout()
    {
        Assert.Equal(new[] { "e", "shift-c", "spc", "shift-4", "minus", "shift-minus", "ret" }, SendKeys.Keys("eC $-_\n").ToArray());
        Assert.Throws<ArgumentException>(() => SendKeys.KeyFor('é'));
    }

    [Fact]
    public void VgaTextFromMonitorDump()
    {
        string dump = "00000000000b8000: 0x076b 0x0765 0x0772 0x0720\n00000000000b8008: 0x0700 0x0741\n";
        List<string> rows = VgaText.Parse(dump);
        Assert.Single(rows);
        Assert.Equal("ker  A", rows[0]);
    }

    [Fact]
    public void PpmParsesHeaderWithComments()
    {
        byte[] data = Encoding.ASCII.GetBytes("P6\n# qemu\n2 1\n255\n").Concat(new byte[] { 255, 255, 255, 0, 0, 0 }).ToArray();
        PpmImage image = PpmImage.Parse(data);
        Assert.Equal((2, 1), (image.Width, image.Height));
        Assert.True(image.IsLit(0, 0));
        Assert.False(image.IsLit(1, 0));
        Assert.Throws<InvalidDataException>(() => PpmImage.Parse(Encoding.ASCII.GetBytes("P3\n1 1\n255\n0 0 0")));
        Assert.Throws<InvalidDataException>(() => PpmImage.Parse(Encoding.ASCII.GetBytes("P6\n4 4\n255\n")));
    }

    static PsfGlyphs Font()
    {
        // The console font the kernel embeds (Debian's console-setup-linux).
        using var gz = new GZipStream(File.OpenRead("/usr/share/consolefonts/Lat15-Terminus16.psf.gz"), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return new PsfGlyphs(ms.ToArray());
    }

    [Fact]
    public void ScreenReaderReadsBackWhatWasDrawn()
    {
        PsfGlyphs font = Font();
        Assert.Equal((8, 16), (font.Width, font.Height));
        string[] lines = { "kernel> echo Hello, World! 0123456789", "Hello, World! {}[]<>|~`'\"" , "", "kernel>" };
        PpmImage image = font.Render(lines, 40, 5);
        List<string> rows = font.ReadScreen(image);
        Assert.Equal(lines, rows.Take(4).ToArray());
        Assert.Equal("", rows[4]);
    }

    [Fact]
    public void ScreenReaderReadsAnInvertedCursorCellAndRejectsNoise()
    {
        PsfGlyphs font = Font();
        PpmImage image = font.Render(new[] { "ab" }, 3, 1);
        // Invert cell 1 ('b'): the console draws its cursor that way.
        for (int y = 0; y < 16; y++)
            for (int x = 8; x < 16; x++)
            {
                int i = (y * image.Width + x) * 3;
                byte v = image.IsLit(x, y) ? (byte)0 : (byte)0xaa;
                image.Rgb[i] = image.Rgb[i + 1] = image.Rgb[i + 2] = v;
            }
        Assert.Equal('b', font.ReadCell(image, 1, 0));
        // One stray pixel in cell 0 makes it unreadable, not some other letter.
        int p = (3 * image.Width + 0) * 3;
        byte flipped = image.IsLit(0, 3) ? (byte)0 : (byte)0xff;
        image.Rgb[p] = image.Rgb[p + 1] = image.Rgb[p + 2] = flipped;
        Assert.Equal('?', font.ReadCell(image, 0, 0));
    }
}
