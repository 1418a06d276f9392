// The kernel log: interpolated formatting and the ring buffer that keeps whole lines.
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class LogSuite
{
    public const string Name = "log";

    public static void Register(TestSuite suite)
    {
        suite.Add("interpolation_formats", &InterpolationFormats);
        suite.Add("alignment", &Alignment);
        suite.Add("zero_padded_decimal", &ZeroPaddedDecimal);
        suite.Add("line_truncates_safely", &LineTruncates);
        suite.Add("ring_keeps_latest_lines", &RingKeepsLatest);
    }

    static void Check(ref LogLine line, string expected)
    {
        byte* buffer = stackalloc byte[LogLine.Capacity];
        var text = new TextBuilder(buffer, LogLine.Capacity);
        line.CopyTo(ref text);
        KTest.ExpectBytes(buffer, text.Length, expected, "formatted line");
    }

    static void InterpolationFormats()
    {
        ulong address = 0xffffffff80100000;
        long negative = -42;
        LogLine line = $"a={address:x} b={negative} c={255u:x4} d={true} e={'z'}";
        Check(ref line, "a=ffffffff80100000 b=-42 c=00ff d=true e=z");
    }

    static void ZeroPaddedDecimal()
    {
        LogLine line = $"{5UL:d2} {0u:d3} {123UL:d2} {45UL:d2} {7UL:d1}";
        Check(ref line, "05 000 123 45 7");
    }

    static void Alignment()
    {
        LogLine line = $"[{7,4}][{"ab",-4}][{12UL,-3}]";
        Check(ref line, "[   7][ab  ][12 ]");
    }

    static void LineTruncates()
    {
        LogLine line = new LogLine(0, 0);
        for (int i = 0; i < 100; i++) line.AppendLiteral("0123456789");
        KTest.ExpectEqual((long)LogLine.Capacity, line.Length, "length capped at capacity");
    }

    static void RingKeepsLatest()
    {
        for (int i = 0; i < 3000; i++) Log.Debug($"log test line {i}");
        byte* copy = (byte*)Runtime.ObjectHeap.Allocate(LogBuffer.Size);
        KTest.Assert(copy != null, "scratch buffer");
        int n = LogBuffer.CopyTo(copy, LogBuffer.Size);
        KTest.Assert(n > 0 && n <= LogBuffer.Size, "held bytes within the ring");
        KTest.Assert(LogBuffer.DroppedLines > 0, "old lines dropped");
        KTest.Assert(copy[n - 1] == (byte)'\n', "ends with a whole line");
        KTest.Assert(copy[0] == (byte)'<', "starts with a whole line");
        const string Last = "log test line 2999\n";
        KTest.ExpectBytes(copy + n - Last.Length, Last.Length, Last, "latest line kept");
    }
}
