using System.Text;
using System.Text.RegularExpressions;

namespace Harness;

/// <summary>
/// What a person would read on the serial terminal: the shell's output with ANSI control
/// sequences removed, carriage returns dropped, backspaces applied, and the output of one
/// command cut out from between its echoed line and the next prompt.
/// </summary>
public static class Terminal
{
    public const string Prompt = "kernel> ";

    private static readonly Regex Csi = new Regex(@"\x1b\[[0-9;?]*[ -/]*[@-~]", RegexOptions.Compiled);
    private static readonly Regex Osc = new Regex(@"\x1b\][^\x07\x1b]*(\x07|\x1b\\)?", RegexOptions.Compiled);

    /// <summary>Removes escape sequences, BEL and CR; applies backspaces within a line.</summary>
    public static string Plain(string raw)
    {
        string s = Osc.Replace(Csi.Replace(raw, ""), "");
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c == '\r' || c == '\a' || c == '\x1b') continue;
            if (c == '\b')
            {
                if (sb.Length > 0 && sb[^1] != '\n') sb.Length--;
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The output of the command whose line starts the (plain) text: everything after the first
    /// newline up to the last prompt. Null when no prompt followed yet.
    /// </summary>
    public static string? CommandOutput(string plainSinceSend)
    {
        int end = plainSinceSend.LastIndexOf(Prompt, System.StringComparison.Ordinal);
        if (end < 0) return null;
        int start = plainSinceSend.IndexOf('\n');
        if (start < 0 || start > end) return "";
        return plainSinceSend.Substring(start + 1, end - start - 1);
    }
}
