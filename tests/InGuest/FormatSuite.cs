// TextBuilder in the guest: the same cases as tests/Kernel.Tests/TextBuilderTests.cs, run on the
// kernel's own core library and compiler output (long.MinValue, division, truncation).
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class FormatSuite
{
    public const string Name = "format";

    public static void Register(TestSuite suite)
    {
        suite.Add("decimal_zero", &DecimalZero);
        suite.Add("decimal_min_long", &DecimalMinLong);
        suite.Add("decimal_max_long", &DecimalMaxLong);
        suite.Add("decimal_max_ulong", &DecimalMaxULong);
        suite.Add("decimal_negative", &DecimalNegative);
        suite.Add("decimal_width", &DecimalWidth);
        suite.Add("decimal_signed_width", &DecimalSignedWidth);
        suite.Add("hex_min_digits", &HexMinDigits);
        suite.Add("hex_high_half_address", &HexHighHalf);
        suite.Add("non_ascii_char", &NonAsciiChar);
        suite.Add("padded_strings", &PaddedStrings);
        suite.Add("padded_bytes", &PaddedBytes);
        suite.Add("repeat_counts", &RepeatCounts);
        suite.Add("truncation_sets_flag", &TruncationSetsFlag);
        suite.Add("exactly_full_not_truncated", &ExactlyFull);
        suite.Add("no_write_past_capacity", &NoWritePastCapacity);
        suite.Add("clear_resets", &ClearResets);
    }

    static void Expect(ref TextBuilder t, string expected, string what)
    {
        KTest.ExpectBytes(t.Buffer, t.Length, expected, what);
    }

    static void DecimalZero()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendDecimal(0L);
        t.Append(' ');
        t.AppendDecimal(0UL);
        Expect(ref t, "0 0", "zero");
    }

    static void DecimalMinLong()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendDecimal(-9223372036854775808L);
        Expect(ref t, "-9223372036854775808", "long.MinValue");
    }

    static void DecimalMaxLong()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendDecimal(9223372036854775807L);
        Expect(ref t, "9223372036854775807", "long.MaxValue");
    }

    static void DecimalMaxULong()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendDecimal(0xFFFFFFFFFFFFFFFFUL);
        t.Append(' ');
        t.AppendDecimal(10000000000000000000UL);
        Expect(ref t, "18446744073709551615 10000000000000000000", "ulong extremes");
    }

    static void DecimalNegative()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendDecimal(-1L);
        t.Append(' ');
        t.AppendDecimal(-1234567890L);
        Expect(ref t, "-1 -1234567890", "negative numbers");
    }

    static void DecimalWidth()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendDecimal(42UL, 6, ' ');
        t.Append('|');
        t.AppendDecimal(42UL, 6, '0');
        t.Append('|');
        t.AppendDecimal(123456UL, 3, ' ');
        Expect(ref t, "    42|000042|123456", "right-aligned widths");
    }

    static void DecimalSignedWidth()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendDecimal(-42L, 6, ' ');
        t.Append('|');
        t.AppendDecimal(-42L, 6, '0');
        Expect(ref t, "   -42|-00042", "signed widths");
    }

    static void HexMinDigits()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendHex(0, 0);
        t.Append(' ');
        t.AppendHex(0, 4);
        t.Append(' ');
        t.AppendHex(0xdeadbeef, 1);
        t.Append(' ');
        t.AppendHex(0xAB, 16);
        Expect(ref t, "0 0000 deadbeef 00000000000000ab", "hex digits");
    }

    static void HexHighHalf()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendHex(0xffffffff80000000UL, 16);
        Expect(ref t, "ffffffff80000000", "kernel base address");
    }

    static void NonAsciiChar()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.Append('a');
        t.Append((char)0xE9);
        t.Append('~');
        t.Append((char)0x80);
        t.Append("caf\u00e9");
        Expect(ref t, "a?~?caf?", "non-ASCII as '?'");
    }

    static void PaddedStrings()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendPadded("ab", 5, true);
        t.Append('|');
        t.AppendPadded("ab", 5, false);
        t.Append('|');
        t.AppendPadded("toolong", 3, true);
        Expect(ref t, "ab   |   ab|toolong", "padded strings");
    }

    static void PaddedBytes()
    {
        byte* name = stackalloc byte[4];
        name[0] = (byte)'s';
        name[1] = (byte)'l';
        name[2] = (byte)'a';
        name[3] = (byte)'b';
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendPaddedBytes(name, 4, 6, true);
        t.Append('|');
        t.AppendPaddedBytes(name, 4, 6, false);
        t.Append('|');
        t.AppendBytes(name, 4);
        Expect(ref t, "slab  |  slab|slab", "padded bytes");
    }

    static void RepeatCounts()
    {
        byte* buf = stackalloc byte[64];
        var t = new TextBuilder(buf, 64);
        t.AppendRepeat('-', 4);
        t.AppendRepeat('x', 0);
        t.AppendRepeat('y', -3);
        Expect(ref t, "----", "repeat");
        KTest.Assert(!t.Truncated, "not truncated");
    }

    static void TruncationSetsFlag()
    {
        byte* buf = stackalloc byte[8];
        var t = new TextBuilder(buf, 5);
        t.Append("hello world");
        Expect(ref t, "hello", "cut at capacity");
        KTest.Assert(t.Truncated, "Truncated set");

        t = new TextBuilder(buf, 4);
        t.AppendDecimal(-9223372036854775808L);
        Expect(ref t, "-922", "number cut at capacity");
        KTest.Assert(t.Truncated, "Truncated set for a number");
    }

    static void ExactlyFull()
    {
        byte* buf = stackalloc byte[8];
        var t = new TextBuilder(buf, 5);
        t.Append("hello");
        Expect(ref t, "hello", "exactly full");
        KTest.Assert(!t.Truncated, "exactly full is not truncated");
    }

    static void NoWritePastCapacity()
    {
        byte* buf = stackalloc byte[32];
        for (int i = 0; i < 32; i++)
            buf[i] = 0xCC;
        var t = new TextBuilder(buf + 8, 4);
        t.AppendRepeat(' ', 1000000);
        t.AppendHex(0xFFFFFFFFFFFFFFFFUL, 20);
        t.AppendPadded("x", 10, false);
        KTest.ExpectEqual(4L, (long)t.Length, "length");
        for (int i = 0; i < 8; i++)
        {
            KTest.ExpectEqual(0xCCL, (long)buf[i], "canary before the buffer");
            KTest.ExpectEqual(0xCCL, (long)buf[12 + i], "canary after the buffer");
        }

        var none = new TextBuilder(null, 100);
        none.Append("abc");
        KTest.ExpectEqual(0L, (long)none.Capacity, "null buffer has no capacity");
        KTest.Assert(none.Truncated, "null buffer truncates");
    }

    static void ClearResets()
    {
        byte* buf = stackalloc byte[8];
        var t = new TextBuilder(buf, 4);
        t.Append("abcdef");
        t.Clear();
        KTest.Assert(!t.Truncated, "Truncated cleared");
        KTest.ExpectEqual(0L, (long)t.Length, "length cleared");
        t.Append("xy");
        Expect(ref t, "xy", "after clear");
    }
}
