using System;
using System.Collections.Generic;
using System.Text;
using Kernel.Diagnostics;
using Kernel.Shell.Editing;
using Kernel.Tests.Drivers;
using Kernel.Tests.Support;
using Xunit;

namespace Kernel.Tests.Shell;

/// <summary>A LineEditor in native memory (~18 KiB of fixed buffers) with an output builder.</summary>
public sealed unsafe class HostEditor : IDisposable
{
    readonly NativeBuffer _editor = new NativeBuffer(sizeof(LineEditor));
    readonly NativeBuffer _out = new NativeBuffer(64 * 1024);
    readonly StringBuilder _all = new StringBuilder();
    public LineEditor* Editor => (LineEditor*)_editor.Pointer;
    public List<string> Lines { get; } = new List<string>();
    public List<LineResult> Results { get; } = new List<LineResult>();
    /// <summary>Where output also goes (a console), or null.</summary>
    public HostConsole Screen { get; set; }

    public HostEditor(string prompt = "> ")
    {
        Editor->SetPrompt(prompt);
    }

    /// <summary>Everything the editor wrote since the last call.</summary>
    public string TakeOutput()
    {
        string s = _all.ToString();
        _all.Clear();
        return s;
    }

    public string Line
    {
        get
        {
            var b = new byte[LineEditor.MaxLength];
            fixed (byte* p = b)
            {
                int n = Editor->CopyLine(p, b.Length);
                return Encoding.Latin1.GetString(b, 0, n);
            }
        }
    }

    void Flush(ref TextBuilder tb)
    {
        Assert.False(tb.Truncated);
        _all.Append(Encoding.Latin1.GetString(tb.Buffer, tb.Length));
        if (Screen != null)
            Screen.Console->Write(tb.Buffer, tb.Length);
        tb.Clear();
    }

    public void Begin()
    {
        var tb = new TextBuilder(_out.Pointer, _out.Length);
        Editor->BeginLine(ref tb);
        Flush(ref tb);
    }

    public void Redraw()
    {
        var tb = new TextBuilder(_out.Pointer, _out.Length);
        Editor->Redraw(ref tb);
        Flush(ref tb);
    }

    /// <summary>Feeds bytes; records every non-None result and the line it finished.</summary>
    public LineResult Feed(byte[] input)
    {
        var tb = new TextBuilder(_out.Pointer, _out.Length);
        LineResult last = LineResult.None;
        foreach (byte b in input)
        {
            LineResult r = Editor->Feed(b, ref tb);
            Flush(ref tb);
            if (r == LineResult.None)
                continue;
            last = r;
            Results.Add(r);
            if (r == LineResult.LineReady)
                Lines.Add(Line);
        }
        return last;
    }

    public LineResult Feed(string input) => Feed(Encoding.Latin1.GetBytes(input));

    public void Dispose()
    {
        _editor.Dispose();
        _out.Dispose();
    }
}

public unsafe class LineEditorTests
{
    const string Esc = "\u001b";
    const string Left = Esc + "[D", Right = Esc + "[C", Up = Esc + "[A", Down = Esc + "[B";
    const string Home = Esc + "[H", End = Esc + "[F", Del = Esc + "[3~";

    static readonly string[] s_commands = { "help", "hello", "history", "meminfo", "maps", "clear", "bad word", "caf\u00e9" };
    static string Commands(int i) => i < s_commands.Length ? s_commands[i] : null;
    static string NoCandidates(int i) => null;
    static string Endless(int i) => "zz" + (i % 10);

    [Fact]
    public void Typing_and_enter_gives_the_line_and_echoes_it()
    {
        using var h = new HostEditor();
        h.Begin();
        Assert.Equal(LineResult.LineReady, h.Feed("help\r"));
        Assert.Equal("help", h.Line);
        Assert.Equal("> help\r\n", h.TakeOutput());
        Assert.True(h.Editor->LineEquals("help"));
        Assert.False(h.Editor->LineEquals("hel"));
    }

    [Fact]
    public void Inserting_in_the_middle_redraws_the_tail_and_moves_back()
    {
        using var h = new HostEditor();
        h.Feed("helo" + Left);
        h.TakeOutput();
        h.Feed("l");
        Assert.Equal("hello", h.Line);
        Assert.Equal(4, h.Editor->Cursor);
        Assert.Equal("lo" + Esc + "[D", h.TakeOutput());
        h.Feed(Home + "x");
        Assert.Equal("xhello", h.Line);
        Assert.Equal(Esc + "[4D" + "xhello" + Esc + "[5D", h.TakeOutput());
    }

    [Fact]
    public void Backspace_delete_and_kills_in_the_middle()
    {
        using var h = new HostEditor();
        h.Feed("abcdef" + Left + Left);
        h.TakeOutput();
        h.Feed("\x7f");
        Assert.Equal("abcef", h.Line);
        Assert.Equal("\bef" + Esc + "[K" + Esc + "[2D", h.TakeOutput());
        h.Feed(Del);
        Assert.Equal("abcf", h.Line);
        Assert.Equal("f" + Esc + "[K" + Esc + "[D", h.TakeOutput());
        h.Feed("\x0b"); // Ctrl-K
        Assert.Equal("abc", h.Line);
        h.Feed(" two words\x17");  // Ctrl-W
        Assert.Equal("abc two ", h.Line);
        h.Feed("\x01\x04"); // Ctrl-A, Ctrl-D on a non-empty line deletes under the cursor
        Assert.Equal("bc two ", h.Line);
        Assert.Equal(0, h.Editor->Cursor);
        h.Feed("\x05"); // Ctrl-E
        Assert.Equal(7, h.Editor->Cursor);
        h.Feed("\x15"); // Ctrl-U
        Assert.Equal("", h.Line);
        Assert.Equal(0, h.Editor->Cursor);
    }

    [Fact]
    public void Keys_that_cannot_act_beep_once()
    {
        using var h = new HostEditor();
        h.TakeOutput();
        h.Feed("\x7f" + Left + Del + Down);
        Assert.Equal("\a", h.TakeOutput());
        h.Feed("a" + Right);
        Assert.Equal("a\a", h.TakeOutput());
    }

    [Fact]
    public void The_screen_shows_what_the_editor_holds()
    {
        using var h = new HostEditor { Screen = new HostConsole(60, 4) };
        h.Begin();
        h.Feed("meminfo --all" + Home + Right + Right + "X" + End + "\x7f\x7f" + Left + Left + Left + Del + "\x17");
        Assert.Equal("> " + h.Line, h.Screen.Row(0));
        Assert.Equal(2 + h.Editor->Cursor, h.Screen.Console->CursorColumn);
        h.Screen.Dispose();
    }

    [Fact]
    public void Random_edits_keep_screen_and_line_in_agreement()
    {
        const int seed = 99;
        var rng = new Random(seed);
        using var h = new HostEditor { Screen = new HostConsole(100, 6) };
        h.Editor->SetCompletion(&Commands);
        h.Begin();
        string[] keys = { "a", "b", " ", "m", "e", "h", Left, Right, Home, End, "\x7f", Del, "\x17", "\x0b", Up, Down, "\t", "\x01", "\x05" };
        for (int step = 0; step < 4000; step++)
        {
            string k = keys[rng.Next(keys.Length)];
            if (rng.Next(60) == 0) k = "\r";
            if (h.Editor->Length > 80) k = "\x15";
            LineResult r = h.Feed(k);
            if (r == LineResult.LineReady)
            {
                h.Begin();
                continue;
            }
            int row = h.Screen.Console->CursorRow;
            string expected = "> " + h.Line;
            if (expected.TrimEnd(' ') != h.Screen.Row(row))
                Assert.Fail($"seed {seed} step {step} key {Escape(k)}: editor '{h.Line}' screen '{h.Screen.Row(row)}'");
            Assert.Equal(2 + h.Editor->Cursor, h.Screen.Console->CursorColumn);
        }
        h.Screen.Dispose();
    }

    static string Escape(string k) => k.Replace(Esc, "ESC").Replace("\x7f", "DEL").Replace("\r", "CR").Replace("\t", "TAB");

    [Fact]
    public void History_up_and_down_preserve_the_line_being_edited()
    {
        using var h = new HostEditor();
        h.Feed("one\rtwo\rthree\r");
        h.Feed("part");
        h.Feed(Up);
        Assert.Equal("three", h.Line);
        h.Feed(Up);
        Assert.Equal("two", h.Line);
        h.Feed(Up);
        Assert.Equal("one", h.Line);
        h.TakeOutput();
        h.Feed(Up);                       // oldest: stays, beeps
        Assert.Equal("one", h.Line);
        Assert.Equal("\a", h.TakeOutput());
        h.Feed(Down);
        Assert.Equal("two", h.Line);
        Assert.Equal(Esc + "[3D" + "two" + Esc + "[K", h.TakeOutput());
        h.Feed(Down + Down);
        Assert.Equal("part", h.Line);
        h.Feed(Up + "!\r");               // a recalled line can be edited and submitted
        Assert.Equal("three!", h.Lines[^1]);
        h.Feed("\x10");                   // Ctrl-P is Up
        Assert.Equal("three!", h.Line);
    }

    [Fact]
    public void History_skips_empty_lines_and_consecutive_duplicates_and_keeps_the_newest()
    {
        using var h = new HostEditor();
        h.Feed("a\r\r   \ra\rb\ra\r");
        Assert.Equal(3, h.Editor->HistoryCount);  // a, b, a
        for (int i = 0; i < History.Capacity + 5; i++)
            h.Feed("cmd" + i + "\r");
        Assert.Equal(History.Capacity, h.Editor->HistoryCount);
        byte* buf = stackalloc byte[64];
        int n = h.Editor->CopyHistory(0, buf, 64);
        Assert.Equal("cmd" + (History.Capacity + 4), Encoding.ASCII.GetString(buf, n));
        n = h.Editor->CopyHistory(History.Capacity - 1, buf, 64);
        Assert.Equal("cmd5", Encoding.ASCII.GetString(buf, n));
        Assert.Equal(-1, h.Editor->CopyHistory(History.Capacity, buf, 64));
        for (int i = 0; i < History.Capacity + 3; i++)
            h.Feed(Up);
        Assert.Equal("cmd5", h.Line);
    }

    [Fact]
    public void Completion_with_one_candidate_completes_with_a_space()
    {
        using var h = new HostEditor();
        h.Editor->SetCompletion(&Commands);
        h.Feed("mem\t");
        Assert.Equal("meminfo ", h.Line);
        h.Feed("x" + Home + "\t");  // empty word before the cursor: all candidates match, several
        Assert.Equal("meminfo x", h.Line);
        h.Feed(End + " hist\t");
        Assert.Equal("meminfo x history ", h.Line);
    }

    [Fact]
    public void Completion_with_no_candidate_changes_nothing()
    {
        using var h = new HostEditor();
        h.Editor->SetCompletion(&Commands);
        h.Feed("xyz");
        h.TakeOutput();
        h.Feed("\t");
        Assert.Equal("xyz", h.Line);
        Assert.Equal("\a", h.TakeOutput());
        h.Editor->SetCompletion(&NoCandidates);
        h.Feed("\x15\t");
        Assert.Equal("", h.Line);
        h.Editor->SetCompletion(null);
        h.Feed("q\t");
        Assert.Equal("q", h.Line);
        h.Editor->SetCompletion(&Commands);
        h.Feed("\x15" + "caf\t" + "\x15" + "bad\t");   // non-ASCII and spaced candidates never match
        Assert.Equal("bad", h.Line);
    }

    [Fact]
    public void Completion_with_several_candidates_lists_them_and_redraws()
    {
        using var h = new HostEditor { Screen = new HostConsole(60, 5) };
        h.Editor->SetCompletion(&Commands);
        h.Begin();
        h.Feed("he");
        h.TakeOutput();
        h.Feed("\t");
        Assert.Equal("hel", h.Line); // common prefix of help and hello
        Assert.Equal("l\r\nhelp  hello\r\n\r> hel" + Esc + "[K", h.TakeOutput());
        Assert.Equal("> hel", h.Screen.Row(0));
        Assert.Equal("help  hello", h.Screen.Row(1));
        Assert.Equal("> hel", h.Screen.Row(2));
        Assert.Equal(5, h.Screen.Console->CursorColumn);
        h.Feed("lo\r");
        Assert.Equal("hello", h.Lines[^1]);

        h.Editor->SetCompletion(&Endless); // never returns null: bounded by MaxCandidates
        h.Feed("z\t");
        Assert.Equal("zz", h.Line);
        h.Screen.Dispose();
    }

    [Fact]
    public void Completion_in_the_middle_of_a_line()
    {
        using var h = new HostEditor { Screen = new HostConsole(60, 5) };
        h.Editor->SetCompletion(&Commands);
        h.Begin();
        h.Feed("cle --now" + Home + Right + Right + Right + "\t");
        Assert.Equal("clear  --now", h.Line);
        Assert.Equal(6, h.Editor->Cursor);
        Assert.Equal("> clear  --now", h.Screen.Row(0));
        Assert.Equal(8, h.Screen.Console->CursorColumn);
        h.Screen.Dispose();
    }

    [Fact]
    public void Ctrl_c_prints_caret_c_and_cancels_the_line()
    {
        using var h = new HostEditor();
        h.Feed("some text" + Left + Left);
        h.TakeOutput();
        Assert.Equal(LineResult.Cancelled, h.Feed("\x03"));
        Assert.Equal(Esc + "[2C^C\r\n", h.TakeOutput());
        Assert.Equal(0, h.Editor->Length);
        Assert.Equal("", h.Line);
        Assert.Equal(0, h.Editor->HistoryCount);
        Assert.Equal(LineResult.LineReady, h.Feed("ok\r"));
        Assert.Equal("ok", h.Lines[^1]);
    }

    [Fact]
    public void Ctrl_l_asks_for_a_clear_and_redraw_restores_the_line()
    {
        using var h = new HostEditor();
        h.Feed("abc" + Left);
        h.TakeOutput();
        Assert.Equal(LineResult.ClearScreen, h.Feed("\x0c"));
        Assert.Equal("", h.TakeOutput());
        Assert.Equal("abc", h.Line);
        h.Redraw();
        Assert.Equal("\r> abc" + Esc + "[K" + Esc + "[D", h.TakeOutput());
    }

    [Fact]
    public void Ctrl_d_on_an_empty_line_is_end_of_input()
    {
        using var h = new HostEditor();
        Assert.Equal(LineResult.EndOfInput, h.Feed("\x04"));
        Assert.Equal(LineResult.LineReady, h.Feed("x\r"));
    }

    [Fact]
    public void Feed_after_a_finished_line_starts_a_new_one_without_a_prompt()
    {
        using var h = new HostEditor();
        h.Feed("first\r");
        h.TakeOutput();
        Assert.Equal("first", h.Line);      // still readable after LineReady
        h.Feed("s");
        Assert.Equal("s", h.Line);
        Assert.Equal("s", h.TakeOutput());
        h.Begin();
        Assert.Equal("> ", h.TakeOutput());
        Assert.Equal("", h.Line);
    }

    [Fact]
    public void Long_prompt_is_cut_and_byte_prompt_works()
    {
        using var h = new HostEditor(new string('p', 100));
        h.Begin();
        Assert.Equal(new string('p', LineEditor.MaxPrompt), h.TakeOutput());
        byte* p = stackalloc byte[] { (byte)'#', (byte)' ' };
        h.Editor->SetPrompt(p, 2);
        h.Begin();
        Assert.Equal("# ", h.TakeOutput());
    }

    [Fact]
    public void A_10000_byte_paste_fills_the_line_refuses_the_rest_and_stays_usable()
    {
        using var h = new HostEditor();
        var paste = new StringBuilder();
        for (int i = 0; i < 10_000; i++) paste.Append((char)('a' + i % 26));
        h.TakeOutput();
        Assert.Equal(LineResult.None, h.Feed(paste.ToString()));
        Assert.Equal(LineEditor.MaxLength, h.Editor->Length);
        Assert.Equal(paste.ToString(0, LineEditor.MaxLength), h.Line);
        string output = h.TakeOutput();
        Assert.Equal(LineEditor.MaxLength + 1, output.Length);   // the echo, then one BEL
        Assert.EndsWith("\a", output);
        h.Feed("\x7f" + "Z");
        Assert.EndsWith("Z", h.Line);
        Assert.Equal(LineResult.LineReady, h.Feed("\r"));
        Assert.Equal(LineEditor.MaxLength, h.Lines[^1].Length);
        h.Feed("help\r");
        Assert.Equal("help", h.Lines[^1]);
        h.Feed(Up + Up);
        Assert.Equal(LineEditor.MaxLength, h.Editor->Length); // a full-length line survives history
    }

    [Fact]
    public void Random_binary_input_of_100000_bytes_leaves_it_usable()
    {
        const int seed = 31337;
        var rng = new Random(seed);
        using var h = new HostEditor();
        h.Editor->SetCompletion(&Commands);
        byte[] junk = new byte[100_000];
        rng.NextBytes(junk);
        for (int i = 0; i < junk.Length; i += 1000)
        {
            h.Feed(junk.AsSpan(i, 1000).ToArray());
            Assert.InRange(h.Editor->Length, 0, LineEditor.MaxLength);
            Assert.InRange(h.Editor->Cursor, 0, h.Editor->Length);
            foreach (char ch in h.Line)
                Assert.True(ch >= 0x20 && ch < 0x7f, $"seed {seed}: byte {(int)ch:x2} in the line");
            h.TakeOutput();
        }
        foreach (string l in h.Lines)
            Assert.InRange(l.Length, 0, LineEditor.MaxLength);
        Assert.NotEmpty(h.Lines); // random bytes contain CR and LF: lines did complete
        // Ctrl-C ends whatever half sequence and half line the junk left behind.
        h.Feed("\x03" + "help\r");
        Assert.Equal(LineResult.LineReady, h.Results[^1]);
        Assert.Equal("help", h.Lines[^1]);
        h.Feed("again\r");
        Assert.Equal("again", h.Lines[^1]);
    }
}
