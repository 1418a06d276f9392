using System;
using System.Collections.Generic;
using System.Text;
using Kernel.Shell.Editing;
using Xunit;
using E = Kernel.Shell.Editing.InputEvent;

namespace Kernel.Tests.Shell;

public class InputDecoderTests
{
    /// <summary>Events (with the character for Char) produced by feeding <paramref name="input"/>.</summary>
    static List<string> Decode(ref InputDecoder d, byte[] input)
    {
        var events = new List<string>();
        foreach (byte b in input)
        {
            E e = d.Feed(b, out byte ch);
            if (e == E.Char) events.Add("'" + (char)ch + "'");
            else if (e != E.None) events.Add(e.ToString());
            else Assert.Equal(0, ch);
        }
        return events;
    }

    static List<string> Decode(string input)
    {
        var d = new InputDecoder();
        return Decode(ref d, Encoding.Latin1.GetBytes(input));
    }

    static void Expect(string input, params string[] expected) => Assert.Equal(expected, Decode(input));

    [Fact]
    public void Printable_ascii_is_a_char_event()
    {
        Expect("aZ ~", "'a'", "'Z'", "' '", "'~'");
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Cr_lf_and_crlf_are_one_enter(string eol)
    {
        Expect("x" + eol + "y", "'x'", "Enter", "'y'");
    }

    [Fact]
    public void Two_line_ends_are_two_enters_unless_they_form_crlf()
    {
        Expect("\r\r", "Enter", "Enter");
        Expect("\n\n", "Enter", "Enter");
        Expect("\n\r", "Enter", "Enter");
        Expect("\r\n\r\n", "Enter", "Enter");
        Expect("\ra\n", "Enter", "'a'", "Enter");
    }

    [Theory]
    [InlineData("\x7f", "Backspace")]
    [InlineData("\b", "Backspace")]
    [InlineData("\u001b[3~", "Delete")]
    [InlineData("\u001b[A", "Up")]
    [InlineData("\u001b[B", "Down")]
    [InlineData("\u001b[C", "Right")]
    [InlineData("\u001b[D", "Left")]
    [InlineData("\u001bOA", "Up")]
    [InlineData("\u001bOB", "Down")]
    [InlineData("\u001bOC", "Right")]
    [InlineData("\u001bOD", "Left")]
    [InlineData("\u001b[H", "Home")]
    [InlineData("\u001b[F", "End")]
    [InlineData("\u001b[1~", "Home")]
    [InlineData("\u001b[7~", "Home")]
    [InlineData("\u001b[4~", "End")]
    [InlineData("\u001b[8~", "End")]
    [InlineData("\u001bOH", "Home")]
    [InlineData("\u001bOF", "End")]
    [InlineData("\u001b[1;5C", "Right")]
    [InlineData("\u001b[3;2~", "Delete")]
    [InlineData("\x01", "Home")]
    [InlineData("\x05", "End")]
    [InlineData("\x02", "Left")]
    [InlineData("\x06", "Right")]
    [InlineData("\x10", "Up")]
    [InlineData("\x0e", "Down")]
    [InlineData("\x03", "Cancel")]
    [InlineData("\x0c", "ClearScreen")]
    [InlineData("\x15", "KillLine")]
    [InlineData("\x0b", "KillToEnd")]
    [InlineData("\x17", "DeleteWordBefore")]
    [InlineData("\t", "Tab")]
    [InlineData("\x04", "EndOfInput")]
    public void Keys_decode(string input, string expected)
    {
        Expect(input + "k", expected, "'k'");
    }

    [Theory]
    [InlineData("\u001b[2~")]     // Insert
    [InlineData("\u001b[5~")]     // Page Up
    [InlineData("\u001b[6~")]
    [InlineData("\u001b[15~")]    // F5
    [InlineData("\u001bOP")]      // F1
    [InlineData("\u001b[Z")]      // Shift-Tab
    [InlineData("\u001b[?1;2c")]  // a device attributes reply
    [InlineData("\u001bx")]       // Alt-x
    [InlineData("\x00\x1c\x1d\x1e\x1f\x07\x11\x13")]
    [InlineData("\x80\xff\xe9\xc3\xa9")]
    public void Keys_without_an_editing_meaning_are_dropped(string input)
    {
        Expect(input + "[k", "'['", "'k'");
    }

    [Fact]
    public void Sequences_split_across_feeds_decode_the_same()
    {
        var d = new InputDecoder();
        Assert.Equal(new[] { "'a'" }, Decode(ref d, new byte[] { (byte)'a', 0x1b }));
        Assert.Empty(Decode(ref d, new byte[] { (byte)'[' }));
        Assert.Empty(Decode(ref d, new byte[] { (byte)'3' }));
        Assert.Equal(new[] { "Delete" }, Decode(ref d, new byte[] { (byte)'~' }));
        Assert.Equal(new[] { "Enter" }, Decode(ref d, new byte[] { (byte)'\r' }));
        Assert.Empty(Decode(ref d, new byte[] { (byte)'\n' })); // LF of a CR LF split across feeds
        Assert.Empty(Decode(ref d, new byte[] { 0x1b, (byte)'O' }));
        Assert.Equal(new[] { "Left" }, Decode(ref d, new byte[] { (byte)'D' }));
    }

    [Fact]
    public void Esc_followed_by_a_non_bracket_byte_resets()
    {
        Expect("\u001bqa", "'a'");                  // Alt-q dropped, 'a' typed
        Expect("\u001b\r", "Enter");                // ESC then Enter still submits
        Expect("\u001b\u001b[A", "Up");             // a second ESC starts a fresh sequence
        Expect("\u001bO\x03", "Cancel");            // control byte ends ESC O
        Expect("\u001bOzb", "'b'");
    }

    [Fact]
    public void Control_bytes_break_out_of_a_half_sequence()
    {
        Expect("\u001b[12\r", "Enter");
        Expect("\u001b[1;\x03x", "Cancel", "'x'");
        Expect("\u001b[\x7fx", "Backspace", "'x'");
        Expect("\u001b[3\u001b[A", "Up");           // ESC is a control byte too: restarts
    }

    [Fact]
    public void Overlong_and_junk_sequences_are_dropped_whole()
    {
        Expect("\u001b[" + new string('1', 40) + "~a", "'a'");
        Expect("\u001b[" + new string(';', 100) + "Ab", "'b'");
        Expect("\u001b[99999~c", "'c'");           // number too large: not Home/End/Delete
        Expect("\u001b[3\x80~d", "'d'");            // high byte inside a sequence
        Expect("\u001b[1 q" + "e", "'e'");          // intermediate byte, unknown final
    }

    [Fact]
    public void Random_binary_input_keeps_the_decoder_in_step()
    {
        const int seed = 4242;
        var rng = new Random(seed);
        var d = new InputDecoder();
        byte[] junk = new byte[100_000];
        rng.NextBytes(junk);
        for (int i = 0; i < junk.Length; i += rng.Next(1, 12))
            junk[i] = (byte)"\u001b[O;0123~ABCDHF\r\n"[rng.Next(17)];
        foreach (byte b in junk)
        {
            E e = d.Feed(b, out byte ch);
            Assert.True(e != E.Char || (ch >= 0x20 && ch < 0x7f), $"seed {seed}: Char event with byte {ch:x2}");
        }
        // Any state ends at a control byte; Ctrl-C is decoded as itself.
        Assert.Equal(new[] { "Cancel", "'o'", "'k'", "Up" }, Decode(ref d, Encoding.ASCII.GetBytes("\x03ok\u001b[A")));
    }
}
