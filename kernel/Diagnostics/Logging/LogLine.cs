// One log message being formatted. C# lowers `Log.Info($"free {n} pages")` into calls on this
// handler (AppendLiteral("free "), AppendFormatted(n), ...), so a message is built in a fixed
// buffer on the stack: no allocation, safe in interrupt handlers and early boot.
// Format specifiers: {v:x} hex, {v:x16} hex with 16 digits, {v:d2} decimal of at least 2 digits, {v,8} / {v,-8} right/left aligned.
using System.Runtime.CompilerServices;

namespace Kernel.Diagnostics;

[InterpolatedStringHandler]
public unsafe ref struct LogLine
{
    public const int Capacity = 240;
    fixed byte _text[Capacity];
    int _length;

    public LogLine(int literalLength, int formattedCount) { _length = 0; }

    public int Length => _length;

    /// <summary>Runs an append on a TextBuilder positioned at the end of the text so far.</summary>
    TextBuilder Tail(byte* start) => new TextBuilder(start + _length, Capacity - _length);

    public void AppendLiteral(string text)
    {
        fixed (byte* p = _text) { var t = Tail(p); t.Append(text); _length += t.Length; }
    }

    public void AppendFormatted(string text) => AppendFormatted(text, 0);

    public void AppendFormatted(string text, int alignment)
    {
        fixed (byte* p = _text)
        {
            var t = Tail(p);
            if (alignment == 0) t.Append(text);
            else t.AppendPadded(text ?? "", alignment < 0 ? -alignment : alignment, alignment < 0);
            _length += t.Length;
        }
    }

    public void AppendFormatted(char c) { fixed (byte* p = _text) { var t = Tail(p); t.Append(c); _length += t.Length; } }
    public void AppendFormatted(bool value) => AppendLiteral(value ? "true" : "false");

    public void AppendFormatted(long value) => AppendSigned(value, 0);
    public void AppendFormatted(long value, int alignment) => AppendSigned(value, alignment);
    public void AppendFormatted(int value) => AppendSigned(value, 0);
    public void AppendFormatted(int value, int alignment) => AppendSigned(value, alignment);

    public void AppendFormatted(ulong value) => AppendUnsigned(value, 0, null);
    public void AppendFormatted(ulong value, int alignment) => AppendUnsigned(value, alignment, null);
    public void AppendFormatted(ulong value, string format) => AppendUnsigned(value, 0, format);
    public void AppendFormatted(ulong value, int alignment, string format) => AppendUnsigned(value, alignment, format);
    public void AppendFormatted(uint value) => AppendUnsigned(value, 0, null);
    public void AppendFormatted(uint value, int alignment) => AppendUnsigned(value, alignment, null);
    public void AppendFormatted(uint value, string format) => AppendUnsigned(value, 0, format);
    public void AppendFormatted(ushort value, string format) => AppendUnsigned(value, 0, format);
    public void AppendFormatted(byte value, string format) => AppendUnsigned(value, 0, format);

    void AppendSigned(long value, int alignment)
    {
        byte* digits = stackalloc byte[24];
        var d = new TextBuilder(digits, 24);
        d.AppendDecimal(value);
        AppendAligned(digits, d.Length, alignment);
    }

    void AppendUnsigned(ulong value, int alignment, string format)
    {
        byte* digits = stackalloc byte[24];
        var d = new TextBuilder(digits, 24);
        if (format != null && format.Length > 0 && (format[0] == 'x' || format[0] == 'X'))
            d.AppendHex(value, ParseWidth(format, 1));
        else if (format != null && format.Length > 0 && (format[0] == 'd' || format[0] == 'D'))
        {
            // {v:d2}: at least that many digits, zero-padded (as .NET's "D2").
            int width = ParseWidth(format, 1);
            for (ulong v = value; width > 1 && v >= 10; v /= 10) width--;
            for (; width > 1; width--) d.Append('0');
            d.AppendDecimal(value);
        }
        else
            d.AppendDecimal(value);
        AppendAligned(digits, d.Length, alignment);
    }

    void AppendAligned(byte* s, int n, int alignment)
    {
        fixed (byte* p = _text)
        {
            var t = Tail(p);
            t.AppendPaddedBytes(s, n, alignment < 0 ? -alignment : alignment, alignment < 0);
            _length += t.Length;
        }
    }

    static int ParseWidth(string format, int start)
    {
        int width = 0;
        for (int i = start; i < format.Length && format[i] >= '0' && format[i] <= '9'; i++)
            width = width * 10 + (format[i] - '0');
        return width == 0 ? 1 : width;
    }

    /// <summary>The formatted text; valid while this handler lives.</summary>
    public void CopyTo(ref TextBuilder destination)
    {
        fixed (byte* p = _text) destination.AppendBytes(p, _length);
    }
}
