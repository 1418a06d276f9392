using System;
using System.Collections.Generic;
using System.Text;
using Kernel.Boot;
using Kernel.Tests.Support;
using Xunit;

namespace Kernel.Tests;

public unsafe class CommandLineTests : IDisposable
{
    readonly NativeBuffer _mem = new NativeBuffer(sizeof(CommandLine));
    CommandLine* Cl => (CommandLine*)_mem.Pointer;

    public void Dispose() => _mem.Dispose();

    CommandLine* Parse(string text) => ParseBytes(Encoding.ASCII.GetBytes(text));

    CommandLine* ParseBytes(byte[] bytes, int? length = null)
    {
        new Span<byte>(_mem.Pointer, _mem.Length).Fill(0x5A); // Parse must not rely on zeroed memory
        fixed (byte* p = bytes)
            CommandLine.Parse(bytes.Length == 0 ? null : p, length ?? bytes.Length, Cl);
        return Cl;
    }

    static string Str(byte* p, int n) => p == null ? null : Encoding.ASCII.GetString(p, n);

    static List<(string Key, string Value)> Tokens(CommandLine* c)
    {
        var list = new List<(string, string)>();
        for (int i = 0; i < c->Count; i++)
        {
            Assert.True(c->GetKey(i, out byte* k, out int kn));
            Assert.Equal(0, k[kn]); // NUL-terminated
            string v = null;
            if (c->GetValue(i, out byte* vp, out int vn))
            {
                Assert.Equal(0, vp[vn]);
                v = Str(vp, vn);
            }
            else
            {
                Assert.Equal(0, vn);
            }
            list.Add((Str(k, kn), v));
        }
        return list;
    }

    [Fact]
    public void SplitsKeysValuesAndFlags()
    {
        var c = Parse("test=format,cmdline quiet  loglevel=7\tconsole=ttyS0,115200\ndebug");
        Assert.Equal(new List<(string, string)>
        {
            ("test", "format,cmdline"), ("quiet", null), ("loglevel", "7"), ("console", "ttyS0,115200"), ("debug", null),
        }, Tokens(c));
        Assert.Equal(0, c->DroppedTokens);
        Assert.False(c->Truncated);
    }

    [Fact]
    public void EmptyAndWhitespaceOnly()
    {
        Assert.Equal(0, Parse("")->Count);
        Assert.Equal(0, Parse("   \t \n ")->Count);
        CommandLine.Parse(null, 100, Cl);
        Assert.Equal(0, Cl->Count);
        Assert.False(Cl->Has("quiet"));
        CommandLine.Parse(null, 0, null); // must not crash
    }

    [Fact]
    public void QuotedValueKeepsSpacesAndDropsQuotes()
    {
        var c = Parse("init=\"/bin/sh -c echo\" quiet");
        Assert.True(c->TryGetValue("init", out byte* v, out int n));
        Assert.Equal("/bin/sh -c echo", Str(v, n));
        Assert.True(c->Has("quiet"));
        Assert.Equal(2, c->Count);
    }

    [Fact]
    public void WholeTokenQuoted()
    {
        var c = Parse("\"init=/bin/sh -c echo\" \"flag with space\"");
        Assert.Equal(new List<(string, string)> { ("init", "/bin/sh -c echo"), ("flag with space", null) }, Tokens(c));
    }

    [Fact]
    public void UnterminatedQuoteRunsToEnd()
    {
        var c = Parse("a=\"x y z");
        Assert.Equal(new List<(string, string)> { ("a", "x y z") }, Tokens(c));
    }

    [Fact]
    public void EmptyValueIsNotAFlag()
    {
        var c = Parse("init= quiet \"\"");
        Assert.True(c->TryGetValue("init", out _, out int n));
        Assert.Equal(0, n);
        Assert.True(c->HasValue(0));
        Assert.False(c->HasValue(1));
        Assert.False(c->TryGetValue("quiet", out _, out _));
        Assert.True(c->Has("quiet"));
        Assert.Equal(2, c->Count); // a lone "" is not a token
    }

    [Fact]
    public void OnlyFirstEqualsSplits()
    {
        var c = Parse("root=UUID=1234");
        Assert.True(c->ValueEquals("root", "UUID=1234"));
    }

    [Fact]
    public void StopsAtNulAndLength()
    {
        var c = ParseBytes(Encoding.ASCII.GetBytes("quiet\0debug"));
        Assert.True(c->Has("quiet"));
        Assert.False(c->Has("debug"));
        Assert.Equal(5, c->RawLength);

        c = ParseBytes(Encoding.ASCII.GetBytes("quiet debug"), 5);
        Assert.True(c->Has("quiet"));
        Assert.False(c->Has("debug"));
    }

    [Fact]
    public void RawCopyIsKept()
    {
        var c = Parse("a=\"b c\"  d");
        c->GetRaw(out byte* p, out int n);
        Assert.Equal("a=\"b c\"  d", Str(p, n));
        Assert.Equal(0, p[n]);
    }

    [Fact]
    public void LastOccurrenceWins()
    {
        var c = Parse("loglevel=3 loglevel=7");
        Assert.True(c->ValueEquals("loglevel", "7"));
        Assert.False(c->ValueEquals("loglevel", "3"));
        Assert.Equal(1, c->FindLast("loglevel"));
    }

    [Fact]
    public void DashAndUnderscoreMatchAlike()
    {
        var c = Parse("init-on-free=1 slab_debug");
        Assert.True(c->ValueEquals("init_on_free", "1"));
        Assert.True(c->Has("slab-debug"));
        Assert.True(c->IsKnownKey(0));
    }

    [Fact]
    public void KeysAreCaseSensitiveAndExact()
    {
        var c = Parse("Quiet testing=1");
        Assert.False(c->Has("quiet"));
        Assert.False(c->Has("test"));
        Assert.False(c->Has("testing=1"));
        Assert.True(c->Has("testing"));
    }

    [Theory]
    [InlineData("mem=128M", true, 128UL << 20)]
    [InlineData("mem=128m", true, 128UL << 20)]
    [InlineData("mem=4k", true, 4096UL)]
    [InlineData("mem=2G", true, 2UL << 30)]
    [InlineData("mem=1T", true, 1UL << 40)]
    [InlineData("mem=0x1000", true, 0x1000UL)]
    [InlineData("mem=0XfF", true, 0xffUL)]
    [InlineData("mem=0x10K", true, 0x4000UL)]
    [InlineData("mem=010", true, 10UL)]
    [InlineData("mem=18446744073709551615", true, ulong.MaxValue)]
    [InlineData("mem=18446744073709551616", false, 0UL)]
    [InlineData("mem=0xffffffffffffffff", true, ulong.MaxValue)]
    [InlineData("mem=0x10000000000000000", false, 0UL)]
    [InlineData("mem=16777216T", false, 0UL)]
    [InlineData("mem=16777215T", true, 16777215UL << 40)]
    [InlineData("mem=", false, 0UL)]
    [InlineData("mem=K", false, 0UL)]
    [InlineData("mem=0x", false, 0UL)]
    [InlineData("mem=12a", false, 0UL)]
    [InlineData("mem=-1", false, 0UL)]
    [InlineData("mem= 1", false, 0UL)]
    [InlineData("mem", false, 0UL)]
    [InlineData("other=5", false, 0UL)]
    public void UInt64Values(string text, bool ok, ulong expected)
    {
        var c = Parse(text);
        Assert.Equal(ok, c->TryGetUInt64("mem", out ulong v));
        Assert.Equal(expected, v);
    }

    [Fact]
    public void ValueListMembership()
    {
        var c = Parse("test=format,cmdline");
        Assert.True(c->ValueListContains("test", "format"));
        Assert.True(c->ValueListContains("test", "cmdline"));
        Assert.False(c->ValueListContains("test", "cmd"));
        Assert.False(c->ValueListContains("test", "format,cmdline"));
        Assert.False(c->ValueListContains("test", ""));
        Assert.False(c->ValueListContains("crash", "format"));

        c = Parse("test=all");
        Assert.True(c->ValueListContains("test", "all"));
        Assert.False(c->ValueListContains("test", "format")); // no wildcard meaning

        c = Parse("test=buddy test=slab,,vma, test");
        Assert.True(c->ValueListContains("test", "buddy")); // every occurrence counts
        Assert.True(c->ValueListContains("test", "vma"));
        Assert.True(c->ValueListContains("test", "")); // empty elements exist in "slab,,vma,"
        Assert.False(c->ValueListContains("test", "vm"));
    }

    [Fact]
    public void KnownKeysTable()
    {
        var c = Parse("test=all crash=divide loglevel=1 console=ttyS0 init=/init init_on_free=1 slab_debug quiet debug mem=64M bench=all bogus=1 tests");
        Assert.Equal(13, c->Count);
        for (int i = 0; i < 11; i++)
            Assert.True(c->IsKnownKey(i), "token " + i);
        Assert.False(c->IsKnownKey(11));
        Assert.False(c->IsKnownKey(12));
        Assert.False(c->IsKnownKey(-1));
        Assert.False(c->IsKnownKey(13));
    }

    [Fact]
    public void OutOfRangeTokenAccessFails()
    {
        var c = Parse("a=1");
        Assert.False(c->GetKey(1, out byte* p, out int n));
        Assert.True(p == null);
        Assert.Equal(0, n);
        Assert.False(c->GetValue(-1, out p, out n));
        Assert.False(c->HasValue(5));
    }

    [Fact]
    public void TooManyTokensAreCountedAsDropped()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 70; i++) sb.Append("k").Append(i).Append("=\"v ").Append(i).Append("\" ");
        var c = Parse(sb.ToString().Substring(0, Math.Min(sb.Length, 1024)));
        // Each token is ~10 bytes, so 70 fit in 1024 bytes.
        Assert.True(sb.Length <= 1024, "test setup: input must fit the byte limit");
        Assert.Equal(CommandLine.MaxTokens, c->Count);
        Assert.Equal(6, c->DroppedTokens);
        Assert.True(c->ValueEquals("k63", "v 63"));
        Assert.False(c->Has("k64"));
    }

    [Fact]
    public void OverlongInputIsTruncatedSafely()
    {
        byte[] input = new byte[5000];
        input.AsSpan().Fill((byte)'x');
        Encoding.ASCII.GetBytes("init=").CopyTo(input, 0);
        var c = ParseBytes(input);
        Assert.True(c->Truncated);
        Assert.Equal(CommandLine.MaxBytes, c->RawLength);
        Assert.True(c->TryGetValue("init", out _, out int n));
        Assert.Equal(CommandLine.MaxBytes - 5, n);

        // Exactly MaxBytes is not truncated, nor is MaxBytes followed by a NUL.
        byte[] exact = new byte[CommandLine.MaxBytes + 1];
        exact.AsSpan(0, CommandLine.MaxBytes).Fill((byte)'y');
        c = ParseBytes(exact);
        Assert.False(c->Truncated);
        c = ParseBytes(exact, CommandLine.MaxBytes);
        Assert.False(c->Truncated);
        Assert.Equal(1, c->Count);
    }

    [Fact]
    public void WorstCaseTokenStorageFits()
    {
        // 512 one-letter flags and "a=b" forms: the unquoted store needs input length + 1.
        var sb = new StringBuilder();
        while (sb.Length < 1024) sb.Append(sb.Length % 3 == 0 ? "a " : "=");
        var c = Parse(sb.ToString(0, 1024));
        Assert.True(c->Count > 0);
        Tokens(c); // every key/value stays NUL-terminated inside the struct
    }

    [Fact]
    public void RandomInputNeverBreaksInvariants()
    {
        var rng = new Random(4242);
        byte[] alphabet = Encoding.ASCII.GetBytes("ab=\" ,\t\0x-_K0");
        for (int iter = 0; iter < 3000; iter++)
        {
            int len = rng.Next(0, 1400);
            byte[] input = new byte[len];
            for (int i = 0; i < len; i++)
                input[i] = rng.Next(8) == 0 ? (byte)rng.Next(256) : alphabet[rng.Next(alphabet.Length)];
            var c = ParseBytes(input);
            Assert.InRange(c->Count, 0, CommandLine.MaxTokens);
            Assert.InRange(c->RawLength, 0, CommandLine.MaxBytes);
            int nul = Array.IndexOf(input, (byte)0);
            int expectRaw = Math.Min(nul < 0 ? len : nul, CommandLine.MaxBytes);
            Assert.Equal(expectRaw, c->RawLength);
            var tokens = Tokens(c);
            foreach (var (k, v) in tokens)
            {
                Assert.DoesNotContain('"', k);
                Assert.True(v == null || !v.Contains('"'));
            }
            c->TryGetUInt64("a", out _);
            c->ValueListContains("ab", "x");
        }
    }
}
