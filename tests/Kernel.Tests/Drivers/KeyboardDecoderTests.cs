using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Kernel.Drivers.Keyboard;
using Xunit;

namespace Kernel.Tests.Drivers;

public class KeyboardDecoderTests
{
    /// <summary>Feeds every byte and returns the events produced.</summary>
    static List<KeyEvent> Feed(ref KeyboardDecoder d, params int[] codes)
    {
        var events = new List<KeyEvent>();
        foreach (int c in codes)
            if (d.Feed((byte)c, out KeyEvent ev))
                events.Add(ev);
        return events;
    }

    static List<KeyEvent> Feed(params int[] codes)
    {
        var d = new KeyboardDecoder();
        return Feed(ref d, codes);
    }

    /// <summary>The characters typed by presses (releases ignored).</summary>
    static string Typed(IEnumerable<KeyEvent> events) =>
        new string(events.Where(e => e.Pressed && e.Character != '\0').Select(e => e.Character).ToArray());

    [Fact]
    public void MakeAndBreakOfALetter()
    {
        var ev = Feed(0x1e, 0x9e);
        Assert.Equal(2, ev.Count);
        Assert.Equal(KeyCode.Character, ev[0].Key);
        Assert.Equal('a', ev[0].Character);
        Assert.True(ev[0].Pressed);
        Assert.Equal(0x1e, ev[0].ScanCode);
        Assert.Equal(KeyCode.Character, ev[1].Key);
        Assert.False(ev[1].Pressed);
        Assert.Equal(0x1e, ev[1].ScanCode);
    }

    [Fact]
    public void ShiftOnAndOff()
    {
        var d = new KeyboardDecoder();
        var ev = Feed(ref d, 0x2a, 0x1e, 0x9e, 0x02, 0xaa, 0x1e, 0x02);
        Assert.Equal("A!a1", Typed(ev));
        Assert.Equal(KeyCode.LeftShift, ev[0].Key);
        Assert.True(ev[0].Shift);
        Assert.False(ev.Last().Shift);
        // Right shift, and both shifts with one released.
        Assert.Equal("Z", Typed(Feed(ref d, 0x36, 0x2c, 0xb6)));
        Assert.Equal("QQq", Typed(Feed(ref d, 0x2a, 0x36, 0x10, 0xaa, 0x10, 0xb6, 0x10)));
        Assert.Equal(KeyModifiers.None, d.Modifiers);
    }

    [Fact]
    public void CapsLockTogglesLettersOnly()
    {
        var d = new KeyboardDecoder();
        Assert.Equal("A1;", Typed(Feed(ref d, 0x3a, 0xba, 0x1e, 0x02, 0x27)));
        Assert.True((d.Modifiers & KeyModifiers.CapsLock) != 0);
        // Shift inverts Caps Lock for letters, still shifts the rest.
        Assert.Equal("a!:", Typed(Feed(ref d, 0x2a, 0x1e, 0x02, 0x27, 0xaa)));
        // Toggle off again.
        Assert.Equal("a", Typed(Feed(ref d, 0x3a, 0xba, 0x1e)));
        Assert.True((d.Modifiers & KeyModifiers.CapsLock) == 0);
    }

    [Fact]
    public void HeldLockKeyRepeatsDoNotToggleAgain()
    {
        var d = new KeyboardDecoder();
        var ev = Feed(ref d, 0x3a, 0x3a, 0x3a, 0x3a, 0xba, 0x1e);
        Assert.Equal(6, ev.Count); // 4 presses (typematic), 1 release, 'A'
        Assert.Equal("A", Typed(ev));
        Assert.Equal(4, d.LedBits);
    }

    [Fact]
    public void CtrlMakesControlCodes()
    {
        var d = new KeyboardDecoder();
        var ev = Feed(ref d, 0x1d, 0x2e, 0xae, 0x9d);
        Assert.Equal(KeyCode.LeftCtrl, ev[0].Key);
        Assert.Equal((char)3, ev[1].Character); // Ctrl+C
        Assert.True(ev[1].Ctrl);
        Assert.Equal(KeyCode.Character, ev[1].Key);
        Assert.Equal("\u0001\u001a", Typed(Feed(ref d, 0x1d, 0x1e, 0x2c, 0x9d)));  // Ctrl+A, Ctrl+Z
        Assert.Equal("\u0003", Typed(Feed(ref d, 0x1d, 0x2a, 0x2e, 0xaa, 0x9d)));  // Ctrl+Shift+C
        Assert.Equal("\u0003", Typed(Feed(ref d, 0x3a, 0xba, 0x1d, 0x2e, 0x9d, 0x3a, 0xba))); // with Caps Lock
        Assert.Equal("\u001b\u001c\u001d", Typed(Feed(ref d, 0x1d, 0x1a, 0x2b, 0x1b, 0x9d))); // Ctrl+[ \ ]
        Assert.Equal("\u001e\u001f", Typed(Feed(ref d, 0x1d, 0x2a, 0x07, 0x0c, 0xaa, 0x9d))); // Ctrl+^ Ctrl+_
        Assert.Equal("1", Typed(Feed(ref d, 0x1d, 0x02, 0x9d)));  // Ctrl+1 types 1
        // Right Ctrl (extended) works the same and is released by its own break code.
        Assert.Equal("\u0003c", Typed(Feed(ref d, 0xe0, 0x1d, 0x2e, 0xe0, 0x9d, 0x2e)));
        Assert.Equal(KeyModifiers.None, d.Modifiers);
    }

    [Fact]
    public void AltIsAFlag()
    {
        var d = new KeyboardDecoder();
        var ev = Feed(ref d, 0x38, 0x1e, 0xb8, 0x1e);
        Assert.Equal(KeyCode.LeftAlt, ev[0].Key);
        Assert.Equal('a', ev[1].Character);
        Assert.True(ev[1].Alt);
        Assert.False(ev[3].Alt);
        ev = Feed(ref d, 0xe0, 0x38, 0x1e, 0xe0, 0xb8);
        Assert.Equal(KeyCode.RightAlt, ev[0].Key);
        Assert.Equal(0xe038, ev[0].ScanCode);
        Assert.True(ev[1].Alt);
        Assert.Equal(KeyModifiers.None, d.Modifiers);
    }

    [Theory]
    [InlineData(0x48, KeyCode.Up)]
    [InlineData(0x50, KeyCode.Down)]
    [InlineData(0x4b, KeyCode.Left)]
    [InlineData(0x4d, KeyCode.Right)]
    [InlineData(0x47, KeyCode.Home)]
    [InlineData(0x4f, KeyCode.End)]
    [InlineData(0x49, KeyCode.PageUp)]
    [InlineData(0x51, KeyCode.PageDown)]
    [InlineData(0x52, KeyCode.Insert)]
    [InlineData(0x53, KeyCode.Delete)]
    [InlineData(0x1d, KeyCode.RightCtrl)]
    [InlineData(0x38, KeyCode.RightAlt)]
    [InlineData(0x5b, KeyCode.LeftGui)]
    [InlineData(0x5c, KeyCode.RightGui)]
    [InlineData(0x5d, KeyCode.Menu)]
    public void ExtendedKeys(int make, KeyCode expected)
    {
        // Num Lock on must not matter for the dedicated navigation keys.
        var d = new KeyboardDecoder();
        d.SetLocks(false, true, false);
        var ev = Feed(ref d, 0xe0, make, 0xe0, make | 0x80);
        Assert.Equal(2, ev.Count);
        Assert.Equal(expected, ev[0].Key);
        Assert.True(ev[0].Pressed);
        Assert.Equal('\0', ev[0].Character);
        Assert.Equal(0xe000 | make, ev[0].ScanCode);
        Assert.Equal(expected, ev[1].Key);
        Assert.False(ev[1].Pressed);
    }

    [Fact]
    public void KeypadEnterAndSlash()
    {
        var ev = Feed(0xe0, 0x1c, 0xe0, 0x9c, 0x2a, 0xe0, 0x35, 0xaa);
        Assert.Equal(KeyCode.KeypadEnter, ev[0].Key);
        Assert.Equal('\r', ev[0].Character);
        Assert.Equal(KeyCode.Character, ev[3].Key);
        Assert.Equal('/', ev[3].Character); // Shift does not change keypad '/'
        Assert.Equal(0xe035, ev[3].ScanCode);
    }

    [Fact]
    public void KeypadFollowsNumLock()
    {
        var d = new KeyboardDecoder();
        var ev = Feed(ref d, 0x48, 0x4c, 0x53, 0x4a, 0x4e, 0x37);
        Assert.Equal(KeyCode.Up, ev[0].Key);
        Assert.Equal(0x48, ev[0].ScanCode); // not extended
        Assert.Equal(KeyCode.KeypadCenter, ev[1].Key);
        Assert.Equal(KeyCode.Delete, ev[2].Key);
        Assert.Equal("-+*", Typed(ev));
        Feed(ref d, 0x45, 0xc5);
        Assert.Equal(2, d.LedBits);
        Assert.Equal("789-456+1230.*", Typed(Feed(ref d, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x37)));
    }

    [Fact]
    public void FakeShiftsAroundPrintScreenAreIgnored()
    {
        var d = new KeyboardDecoder();
        var ev = Feed(ref d, 0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa, 0x1e);
        Assert.Equal(3, ev.Count);
        Assert.Equal(KeyCode.PrintScreen, ev[0].Key);
        Assert.True(ev[0].Pressed);
        Assert.False(ev[1].Pressed);
        Assert.Equal('a', ev[2].Character); // no shift left behind
        // A fake shift release while the real left Shift is held does not release it.
        Assert.Equal("A", Typed(Feed(ref d, 0x2a, 0xe0, 0xaa, 0x1e, 0xaa)));
    }

    [Fact]
    public void PauseSequenceIsSwallowedIntoOneKey()
    {
        var d = new KeyboardDecoder();
        var ev = Feed(ref d, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);
        Assert.Equal(2, ev.Count);
        Assert.Equal(KeyCode.Pause, ev[0].Key);
        Assert.True(ev[0].Pressed);
        Assert.Equal(KeyCode.Pause, ev[1].Key);
        Assert.False(ev[1].Pressed);
        // Neither Ctrl nor Num Lock was touched by the 1d / 45 inside the sequence.
        Assert.Equal(KeyModifiers.None, d.Modifiers);
        Assert.Equal("c", Typed(Feed(ref d, 0x2e)));
        // Ctrl+Pause sends e0 46 (Break).
        ev = Feed(ref d, 0x1d, 0xe0, 0x46, 0xe0, 0xc6, 0x9d);
        Assert.Equal(KeyCode.Break, ev[1].Key);
        // A malformed e1 sequence is dropped and decoding continues.
        Assert.Equal("a", Typed(Feed(ref d, 0xe1, 0x12, 0x34, 0x1e)));
    }

    [Fact]
    public void UnknownCodesAndRepliesAreIgnored()
    {
        var d = new KeyboardDecoder();
        Assert.Empty(Feed(ref d, 0xfa, 0xfe, 0xee, 0xfc, 0xfd, 0x00, 0xff, 0x59, 0x60, 0x7f, 0xe0, 0x10, 0xe0, 0x22, 0xd9));
        Assert.Equal(KeyModifiers.None, d.Modifiers);
        Assert.Equal("q", Typed(Feed(ref d, 0x10)));
        // An overrun after a prefix drops the prefix: the next code is not extended.
        var ev = Feed(ref d, 0xe0, 0x00, 0x48);
        Assert.Single(ev);
        Assert.Equal(0x48, ev[0].ScanCode);
        // An ACK between prefix and code also resets.
        ev = Feed(ref d, 0xe0, 0xfa, 0x1d);
        Assert.Equal(KeyCode.LeftCtrl, ev[0].Key);
        Feed(ref d, 0x9d);
        // e0 e0: the second prefix replaces the first.
        ev = Feed(ref d, 0xe0, 0xe0, 0x48);
        Assert.Equal(KeyCode.Up, ev[0].Key);
        Assert.Equal(0xe048, ev[0].ScanCode);
    }

    [Fact]
    public void NamedKeysAndTheirCharacters()
    {
        var ev = Feed(0x01, 0x0e, 0x0f, 0x1c, 0x39);
        Assert.Equal(new[] { KeyCode.Escape, KeyCode.Backspace, KeyCode.Tab, KeyCode.Enter, KeyCode.Character }, ev.Select(e => e.Key));
        Assert.Equal("\u001b\u007f\t\r ", Typed(ev));
        var f = Feed(0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x57, 0x58);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (KeyCode)((int)KeyCode.F1 + i)), f.Select(e => e.Key));
        Assert.Equal("", Typed(f));
    }

    [Fact]
    public void WholeUsLayout()
    {
        // The US main block in scan code order, as printed on the keys.
        int[] codes = { 0x29, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
            0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x2b,
            0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
            0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x39, 0x56 };
        const string plain = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./ <";
        const string shifted = "~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>? >";
        Assert.Equal(plain, Typed(Feed(codes)));
        Assert.Equal(shifted, Typed(Feed(new[] { 0x2a }.Concat(codes).ToArray())));
        Assert.Equal(plain.ToUpperInvariant(), Typed(Feed(new[] { 0x3a, 0xba }.Concat(codes).ToArray())));
    }

    [Fact]
    public void LedsResetAndSetLocks()
    {
        var d = new KeyboardDecoder();
        Feed(ref d, 0x46, 0xc6);
        Assert.Equal(1, d.LedBits);
        d.SetLocks(true, true, false);
        Assert.Equal(6, d.LedBits);
        Feed(ref d, 0x2a, 0x1d, 0x38, 0xe0);
        d.Reset();
        Assert.Equal(KeyModifiers.CapsLock | KeyModifiers.NumLock, d.Modifiers);
        // The pending e0 was forgotten.
        Assert.Equal(0x48, Feed(ref d, 0x48)[0].ScanCode);
    }

    /// <summary>Random byte streams: the decoder never throws, events are consistent, and a
    /// clean make/break of 'a' after any garbage (plus a reset) types 'a'.</summary>
    [Fact]
    public void RandomStreamsRecover()
    {
        const int Seed = 1234;
        var rng = new Random(Seed);
        for (int iter = 0; iter < 2000; iter++)
        {
            var d = new KeyboardDecoder();
            var bytes = new int[rng.Next(1, 40)];
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = rng.Next(256);
            foreach (var e in Feed(ref d, bytes))
            {
                Assert.True(e.Key != KeyCode.None, $"seed {Seed} iteration {iter}");
                Assert.True(e.Character < (char)0x80, $"seed {Seed} iteration {iter}");
                Assert.True(e.Key == KeyCode.Character || e.Key == KeyCode.KeypadEnter || e.Character == '\0'
                    || e.Key == KeyCode.Escape || e.Key == KeyCode.Backspace || e.Key == KeyCode.Tab || e.Key == KeyCode.Enter,
                    $"seed {Seed} iteration {iter}");
            }
            d.Reset();
            d.SetLocks(false, false, false);
            Assert.Equal("a", Typed(Feed(ref d, 0x1e, 0x9e)));
        }
    }
}
