// The kernel log. Every message goes to the ring buffer (LogBuffer, later `dmesg`); messages
// at or above the console level (default Info; `loglevel=N`, `quiet`, `debug` on the command
// line) are also written to the consoles with a timestamp, as Linux's printk does.
namespace Kernel.Diagnostics;

public static unsafe class Log
{
    static LogLevel s_consoleLevel = LogLevel.Info;

    public static LogLevel ConsoleLevel { get => s_consoleLevel; set => s_consoleLevel = value; }

    public static void Error(ref LogLine line) => Write(LogLevel.Error, ref line);
    public static void Warning(ref LogLine line) => Write(LogLevel.Warning, ref line);
    public static void Notice(ref LogLine line) => Write(LogLevel.Notice, ref line);
    public static void Info(ref LogLine line) => Write(LogLevel.Info, ref line);
    public static void Debug(ref LogLine line) => Write(LogLevel.Debug, ref line);

    public static void Error(string text) => Write(LogLevel.Error, text);
    public static void Warning(string text) => Write(LogLevel.Warning, text);
    public static void Info(string text) => Write(LogLevel.Info, text);
    public static void Debug(string text) => Write(LogLevel.Debug, text);

    public static void Write(LogLevel level, string text)
    {
        LogLine line = new LogLine(0, 0);
        line.AppendLiteral(text);
        Write(level, ref line);
    }

    public static void Write(LogLevel level, ref LogLine message)
    {
        const int Max = LogLine.Capacity + 32;
        byte* buffer = stackalloc byte[Max];
        var text = new TextBuilder(buffer, Max);
        text.Append('<');
        text.AppendDecimal((ulong)level);
        text.Append('>');
        int prefix = text.Length;
        AppendTimestamp(ref text);
        message.CopyTo(ref text);
        text.Append('\n');

        LogBuffer.Append(buffer, text.Length);
        if (level <= s_consoleLevel) KernelConsole.Write(buffer + prefix, text.Length - prefix);
    }

    /// <summary>"[    1.234567] " from the time since boot.</summary>
    static void AppendTimestamp(ref TextBuilder text)
    {
        ulong micros = Kernel.Arch.X64.Clock.MicrosecondsSinceBoot;
        text.Append('[');
        text.AppendDecimal(micros / 1000000, 5, ' ');
        text.Append('.');
        text.AppendDecimal(micros % 1000000, 6, '0');
        text.Append("] ");
    }
}
