using System;
using System.Text;
using Kernel.Diagnostics;
using Kernel.Shell;
using Kernel.Tests.Support;
using Xunit;

namespace Kernel.Tests.Shell;

/// <summary>The registry and dispatch the shell uses, with stand-in commands.</summary>
public sealed unsafe class CommandTableTests
{
    static int s_calls;
    static int s_lastCount;

    static CommandStatus Count(CommandArguments* args, ref TextBuilder output)
    {
        s_calls++;
        s_lastCount = args->Count;
        output.Append("ran\n");
        return CommandStatus.Ok;
    }

    static CommandStatus NeedsOne(CommandArguments* args, ref TextBuilder output)
    {
        if (!CommandTable.ExpectArguments(args, 1, 1, ref output, "one", out CommandStatus status)) return status;
        if (!args->TryGetUInt64(1, out ulong _)) return CommandTable.Usage(ref output, "one", "not a number");
        return CommandStatus.Ok;
    }

    static CommandTable Table()
    {
        var t = new CommandTable();
        Assert.True(t.Add("count", "counts calls", "count [anything]", &Count));
        Assert.True(t.Add("one", "takes one number", "one NUMBER", &NeedsOne));
        return t;
    }

    static (CommandStatus, string) Run(CommandTable t, string line)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(line);
        using var lineBuffer = NativeBuffer.From(bytes);
        using var outBuffer = new NativeBuffer(4096);
        var output = new TextBuilder(outBuffer.Pointer, 4096);
        CommandStatus status = t.Execute(lineBuffer.Pointer, bytes.Length, ref output);
        return (status, Encoding.Latin1.GetString(outBuffer.Pointer, output.Length));
    }

    [Fact]
    public void RunsTheNamedCommandWithItsArguments()
    {
        s_calls = 0;
        var (status, text) = Run(Table(), "  count a b  ");
        Assert.Equal(CommandStatus.Ok, status);
        Assert.Equal("ran\n", text);
        Assert.Equal(1, s_calls);
        Assert.Equal(3, s_lastCount);
    }

    [Fact]
    public void EmptyLineRunsNothing()
    {
        s_calls = 0;
        Assert.Equal((CommandStatus.Empty, ""), Run(Table(), "   "));
        Assert.Equal(0, s_calls);
    }

    [Fact]
    public void UnknownCommandSaysSo()
    {
        var (status, text) = Run(Table(), "frob x");
        Assert.Equal(CommandStatus.NotFound, status);
        Assert.Equal("frob: command not found (help lists the commands)\n", text);
    }

    [Fact]
    public void UnknownCommandEchoIsPrintableAndShort()
    {
        var (_, text) = Run(Table(), "\x01\x1b[2J" + new string('z', 500));
        Assert.DoesNotContain('\x1b', text);
        Assert.DoesNotContain('\x01', text);
        Assert.True(text.Length < 120, text);
        Assert.Contains("...: command not found", text);
    }

    [Fact]
    public void BadUsageAddsTheUsageLine()
    {
        Assert.Equal((CommandStatus.BadUsage, "one: missing argument\nusage: one NUMBER\n"), Run(Table(), "one"));
        Assert.Equal((CommandStatus.BadUsage, "one: too many arguments\nusage: one NUMBER\n"), Run(Table(), "one 1 2"));
        Assert.Equal((CommandStatus.BadUsage, "one: not a number\nusage: one NUMBER\n"), Run(Table(), "one x"));
        Assert.Equal(CommandStatus.Ok, Run(Table(), "one 0x10").Item1);
    }

    [Fact]
    public void UnterminatedQuoteAndTooManyWordsAreUsageErrors()
    {
        Assert.Equal((CommandStatus.BadUsage, "count: unterminated quote\nusage: count [anything]\n"), Run(Table(), "count \"x"));
        string many = "count" + string.Concat(System.Linq.Enumerable.Repeat(" w", CommandArguments.MaxArguments));
        Assert.Equal((CommandStatus.BadUsage, "count: too many arguments\nusage: count [anything]\n"), Run(Table(), many));
    }

    [Fact]
    public void NamesAreUniqueAndTheTableIsBounded()
    {
        var t = new CommandTable();
        Assert.True(t.Add("a", "", "a", &Count));
        Assert.False(t.Add("a", "", "a", &Count));
        Assert.False(t.Add("", "", "", &Count));
        Assert.False(t.Add("b", "", "b", null));
        for (int i = 1; i < CommandTable.MaxCommands; i++) Assert.True(t.Add("c" + i, "", "", &Count));
        Assert.False(t.Add("overflow", "", "", &Count));
        Assert.Equal(CommandTable.MaxCommands, t.Count);
        Assert.Null(t.NameAt(CommandTable.MaxCommands));
    }

    [Fact]
    public void LookupIsExact()
    {
        CommandTable t = Table();
        byte[] c = Encoding.ASCII.GetBytes("coun");
        fixed (byte* p = c) Assert.Equal(-1, t.Find(p, c.Length));
        Assert.Equal(0, t.Find("count"));
        Assert.Equal(1, t.Find("one"));
        Assert.Equal(-1, t.Find("ONE"));
    }
}
