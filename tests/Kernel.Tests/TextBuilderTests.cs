using System;
using System.Text;
using Kernel.Diagnostics;
using Xunit;

namespace Kernel.Tests;

public unsafe class TextBuilderTests
{
    /// <summary>Runs <paramref name="write"/> on a builder over a buffer of
    /// <paramref name="capacity"/> bytes guarded by canary bytes, and returns the text.</summary>
    static string Build(int capacity, Action<IntPtr> write, out bool truncated)
    {
        byte[] mem = new byte[capacity + 16];
        mem.AsSpan().Fill(0xCC);
        fixed (byte* p = mem)
        {
            var tb = new TextBuilder(p + 8, capacity);
            write((IntPtr)(&tb));
            truncated = tb.Truncated;
            Assert.True(tb.Length <= capacity, "length beyond capacity");
            Assert.Equal(capacity, tb.Capacity);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(0xCC, mem[i]);
                Assert.Equal(0xCC, mem[8 + capacity + i]);
            }
            return Encoding.ASCII.GetString(p + 8, tb.Length);
        }
    }

    static string Build(Action<IntPtr> write) => Build(256, write, out _);
    static TextBuilder* B(IntPtr p) => (TextBuilder*)p;

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(7L, "7")]
    [InlineData(-1L, "-1")]
    [InlineData(1234567890L, "1234567890")]
    [InlineData(-9223372036854775808L, "-9223372036854775808")]
    [InlineData(9223372036854775807L, "9223372036854775807")]
    public void DecimalSigned(long v, string expected)
    {
        Assert.Equal(expected, Build(p => B(p)->AppendDecimal(v)));
        Assert.Equal(v.ToString(), expected); // the expectations themselves are right
    }

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(10UL, "10")]
    [InlineData(18446744073709551615UL, "18446744073709551615")]
    [InlineData(10000000000000000000UL, "10000000000000000000")]
    public void DecimalUnsigned(ulong v, string expected)
    {
        Assert.Equal(expected, Build(p => B(p)->AppendDecimal(v)));
    }

    [Fact]
    public void DecimalMatchesBclOverManyValues()
    {
        var rng = new Random(1234);
        for (int i = 0; i < 5000; i++)
        {
            long v = rng.NextInt64(long.MinValue, long.MaxValue) >> rng.Next(64);
            Assert.Equal(v.ToString(), Build(p => B(p)->AppendDecimal(v)));
            ulong u = (ulong)rng.NextInt64() << rng.Next(2) >> rng.Next(64);
            Assert.Equal(u.ToString(), Build(p => B(p)->AppendDecimal(u)));
            Assert.Equal(u.ToString("x"), Build(p => B(p)->AppendHex(u, 1)));
        }
    }

    [Theory]
    [InlineData(42UL, 6, ' ', "    42")]
    [InlineData(42UL, 6, '0', "000042")]
    [InlineData(123456UL, 3, ' ', "123456")]
    [InlineData(0UL, 1, ' ', "0")]
    public void DecimalWidthRightAligns(ulong v, int width, char pad, string expected)
    {
        Assert.Equal(expected, Build(p => B(p)->AppendDecimal(v, width, pad)));
    }

    [Theory]
    [InlineData(-42L, 6, ' ', "   -42")]
    [InlineData(-42L, 6, '0', "-00042")]
    [InlineData(-9223372036854775808L, 4, ' ', "-9223372036854775808")]
    public void SignedDecimalWidth(long v, int width, char pad, string expected)
    {
        Assert.Equal(expected, Build(p => B(p)->AppendDecimal(v, width, pad)));
    }

    [Theory]
    [InlineData(0UL, 0, "0")]
    [InlineData(0UL, 4, "0000")]
    [InlineData(0xdeadbeefUL, 1, "deadbeef")]
    [InlineData(0xABUL, 16, "00000000000000ab")]
    [InlineData(0xffffffff80000000UL, 16, "ffffffff80000000")]
    [InlineData(0x1UL, 20, "00000000000000000001")]
    public void Hex(ulong v, int minDigits, string expected)
    {
        Assert.Equal(expected, Build(p => B(p)->AppendHex(v, minDigits)));
    }

    [Fact]
    public void CharsNonAsciiBecomeQuestionMark()
    {
        Assert.Equal("a?b~?", Build(p => { var b = B(p); b->Append('a'); b->Append('é'); b->Append('b'); b->Append('~'); b->Append('\u0080'); }));
        Assert.Equal("caf? ok", Build(p => B(p)->Append("café ok")));
    }

    [Fact]
    public void PaddedStrings()
    {
        Assert.Equal("ab   |", Build(p => { B(p)->AppendPadded("ab", 5, true); B(p)->Append('|'); }));
        Assert.Equal("   ab|", Build(p => { B(p)->AppendPadded("ab", 5, false); B(p)->Append('|'); }));
        Assert.Equal("toolong|", Build(p => { B(p)->AppendPadded("toolong", 3, true); B(p)->Append('|'); }));
    }

    [Fact]
    public void PaddedBytesAndBytes()
    {
        byte[] name = Encoding.ASCII.GetBytes("slab");
        fixed (byte* n = name)
        {
            byte* np = n;
            Assert.Equal("slab  |  slab|slab", Build(p =>
            {
                B(p)->AppendPaddedBytes(np, 4, 6, true); B(p)->Append('|');
                B(p)->AppendPaddedBytes(np, 4, 6, false); B(p)->Append('|');
                B(p)->AppendBytes(np, 4);
            }));
        }
    }

    [Fact]
    public void RepeatAndNegativeCount()
    {
        Assert.Equal("----", Build(p => { B(p)->AppendRepeat('-', 4); B(p)->AppendRepeat('x', 0); B(p)->AppendRepeat('y', -3); }));
    }

    [Fact]
    public void TruncatesAtCapacityAndSetsFlag()
    {
        string s = Build(5, p => B(p)->Append("hello world"), out bool truncated);
        Assert.Equal("hello", s);
        Assert.True(truncated);

        s = Build(5, p => B(p)->Append("hello"), out truncated);
        Assert.Equal("hello", s);
        Assert.False(truncated); // exactly full is not truncated

        s = Build(4, p => { B(p)->AppendDecimal(-9223372036854775808L); }, out truncated);
        Assert.Equal("-922", s);
        Assert.True(truncated);

        s = Build(3, p => { B(p)->AppendHex(0xabcdef, 8); }, out truncated);
        Assert.Equal("00a", s);
        Assert.True(truncated);

        s = Build(2, p => { B(p)->AppendRepeat(' ', 1000000); B(p)->AppendPadded("x", 10, false); }, out truncated);
        Assert.Equal("  ", s);
        Assert.True(truncated);
    }

    [Fact]
    public void ZeroCapacityAndNullBufferNeverWrite()
    {
        string s = Build(0, p => { B(p)->Append("x"); B(p)->AppendDecimal(5UL); }, out bool truncated);
        Assert.Equal("", s);
        Assert.True(truncated);

        var tb = new TextBuilder(null, 100);
        tb.Append("abc");
        Assert.Equal(0, tb.Capacity);
        Assert.Equal(0, tb.Length);
        Assert.True(tb.Truncated);

        var neg = new TextBuilder((byte*)8, -5);
        neg.Append('a');
        Assert.Equal(0, neg.Length);
    }

    [Fact]
    public void ClearResetsLengthAndTruncation()
    {
        byte* buf = stackalloc byte[4];
        var tb = new TextBuilder(buf, 4);
        tb.Append("abcdef");
        Assert.True(tb.Truncated);
        tb.Clear();
        Assert.False(tb.Truncated);
        Assert.Equal(0, tb.Length);
        tb.Append("xy");
        Assert.Equal("xy", Encoding.ASCII.GetString(tb.Buffer, tb.Length));
        Assert.True(buf == tb.Buffer);
    }

    [Fact]
    public void NullStringAppendsNothing()
    {
        Assert.Equal("   |", Build(p => { B(p)->Append((string)null); B(p)->AppendPadded(null, 3, true); B(p)->Append('|'); }));
    }
}
