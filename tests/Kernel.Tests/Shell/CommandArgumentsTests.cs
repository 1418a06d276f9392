using System;
using System.Text;
using Kernel.Shell;
using Kernel.Tests.Support;
using Xunit;

namespace Kernel.Tests.Shell;

public sealed unsafe class CommandArgumentsTests
{
    static string[] Split(string line, out CommandArguments parsed)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(line);
        using var buffer = NativeBuffer.From(bytes);
        CommandArguments args;
        CommandArguments.Parse(buffer.Pointer, bytes.Length, &args);
        parsed = args;
        var words = new string[args.Count];
        for (int i = 0; i < args.Count; i++)
        {
            byte* p = args.Get(i, out int n);
            words[i] = Encoding.Latin1.GetString(p, n);
        }
        return words;
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("   \t ", new string[0])]
    [InlineData("help", new[] { "help" })]
    [InlineData("  vtop   0x1000  ", new[] { "vtop", "0x1000" })]
    [InlineData("echo a\tb", new[] { "echo", "a", "b" })]
    [InlineData("echo \"two words\" x", new[] { "echo", "two words", "x" })]
    [InlineData("echo a\"b c\"d", new[] { "echo", "ab cd" })]
    [InlineData("echo \"\"", new[] { "echo", "" })]
    public void SplitsOnSpacesAndQuotes(string line, string[] expected)
    {
        Assert.Equal(expected, Split(line, out CommandArguments args));
        Assert.False(args.UnterminatedQuote);
        Assert.Equal(0, args.Dropped);
    }

    [Fact]
    public void UnterminatedQuoteIsReported()
    {
        Assert.Equal(new[] { "echo", "open end" }, Split("echo \"open end", out CommandArguments args));
        Assert.True(args.UnterminatedQuote);
    }

    [Fact]
    public void WordsBeyondTheLimitAreCountedNotKept()
    {
        string line = string.Join(" ", Array.ConvertAll(new int[CommandArguments.MaxArguments + 5], _ => "w"));
        string[] words = Split(line, out CommandArguments args);
        Assert.Equal(CommandArguments.MaxArguments, words.Length);
        Assert.Equal(5, args.Dropped);
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("4096", 4096UL)]
    [InlineData("0x1000", 0x1000UL)]
    [InlineData("0XfFfF", 0xffffUL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("0xffffffffffffffff", ulong.MaxValue)]
    [InlineData("0xffff888000000000", 0xffff888000000000UL)]
    public void ParsesNumbers(string text, ulong expected)
    {
        byte[] b = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = b) Assert.True(CommandArguments.ParseUInt64(p, b.Length, out ulong v));
        fixed (byte* p = b) { CommandArguments.ParseUInt64(p, b.Length, out ulong v); Assert.Equal(expected, v); }
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("12a")]
    [InlineData("0xzz")]
    [InlineData("-1")]
    [InlineData("18446744073709551616")]
    [InlineData("0x10000000000000000")]
    [InlineData("1 2")]
    public void RejectsWhatIsNotANumber(string text)
    {
        byte[] b = Encoding.ASCII.GetBytes(text + "\0");
        fixed (byte* p = b) Assert.False(CommandArguments.ParseUInt64(p, text.Length, out ulong _));
    }

    [Fact]
    public void RandomBytesNeverEscapeTheLine()
    {
        var rng = new Random(20261129);
        for (int round = 0; round < 2000; round++)
        {
            var bytes = new byte[rng.Next(0, 300)];
            rng.NextBytes(bytes);
            using var buffer = NativeBuffer.From(bytes);
            CommandArguments args;
            CommandArguments.Parse(buffer.Pointer, bytes.Length, &args);
            int total = 0;
            for (int i = 0; i < args.Count; i++)
            {
                byte* p = args.Get(i, out int n);
                Assert.True(p >= buffer.Pointer && p + n <= buffer.Pointer + bytes.Length, $"word {i} outside the line (seed 20261129, round {round})");
                total += n;
            }
            Assert.True(total <= bytes.Length);
        }
    }
}
