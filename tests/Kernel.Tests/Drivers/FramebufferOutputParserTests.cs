using System.Collections.Generic;
using System.Text;
using Kernel.Drivers.Framebuffer;
using Xunit;

namespace Kernel.Tests.Drivers;

public class FramebufferOutputParserTests
{
    static List<(OutputAction, int)> Run(ref OutputParser p, byte[] input)
    {
        var actions = new List<(OutputAction, int)>();
        foreach (byte b in input)
        {
            do
            {
                OutputAction a = p.Feed(b, out int v);
                if (a != OutputAction.None) actions.Add((a, v));
            } while (p.TakeRepeat());
        }
        return actions;
    }

    static List<(OutputAction, int)> Run(ref OutputParser p, string s) => Run(ref p, Encoding.Latin1.GetBytes(s));

    [Fact]
    public void Csi_parameters_are_clamped_and_defaulted()
    {
        var p = new OutputParser();
        var a = Run(ref p, "\u001b[99999999999999;5H");
        Assert.Equal(new[] { (OutputAction.Csi, (int)'H') }, a);
        Assert.Equal(2, p.ParamCount);
        Assert.Equal(OutputParser.MaxParamValue, p.Param(0, 1));
        Assert.Equal(5, p.Param(1, 1));
        Assert.Equal(7, p.Param(2, 7));

        Run(ref p, "\u001b[;4;m");
        Assert.Equal(3, p.ParamCount);
        Assert.Equal(1, p.Param(0, 1));   // empty -> default
        Assert.Equal(0, p.RawParam(0));
        Assert.Equal(4, p.RawParam(1));

        Run(ref p, "\u001b[?25l");
        Assert.Equal((byte)'?', p.PrivateMarker);
        Assert.Equal(25, p.RawParam(0));
    }

    [Fact]
    public void Too_many_parameters_swallow_the_sequence()
    {
        var p = new OutputParser();
        var sb = new StringBuilder("\u001b[");
        for (int i = 0; i < 1000; i++) sb.Append("1;");
        sb.Append("mX");
        Assert.Equal(new[] { (OutputAction.Print, (int)'X') }, Run(ref p, sb.ToString()));
        Assert.Equal(new[] { (OutputAction.Csi, (int)'m') }, Run(ref p, "\u001b[1;2;3;4;5;6;7;8m"));
        Assert.Equal(8, p.ParamCount);
    }

    [Fact]
    public void Utf8_decoding_and_the_repeat_of_a_breaking_byte()
    {
        var p = new OutputParser();
        Assert.Equal(new[] { (OutputAction.Print, 0xE9), (OutputAction.Print, 0x20AC) },
            Run(ref p, new byte[] { 0xC3, 0xA9, 0xE2, 0x82, 0xAC }));
        Assert.Equal(new[] { (OutputAction.Print, (int)'?'), (OutputAction.Control, 10) },
            Run(ref p, new byte[] { 0xE2, 0x82, 0x0A }));
        Assert.Equal(new[] { (OutputAction.Print, (int)'?'), (OutputAction.Csi, (int)'m') },
            Run(ref p, new byte[] { 0xC3, 0x1B, (byte)'[', (byte)'m' }));
        Assert.Equal(new[] { (OutputAction.Print, (int)'?') }, Run(ref p, new byte[] { 0xED, 0xA0, 0x80 })); // surrogate
    }

    [Fact]
    public void Controls_inside_a_sequence_are_reported_and_the_sequence_continues()
    {
        var p = new OutputParser();
        Assert.Equal(new[] { (OutputAction.Control, 13), (OutputAction.Csi, (int)'A') }, Run(ref p, "\u001b[2\rA"));
        Assert.Equal(2, p.Param(0, 1));
        Assert.Equal(new[] { (OutputAction.Escape, (int)'c') }, Run(ref p, "\u001bc"));
        Assert.Equal(new[] { (OutputAction.Print, (int)'z') }, Run(ref p, "\u001b]0;title\az"));
        // An unterminated title is given up after MaxStringBytes: the rest shows as text.
        var tail = Run(ref p, "\u001b]" + new string('t', 300) + "z");
        Assert.Equal(300 - OutputParser.MaxStringBytes - 1 + 1, tail.Count);
        Assert.Equal((OutputAction.Print, (int)'z'), tail[^1]);
    }
}
