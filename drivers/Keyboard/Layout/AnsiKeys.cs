// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Key events -> the bytes a VT100/xterm terminal would send, so that PS/2 keyboard input and
// serial input reach the line editor through one ANSI input path:
//   Up/Down/Right/Left ESC [ A/B/C/D    Home ESC [ H    End ESC [ F
//   Insert ESC [ 2 ~   Delete ESC [ 3 ~   PageUp ESC [ 5 ~   PageDown ESC [ 6 ~
//   F1..F4 ESC O P..S  F5..F12 ESC [ 15/17/18/19/20/21/23/24 ~   Shift+Tab ESC [ Z
// With Shift/Alt/Ctrl held, cursor and function keys carry xterm's modifier parameter
// m = 1 + Shift + 2*Alt + 4*Ctrl: Ctrl+Left = ESC [ 1 ; 5 D, Shift+Delete = ESC [ 3 ; 2 ~.
// Characters go out as themselves (Enter '\r', Backspace 0x7f); Alt+character is ESC first
// (the "meta sends escape" convention). Releases and modifier keys produce nothing.
namespace Kernel.Drivers.Keyboard;

public static unsafe class AnsiKeys
{
    /// <summary>Longest sequence produced (ESC [ 2 4 ; 8 ~ is 7 bytes).</summary>
    public const int MaxSequence = 8;
    public const byte Esc = 0x1b;

    /// <summary>
    /// Writes the bytes for <paramref name="ev"/> to <paramref name="buffer"/> and returns how
    /// many (0 when the event types nothing, or when they do not all fit in
    /// <paramref name="capacity"/>: a sequence is never cut).
    /// </summary>
    public static int Encode(in KeyEvent ev, byte* buffer, int capacity)
    {
        if (!ev.Pressed || buffer == null)
            return 0;
        byte* seq = stackalloc byte[MaxSequence];
        int n = Build(ev, seq);
        if (n == 0 || n > capacity)
            return 0;
        for (int i = 0; i < n; i++)
            buffer[i] = seq[i];
        return n;
    }

    static int Build(in KeyEvent ev, byte* s)
    {
        int m = 1 + (ev.Shift ? 1 : 0) + (ev.Alt ? 2 : 0) + (ev.Ctrl ? 4 : 0);
        switch (ev.Key)
        {
            case KeyCode.Up: return Cursor(s, 'A', m);
            case KeyCode.Down: return Cursor(s, 'B', m);
            case KeyCode.Right: return Cursor(s, 'C', m);
            case KeyCode.Left: return Cursor(s, 'D', m);
            case KeyCode.Home: return Cursor(s, 'H', m);
            case KeyCode.End: return Cursor(s, 'F', m);
            case KeyCode.Insert: return Tilde(s, 2, m);
            case KeyCode.Delete: return Tilde(s, 3, m);
            case KeyCode.PageUp: return Tilde(s, 5, m);
            case KeyCode.PageDown: return Tilde(s, 6, m);
            case KeyCode.F1: return Ss3(s, 'P', m);
            case KeyCode.F2: return Ss3(s, 'Q', m);
            case KeyCode.F3: return Ss3(s, 'R', m);
            case KeyCode.F4: return Ss3(s, 'S', m);
            case KeyCode.F5: return Tilde(s, 15, m);
            case KeyCode.F6: return Tilde(s, 17, m);
            case KeyCode.F7: return Tilde(s, 18, m);
            case KeyCode.F8: return Tilde(s, 19, m);
            case KeyCode.F9: return Tilde(s, 20, m);
            case KeyCode.F10: return Tilde(s, 21, m);
            case KeyCode.F11: return Tilde(s, 23, m);
            case KeyCode.F12: return Tilde(s, 24, m);
            case KeyCode.Tab:
                if (ev.Shift)
                {
                    s[0] = Esc;
                    s[1] = (byte)'[';
                    s[2] = (byte)'Z';
                    return 3;
                }
                break;
        }
        char c = ev.Character;
        if (c == '\0' || c >= (char)0x80)
            return 0;
        int n = 0;
        if (ev.Alt && c != (char)Esc)
            s[n++] = Esc;
        s[n++] = (byte)c;
        return n;
    }

    /// <summary>ESC [ X, or ESC [ 1 ; m X with modifiers.</summary>
    static int Cursor(byte* s, char final, int m)
    {
        s[0] = Esc;
        s[1] = (byte)'[';
        int n = 2;
        if (m > 1)
        {
            s[n++] = (byte)'1';
            s[n++] = (byte)';';
            s[n++] = (byte)('0' + m);
        }
        s[n++] = (byte)final;
        return n;
    }

    /// <summary>ESC O X, or ESC [ 1 ; m X with modifiers (xterm's F1..F4).</summary>
    static int Ss3(byte* s, char final, int m)
    {
        if (m > 1)
            return Cursor(s, final, m);
        s[0] = Esc;
        s[1] = (byte)'O';
        s[2] = (byte)final;
        return 3;
    }

    /// <summary>ESC [ code ~, or ESC [ code ; m ~ with modifiers.</summary>
    static int Tilde(byte* s, int code, int m)
    {
        s[0] = Esc;
        s[1] = (byte)'[';
        int n = 2;
        if (code >= 10)
            s[n++] = (byte)('0' + code / 10);
        s[n++] = (byte)('0' + code % 10);
        if (m > 1)
        {
            s[n++] = (byte)';';
            s[n++] = (byte)('0' + m);
        }
        s[n++] = (byte)'~';
        return n;
    }
}
