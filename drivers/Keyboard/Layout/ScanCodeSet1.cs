// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// PS/2 scan code set 1 on a US keyboard (the i8042 translates the keyboard's set 2 to set 1
// by default). A make code is 0x01..0x58, its break code is make | 0x80. Extended keys are
// preceded by 0xe0; Pause sends e1 1d 45 e1 9d c5 and nothing on release.
// The tables are string literals indexed by make code ('\0' = no character there).
namespace Kernel.Drivers.Keyboard;

public static class ScanCodeSet1
{
    public const byte ExtendedPrefix = 0xe0;
    public const byte PausePrefix = 0xe1;
    public const byte BreakBit = 0x80;

    // Controller and keyboard replies that can arrive in the data stream.
    public const byte Ack = 0xfa;
    public const byte Resend = 0xfe;
    public const byte Echo = 0xee;
    public const byte ErrorLow = 0x00;
    public const byte ErrorHigh = 0xff;
    public const byte SelfTestFailed1 = 0xfc;
    public const byte SelfTestFailed2 = 0xfd;

    public const int MainTableSize = 0x3a;

    const string Plain = "\0\0" + "1234567890-=" + "\0\0" + "qwertyuiop[]" + "\0\0"
        + "asdfghjkl;'`" + "\0" + "\\" + "zxcvbnm,./" + "\0" + "*" + "\0" + " ";
    const string Shifted = "\0\0" + "!@#$%^&*()_+" + "\0\0" + "QWERTYUIOP{}" + "\0\0"
        + "ASDFGHJKL:\"~" + "\0" + "|" + "ZXCVBNM<>?" + "\0" + "*" + "\0" + " ";
    // Keypad 0x47..0x53 with Num Lock on.
    const string Keypad = "789-456+1230.";

    /// <summary>The character of a main-block make code (0x00..0x39), plain or shifted; 0 if none.</summary>
    public static char MainCharacter(byte make, bool shifted)
    {
        if (make >= MainTableSize)
            return '\0';
        return shifted ? Shifted[make] : Plain[make];
    }

    /// <summary>Keypad make codes 0x47..0x53: the character with Num Lock on ('\0' if not keypad).</summary>
    public static char KeypadCharacter(byte make)
    {
        if (make < 0x47 || make > 0x53)
            return '\0';
        return Keypad[make - 0x47];
    }

    /// <summary>Named key of a non-extended make code (None for keys that only type characters
    /// and for codes that are not keys).</summary>
    public static KeyCode NamedKey(byte make)
    {
        switch (make)
        {
            case 0x01: return KeyCode.Escape;
            case 0x0e: return KeyCode.Backspace;
            case 0x0f: return KeyCode.Tab;
            case 0x1c: return KeyCode.Enter;
            case 0x1d: return KeyCode.LeftCtrl;
            case 0x2a: return KeyCode.LeftShift;
            case 0x36: return KeyCode.RightShift;
            case 0x38: return KeyCode.LeftAlt;
            case 0x3a: return KeyCode.CapsLock;
            case 0x3b: return KeyCode.F1;
            case 0x3c: return KeyCode.F2;
            case 0x3d: return KeyCode.F3;
            case 0x3e: return KeyCode.F4;
            case 0x3f: return KeyCode.F5;
            case 0x40: return KeyCode.F6;
            case 0x41: return KeyCode.F7;
            case 0x42: return KeyCode.F8;
            case 0x43: return KeyCode.F9;
            case 0x44: return KeyCode.F10;
            case 0x45: return KeyCode.NumLock;
            case 0x46: return KeyCode.ScrollLock;
            case 0x57: return KeyCode.F11;
            case 0x58: return KeyCode.F12;
            default: return KeyCode.None;
        }
    }

    /// <summary>Keypad make codes 0x47..0x53 with Num Lock off: the navigation key (None for
    /// '-' and '+', which always type their character).</summary>
    public static KeyCode KeypadNavigation(byte make)
    {
        switch (make)
        {
            case 0x47: return KeyCode.Home;
            case 0x48: return KeyCode.Up;
            case 0x49: return KeyCode.PageUp;
            case 0x4b: return KeyCode.Left;
            case 0x4c: return KeyCode.KeypadCenter;
            case 0x4d: return KeyCode.Right;
            case 0x4f: return KeyCode.End;
            case 0x50: return KeyCode.Down;
            case 0x51: return KeyCode.PageDown;
            case 0x52: return KeyCode.Insert;
            case 0x53: return KeyCode.Delete;
            default: return KeyCode.None;
        }
    }

    /// <summary>Keys after the 0xe0 prefix (None: ignored, e.g. multimedia keys and the fake
    /// shifts e0 2a / e0 36 that surround Print Screen and the navigation keys).</summary>
    public static KeyCode ExtendedKey(byte make)
    {
        switch (make)
        {
            case 0x1c: return KeyCode.KeypadEnter;
            case 0x1d: return KeyCode.RightCtrl;
            case 0x35: return KeyCode.Character; // keypad '/'
            case 0x37: return KeyCode.PrintScreen;
            case 0x38: return KeyCode.RightAlt;
            case 0x46: return KeyCode.Break;
            case 0x47: return KeyCode.Home;
            case 0x48: return KeyCode.Up;
            case 0x49: return KeyCode.PageUp;
            case 0x4b: return KeyCode.Left;
            case 0x4d: return KeyCode.Right;
            case 0x4f: return KeyCode.End;
            case 0x50: return KeyCode.Down;
            case 0x51: return KeyCode.PageDown;
            case 0x52: return KeyCode.Insert;
            case 0x53: return KeyCode.Delete;
            case 0x5b: return KeyCode.LeftGui;
            case 0x5c: return KeyCode.RightGui;
            case 0x5d: return KeyCode.Menu;
            default: return KeyCode.None;
        }
    }
}
