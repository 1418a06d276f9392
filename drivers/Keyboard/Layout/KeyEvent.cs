// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// What the keyboard decoder produces: one event per key press or release, with the
// character it types on the US layout (0 if none) and the modifier state after the key.
namespace Kernel.Drivers.Keyboard;

/// <summary>Which key. Keys that type a printable character are <see cref="Character"/> (the
/// character is in <see cref="KeyEvent.Character"/>); every other key has its own code.</summary>
public enum KeyCode : byte
{
    None = 0,
    Character,
    Escape,
    Backspace,
    Tab,
    Enter,
    KeypadEnter,
    LeftShift,
    RightShift,
    LeftCtrl,
    RightCtrl,
    LeftAlt,
    RightAlt,
    LeftGui,
    RightGui,
    Menu,
    CapsLock,
    NumLock,
    ScrollLock,
    F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Insert,
    Delete,
    /// <summary>Keypad 5 with Num Lock off (types nothing).</summary>
    KeypadCenter,
    PrintScreen,
    Pause,
    /// <summary>Ctrl+Pause (the keyboard sends E0 46).</summary>
    Break,
}

[System.Flags]
public enum KeyModifiers : ushort
{
    None = 0,
    LeftShift = 1 << 0,
    RightShift = 1 << 1,
    LeftCtrl = 1 << 2,
    RightCtrl = 1 << 3,
    LeftAlt = 1 << 4,
    RightAlt = 1 << 5,
    CapsLock = 1 << 6,
    NumLock = 1 << 7,
    ScrollLock = 1 << 8,

    Shift = LeftShift | RightShift,
    Ctrl = LeftCtrl | RightCtrl,
    Alt = LeftAlt | RightAlt,
}

public struct KeyEvent
{
    public KeyCode Key;
    /// <summary>The character the key types (ASCII), control codes included: Enter '\r',
    /// Tab '\t', Backspace 0x7f, Escape 0x1b, Ctrl+letter 1..26. 0 if none. Set on releases
    /// too (same key, same modifiers): act on <see cref="Pressed"/>.</summary>
    public char Character;
    /// <summary>True for a make code (press or typematic repeat), false for a break code.</summary>
    public bool Pressed;
    /// <summary>Modifier and lock state after this key.</summary>
    public KeyModifiers Modifiers;
    /// <summary>The scan code without the break bit: 0x1e, 0xe048 for extended keys, 0xe11d for Pause.</summary>
    public ushort ScanCode;

    public bool Shift => (Modifiers & KeyModifiers.Shift) != 0;
    public bool Ctrl => (Modifiers & KeyModifiers.Ctrl) != 0;
    public bool Alt => (Modifiers & KeyModifiers.Alt) != 0;
    public bool CapsLock => (Modifiers & KeyModifiers.CapsLock) != 0;
    public bool NumLock => (Modifiers & KeyModifiers.NumLock) != 0;
}
