using System;
using System.Collections.Generic;
using System.Text;
using Kernel.Drivers.Keyboard;
using Xunit;

namespace Kernel.Tests.Drivers;

public unsafe class KeyboardAnsiTests
{
    static string Encode(KeyEvent ev, int capacity = 16)
    {
        byte* buf = stackalloc byte[32];
        for (int i = 0; i < 32; i++)
            buf[i] = 0xee;
        int n = AnsiKeys.Encode(ev, buf, capacity);
        Assert.InRange(n, 0, Math.Min(capacity, AnsiKeys.MaxSequence));
        for (int i = n; i < 32; i++)
            Assert.Equal(0xee, buf[i]); // nothing written past the sequence
        return Encoding.ASCII.GetString(buf, n).Replace("\u001b", "^[");
    }

    static KeyEvent Key(KeyCode k, KeyModifiers m = KeyModifiers.None, char c = '\0', bool pressed = true)
        => new KeyEvent { Key = k, Modifiers = m, Character = c, Pressed = pressed };

    /// <summary>Scan codes through the decoder and the encoder: what the line editor receives.</summary>
    static string Stream(params int[] codes)
    {
        var d = new KeyboardDecoder();
        var sb = new StringBuilder();
        byte* buf = stackalloc byte[AnsiKeys.MaxSequence];
        foreach (int c in codes)
            if (d.Feed((byte)c, out KeyEvent ev))
                sb.Append(Encoding.ASCII.GetString(buf, AnsiKeys.Encode(ev, buf, AnsiKeys.MaxSequence)));
        return sb.ToString().Replace("\u001b", "^[");
    }

    [Theory]
    [InlineData(KeyCode.Up, "^[[A")]
    [InlineData(KeyCode.Down, "^[[B")]
    [InlineData(KeyCode.Right, "^[[C")]
    [InlineData(KeyCode.Left, "^[[D")]
    [InlineData(KeyCode.Home, "^[[H")]
    [InlineData(KeyCode.End, "^[[F")]
    [InlineData(KeyCode.Insert, "^[[2~")]
    [InlineData(KeyCode.Delete, "^[[3~")]
    [InlineData(KeyCode.PageUp, "^[[5~")]
    [InlineData(KeyCode.PageDown, "^[[6~")]
    [InlineData(KeyCode.F1, "^[OP")]
    [InlineData(KeyCode.F2, "^[OQ")]
    [InlineData(KeyCode.F3, "^[OR")]
    [InlineData(KeyCode.F4, "^[OS")]
    [InlineData(KeyCode.F5, "^[[15~")]
    [InlineData(KeyCode.F6, "^[[17~")]
    [InlineData(KeyCode.F7, "^[[18~")]
    [InlineData(KeyCode.F8, "^[[19~")]
    [InlineData(KeyCode.F9, "^[[20~")]
    [InlineData(KeyCode.F10, "^[[21~")]
    [InlineData(KeyCode.F11, "^[[23~")]
    [InlineData(KeyCode.F12, "^[[24~")]
    [InlineData(KeyCode.LeftShift, "")]
    [InlineData(KeyCode.CapsLock, "")]
    [InlineData(KeyCode.PrintScreen, "")]
    [InlineData(KeyCode.Pause, "")]
    [InlineData(KeyCode.KeypadCenter, "")]
    public void NamedKeys(KeyCode key, string expected)
    {
        Assert.Equal(expected, Encode(Key(key)));
    }

    [Theory]
    [InlineData(KeyCode.Left, KeyModifiers.LeftCtrl, "^[[1;5D")]
    [InlineData(KeyCode.Right, KeyModifiers.RightCtrl, "^[[1;5C")]
    [InlineData(KeyCode.Up, KeyModifiers.LeftShift, "^[[1;2A")]
    [InlineData(KeyCode.Home, KeyModifiers.LeftAlt, "^[[1;3H")]
    [InlineData(KeyCode.End, KeyModifiers.LeftShift | KeyModifiers.LeftAlt | KeyModifiers.LeftCtrl, "^[[1;8F")]
    [InlineData(KeyCode.Delete, KeyModifiers.RightShift, "^[[3;2~")]
    [InlineData(KeyCode.F12, KeyModifiers.LeftCtrl | KeyModifiers.LeftShift, "^[[24;6~")]
    [InlineData(KeyCode.F1, KeyModifiers.LeftShift, "^[[1;2P")]
    [InlineData(KeyCode.Up, KeyModifiers.CapsLock | KeyModifiers.NumLock, "^[[A")] // locks are not modifiers
    public void ModifiedKeysCarryXtermParameters(KeyCode key, KeyModifiers m, string expected)
    {
        Assert.Equal(expected, Encode(Key(key, m)));
    }

    [Fact]
    public void CharactersAndControls()
    {
        Assert.Equal("a", Encode(Key(KeyCode.Character, c: 'a')));
        Assert.Equal("^[a", Encode(Key(KeyCode.Character, KeyModifiers.LeftAlt, 'a')));
        Assert.Equal("\u0003", Encode(Key(KeyCode.Character, KeyModifiers.LeftCtrl, '\u0003')));
        Assert.Equal("\r", Encode(Key(KeyCode.Enter, c: '\r')));
        Assert.Equal("\r", Encode(Key(KeyCode.KeypadEnter, c: '\r')));
        Assert.Equal("\u007f", Encode(Key(KeyCode.Backspace, c: '\u007f')));
        Assert.Equal("\t", Encode(Key(KeyCode.Tab, c: '\t')));
        Assert.Equal("^[[Z", Encode(Key(KeyCode.Tab, KeyModifiers.LeftShift, '\t')));
        Assert.Equal("^[", Encode(Key(KeyCode.Escape, KeyModifiers.LeftAlt, '\u001b')));
        Assert.Equal("", Encode(Key(KeyCode.Character, c: '\u00e9')));    // non-ASCII never leaves
    }

    [Fact]
    public void ReleasesAndSmallBuffersWriteNothing()
    {
        Assert.Equal("", Encode(Key(KeyCode.Up, pressed: false)));
        Assert.Equal("", Encode(Key(KeyCode.Character, c: 'a', pressed: false)));
        Assert.Equal("", Encode(Key(KeyCode.Delete), capacity: 3)); // needs 4: never cut
        Assert.Equal("^[[3~", Encode(Key(KeyCode.Delete), capacity: 4));
        Assert.Equal("", Encode(Key(KeyCode.Character, c: 'a'), capacity: 0));
        Assert.Equal(0, AnsiKeys.Encode(Key(KeyCode.Up), null, 8));
    }

    [Fact]
    public void ScanCodesToTerminalBytes()
    {
        // "ls -l", Left, Left, Delete, Home, End, Up, Enter; Ctrl+C; Shift+a; keypad arrows (Num Lock off).
        Assert.Equal("ls -l^[[D^[[D^[[3~^[[H^[[F^[[A\r", Stream(
            0x26, 0xa6, 0x1f, 0x9f, 0x39, 0xb9, 0x0c, 0x8c, 0x26, 0xa6,
            0xe0, 0x4b, 0xe0, 0xcb, 0xe0, 0x4b, 0xe0, 0xcb, 0xe0, 0x53, 0xe0, 0xd3,
            0xe0, 0x47, 0xe0, 0xc7, 0xe0, 0x4f, 0xe0, 0xcf, 0xe0, 0x48, 0xe0, 0xc8, 0x1c, 0x9c));
        Assert.Equal("\u0003A", Stream(0x1d, 0x2e, 0xae, 0x9d, 0x2a, 0x1e, 0x9e, 0xaa));
        Assert.Equal("^[[A^[[1;5D", Stream(0x48, 0xc8, 0x1d, 0x4b, 0xcb, 0x9d));
        Assert.Equal("\u007f^[x", Stream(0x0e, 0x8e, 0x38, 0x2d, 0xad, 0xb8));
    }
}
