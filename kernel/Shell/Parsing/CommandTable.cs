// Platform-neutral shared source (kernel and host tests).
// The shell's commands: a name, a one-line summary, a usage line and a function, kept in the
// order they were added (help lists them in that order). Execute splits a line, finds the
// command and runs it; an unknown name or a command reporting bad usage gets the error and
// the usage line here, so every command answers mistakes the same way.
using Kernel.Diagnostics;

namespace Kernel.Shell;

/// <summary>What a command reports. BadUsage makes the shell print the usage line after the
/// command's own message.</summary>
public enum CommandStatus { Ok = 0, Failed = 1, BadUsage = 2, NotFound = 3, Empty = 4 }

public unsafe sealed class CommandTable
{
    public const int MaxCommands = 48;
    /// <summary>Longest command name shown in an error (a pasted line can be anything).</summary>
    const int MaxEchoedName = 40;

    readonly string[] _names = new string[MaxCommands];
    readonly string[] _summaries = new string[MaxCommands];
    readonly string[] _usages = new string[MaxCommands];
    readonly ulong[] _functions = new ulong[MaxCommands];
    int _count;

    public int Count => _count;
    public string NameAt(int i) => i >= 0 && i < _count ? _names[i] : null;
    public string SummaryAt(int i) => i >= 0 && i < _count ? _summaries[i] : null;
    public string UsageAt(int i) => i >= 0 && i < _count ? _usages[i] : null;

    /// <summary>False when the table is full or the name is taken (nothing changes).</summary>
    public bool Add(string name, string summary, string usage,
        delegate*<CommandArguments*, ref TextBuilder, CommandStatus> run)
    {
        if (_count == MaxCommands || name == null || name.Length == 0 || run == null || Find(name) >= 0) return false;
        _names[_count] = name;
        _summaries[_count] = summary;
        _usages[_count] = usage;
        _functions[_count] = (ulong)run;
        _count++;
        return true;
    }

    public int Find(string name)
    {
        for (int i = 0; i < _count; i++) if (SameText(_names[i], name)) return i;
        return -1;
    }

    static bool SameText(string a, string b)
    {
        if (a == null || b == null || a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    public int Find(byte* name, int length)
    {
        for (int i = 0; i < _count; i++)
        {
            string n = _names[i];
            if (n.Length != length) continue;
            int k = 0;
            while (k < length && name[k] == (byte)n[k]) k++;
            if (k == length) return i;
        }
        return -1;
    }

    /// <summary>Runs <paramref name="line"/> (modified in place by the split).</summary>
    public CommandStatus Execute(byte* line, int length, ref TextBuilder output)
    {
        CommandArguments args;
        CommandArguments.Parse(line, length, &args);
        if (args.Count == 0) return CommandStatus.Empty;
        byte* name = args.Get(0, out int nameLength);
        int index = Find(name, nameLength);
        if (index < 0)
        {
            args.AppendPrintable(ref output, 0, MaxEchoedName);
            if (nameLength > MaxEchoedName) output.Append("...");
            output.Append(": command not found (help lists the commands)\n");
            return CommandStatus.NotFound;
        }
        if (args.UnterminatedQuote || args.Dropped > 0)
        {
            output.Append(_names[index]);
            output.Append(args.Dropped > 0 ? ": too many arguments\n" : ": unterminated quote\n");
            AppendUsage(ref output, index);
            return CommandStatus.BadUsage;
        }
        var run = (delegate*<CommandArguments*, ref TextBuilder, CommandStatus>)_functions[index];
        CommandStatus status = run(&args, ref output);
        if (status == CommandStatus.BadUsage) AppendUsage(ref output, index);
        return status;
    }

    public void AppendUsage(ref TextBuilder output, int index)
    {
        output.Append("usage: ");
        output.Append(_usages[index]);
        output.Append('\n');
    }

    /// <summary>"name: message" and BadUsage, for commands rejecting their arguments.</summary>
    public static CommandStatus Usage(ref TextBuilder output, string command, string message)
    {
        output.Append(command);
        output.Append(": ");
        output.Append(message);
        output.Append('\n');
        return CommandStatus.BadUsage;
    }

    /// <summary>A usage error unless the command got between min and max words after its name.</summary>
    public static bool ExpectArguments(CommandArguments* args, int min, int max, ref TextBuilder output, string command, out CommandStatus status)
    {
        int n = args->Count - 1;
        status = CommandStatus.Ok;
        if (n >= min && n <= max) return true;
        status = Usage(ref output, command, n < min ? "missing argument" : "too many arguments");
        return false;
    }
}
