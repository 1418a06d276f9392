using System;
using System.Collections.Generic;

namespace Harness;

/// <summary>
/// Text as QEMU monitor `sendkey` names (US layout): letters and digits are their own names,
/// capitals and shifted symbols add "shift-", the rest have QEMU's key names.
/// </summary>
public static class SendKeys
{
    private static readonly Dictionary<char, string> Plain = new()
    {
        [' '] = "spc", ['\n'] = "ret", ['\r'] = "ret", ['\t'] = "tab", ['-'] = "minus", ['='] = "equal",
        ['['] = "bracket_left", [']'] = "bracket_right", [';'] = "semicolon", ['\''] = "apostrophe",
        ['`'] = "grave_accent", ['\\'] = "backslash", [','] = "comma", ['.'] = "dot", ['/'] = "slash",
    };

    private static readonly Dictionary<char, string> Shifted = new()
    {
        ['!'] = "1", ['@'] = "2", ['#'] = "3", ['$'] = "4", ['%'] = "5", ['^'] = "6", ['&'] = "7",
        ['*'] = "8", ['('] = "9", [')'] = "0", ['_'] = "minus", ['+'] = "equal", ['{'] = "bracket_left",
        ['}'] = "bracket_right", [':'] = "semicolon", ['"'] = "apostrophe", ['~'] = "grave_accent",
        ['|'] = "backslash", ['<'] = "comma", ['>'] = "dot", ['?'] = "slash",
    };

    public static string KeyFor(char c)
    {
        if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') return c.ToString();
        if (c >= 'A' && c <= 'Z') return "shift-" + char.ToLowerInvariant(c);
        if (Plain.TryGetValue(c, out string? name)) return name;
        if (Shifted.TryGetValue(c, out name)) return "shift-" + name;
        throw new ArgumentException($"no sendkey name for character U+{(int)c:X4}");
    }

    public static IEnumerable<string> Keys(string text)
    {
        foreach (char c in text) yield return KeyFor(c);
    }
}
