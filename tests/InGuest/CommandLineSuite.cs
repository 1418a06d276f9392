// The kernel command line parser in the guest: cases mirroring
// tests/Kernel.Tests/CommandLineTests.cs. Uses its own CommandLine (not BootData's).
using Kernel.Boot;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class CommandLineSuite
{
    public const string Name = "cmdline";

    // About 3 KiB: kept out of the stack frames.
    static CommandLine s_cmdline;

    public static void Register(TestSuite suite)
    {
        suite.Add("keys_values_flags", &KeysValuesFlags);
        suite.Add("empty_input", &EmptyInput);
        suite.Add("quoted_value", &QuotedValue);
        suite.Add("whole_token_quoted", &WholeTokenQuoted);
        suite.Add("empty_value_not_flag", &EmptyValueNotFlag);
        suite.Add("first_equals_splits", &FirstEqualsSplits);
        suite.Add("stops_at_nul_and_length", &StopsAtNulAndLength);
        suite.Add("last_occurrence_wins", &LastOccurrenceWins);
        suite.Add("dash_underscore_alike", &DashUnderscoreAlike);
        suite.Add("uint64_suffixes", &UInt64Suffixes);
        suite.Add("uint64_rejects", &UInt64Rejects);
        suite.Add("value_list", &ValueList);
        suite.Add("known_keys", &KnownKeys);
        suite.Add("too_many_tokens", &TooManyTokens);
        suite.Add("overlong_truncated", &OverlongTruncated);
    }

    static CommandLine* Cl
    {
        get { fixed (CommandLine* p = &s_cmdline) return p; }
    }

    /// <summary>Parses an ASCII literal (at most 1024 characters).</summary>
    static CommandLine* Parse(string text)
    {
        byte* buf = stackalloc byte[1024];
        int n = text.Length < 1024 ? text.Length : 1024;
        for (int i = 0; i < n; i++)
            buf[i] = (byte)text[i];
        CommandLine.Parse(buf, n, Cl);
        return Cl;
    }

    static void ExpectValue(CommandLine* c, string key, string expected)
    {
        byte* v;
        int n;
        KTest.Assert(c->TryGetValue(key, out v, out n), key);
        KTest.ExpectBytes(v, n, expected, key);
        KTest.Assert(v[n] == 0, "value is NUL-terminated");
    }

    static void KeysValuesFlags()
    {
        var c = Parse("test=format,cmdline quiet  loglevel=7\tconsole=ttyS0,115200\ndebug");
        KTest.ExpectEqual(5L, (long)c->Count, "token count");
        ExpectValue(c, "test", "format,cmdline");
        ExpectValue(c, "loglevel", "7");
        ExpectValue(c, "console", "ttyS0,115200");
        KTest.Assert(c->Has("quiet") && c->Has("debug"), "flags present");
        KTest.Assert(!c->HasValue(1), "quiet has no value");
        byte* k;
        int kn;
        KTest.Assert(c->GetKey(2, out k, out kn), "key 2");
        KTest.ExpectBytes(k, kn, "loglevel", "third key");
        KTest.ExpectEqual(0L, (long)c->DroppedTokens, "nothing dropped");
    }

    static void EmptyInput()
    {
        KTest.ExpectEqual(0L, (long)Parse("")->Count, "empty");
        KTest.ExpectEqual(0L, (long)Parse("   \t \n ")->Count, "whitespace only");
        CommandLine.Parse(null, 100, Cl);
        KTest.ExpectEqual(0L, (long)Cl->Count, "null text");
        KTest.Assert(!Cl->Has("quiet"), "nothing found");
    }

    static void QuotedValue()
    {
        var c = Parse("init=\"/bin/sh -c echo\" quiet");
        KTest.ExpectEqual(2L, (long)c->Count, "token count");
        ExpectValue(c, "init", "/bin/sh -c echo");
    }

    static void WholeTokenQuoted()
    {
        var c = Parse("\"init=/bin/sh -c echo\" \"flag with space\"");
        KTest.ExpectEqual(2L, (long)c->Count, "token count");
        ExpectValue(c, "init", "/bin/sh -c echo");
        KTest.Assert(c->Has("flag with space"), "quoted flag");
    }

    static void EmptyValueNotFlag()
    {
        var c = Parse("init= quiet \"\"");
        KTest.ExpectEqual(2L, (long)c->Count, "a lone \"\" is no token");
        ExpectValue(c, "init", "");
        KTest.Assert(c->HasValue(0), "init= has a value");
        byte* v;
        int n;
        KTest.Assert(!c->TryGetValue("quiet", out v, out n), "flag has no value");
    }

    static void FirstEqualsSplits()
    {
        var c = Parse("root=UUID=1234");
        KTest.Assert(c->ValueEquals("root", "UUID=1234"), "value keeps later '='");
    }

    static void StopsAtNulAndLength()
    {
        byte* buf = stackalloc byte[16];
        const string Text = "quiet\0debug";
        for (int i = 0; i < Text.Length; i++)
            buf[i] = (byte)Text[i];
        CommandLine.Parse(buf, Text.Length, Cl);
        KTest.Assert(Cl->Has("quiet") && !Cl->Has("debug"), "stops at NUL");
        KTest.ExpectEqual(5L, (long)Cl->RawLength, "raw length");

        buf[5] = (byte)' ';
        CommandLine.Parse(buf, 5, Cl);
        KTest.Assert(Cl->Has("quiet") && !Cl->Has("debug"), "stops at length");
    }

    static void LastOccurrenceWins()
    {
        var c = Parse("loglevel=3 loglevel=7");
        KTest.Assert(c->ValueEquals("loglevel", "7"), "last value");
        KTest.ExpectEqual(1L, (long)c->FindLast("loglevel"), "index of last");
    }

    static void DashUnderscoreAlike()
    {
        var c = Parse("init-on-free=1 slab_debug Quiet");
        KTest.Assert(c->ValueEquals("init_on_free", "1"), "dash matches underscore");
        KTest.Assert(c->Has("slab-debug"), "underscore matches dash");
        KTest.Assert(!c->Has("quiet"), "keys are case-sensitive");
    }

    static void ExpectNumber(string text, ulong expected)
    {
        var c = Parse(text);
        ulong v;
        KTest.Assert(c->TryGetUInt64("mem", out v), text);
        KTest.ExpectEqual(expected, v, text);
    }

    static void UInt64Suffixes()
    {
        ExpectNumber("mem=128M", 128UL << 20);
        ExpectNumber("mem=4k", 4096);
        ExpectNumber("mem=2G", 2UL << 30);
        ExpectNumber("mem=1T", 1UL << 40);
        ExpectNumber("mem=0x1000", 0x1000);
        ExpectNumber("mem=0x10K", 0x4000);
        ExpectNumber("mem=010", 10);
        ExpectNumber("mem=18446744073709551615", 0xFFFFFFFFFFFFFFFFUL);
    }

    static void ExpectNoNumber(string text)
    {
        ulong v;
        KTest.Assert(!Parse(text)->TryGetUInt64("mem", out v), text);
    }

    static void UInt64Rejects()
    {
        ExpectNoNumber("mem=18446744073709551616");
        ExpectNoNumber("mem=16777216T");
        ExpectNoNumber("mem=");
        ExpectNoNumber("mem=0x");
        ExpectNoNumber("mem=12a");
        ExpectNoNumber("mem=-1");
        ExpectNoNumber("mem");
    }

    static void ValueList()
    {
        var c = Parse("test=format,cmdline");
        KTest.Assert(c->ValueListContains("test", "format"), "first element");
        KTest.Assert(c->ValueListContains("test", "cmdline"), "last element");
        KTest.Assert(!c->ValueListContains("test", "cmd"), "no prefix match");
        KTest.Assert(!c->ValueListContains("crash", "format"), "other key");
        c = Parse("test=all");
        KTest.Assert(c->ValueListContains("test", "all"), "all");
        KTest.Assert(!c->ValueListContains("test", "format"), "all is not a wildcard here");
        c = Parse("test=buddy test=slab,vma");
        KTest.Assert(c->ValueListContains("test", "buddy") && c->ValueListContains("test", "vma"), "every occurrence counts");
    }

    static void KnownKeys()
    {
        var c = Parse("test=all crash=divide loglevel=1 console=ttyS0 init=/init init_on_free=1 slab_debug quiet debug mem=64M bench=all bogus=1");
        KTest.ExpectEqual(12L, (long)c->Count, "token count");
        for (int i = 0; i < 11; i++)
            KTest.Assert(c->IsKnownKey(i), "known key");
        KTest.Assert(!c->IsKnownKey(11), "bogus is unknown");
        KTest.Assert(!c->IsKnownKey(12), "out of range");
    }

    static void TooManyTokens()
    {
        // 70 flags "a0".."a69" style: two-letter tokens keep this well under 1024 bytes.
        byte* buf = stackalloc byte[512];
        int n = 0;
        for (int i = 0; i < 70; i++)
        {
            buf[n++] = (byte)('a' + i / 26);
            buf[n++] = (byte)('a' + i % 26);
            buf[n++] = (byte)' ';
        }
        CommandLine.Parse(buf, n, Cl);
        KTest.ExpectEqual((long)CommandLine.MaxTokens, (long)Cl->Count, "kept tokens");
        KTest.ExpectEqual(6L, (long)Cl->DroppedTokens, "dropped tokens");
        KTest.Assert(Cl->Has("cl"), "token 63 kept"); // 63 = 2*26 + 11
        KTest.Assert(!Cl->Has("cm"), "token 64 dropped");
    }

    static void OverlongTruncated()
    {
        byte* buf = stackalloc byte[2000];
        buf[0] = (byte)'i';
        buf[1] = (byte)'n';
        buf[2] = (byte)'i';
        buf[3] = (byte)'t';
        buf[4] = (byte)'=';
        for (int i = 5; i < 2000; i++)
            buf[i] = (byte)'x';
        CommandLine.Parse(buf, 2000, Cl);
        KTest.Assert(Cl->Truncated, "Truncated set");
        KTest.ExpectEqual((long)CommandLine.MaxBytes, (long)Cl->RawLength, "raw length capped");
        byte* v;
        int vn;
        KTest.Assert(Cl->TryGetValue("init", out v, out vn), "value kept");
        KTest.ExpectEqual((long)(CommandLine.MaxBytes - 5), (long)vn, "value cut at the byte limit");
    }
}
