// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Scan code set 1 -> key events, one byte at a time (what the IRQ 1 handler reads from port
// 0x60). A small state machine: Normal, after 0xe0 (extended key next), inside the Pause
// sequence (e1 + two bytes, swallowed and reported as one Pause event). Modifiers and locks
// live here; the driver mirrors the locks on the LEDs with <see cref="KeyboardDecoder.LedBits"/>.
// US layout: Shift, Caps Lock (letters only), Ctrl (Ctrl+letter -> 1..26), Alt as a flag.
namespace Kernel.Drivers.Keyboard;

public struct KeyboardDecoder
{
    const byte StateNormal = 0;
    const byte StateExtended = 1;
    const byte StatePause1 = 2;
    const byte StatePause2 = 3;

    // Lock keys held down (so typematic repeats do not toggle them again).
    const byte HeldCaps = 1, HeldNum = 2, HeldScroll = 4;

    byte _state;
    byte _pauseFirst;
    byte _locksHeld;
    KeyModifiers _modifiers;

    public KeyModifiers Modifiers => _modifiers;

    /// <summary>Forget any half-received sequence and release every modifier (after a
    /// keyboard reset or an overrun); lock states are kept.</summary>
    public void Reset()
    {
        _state = StateNormal;
        _pauseFirst = 0;
        _locksHeld = 0;
        _modifiers &= KeyModifiers.CapsLock | KeyModifiers.NumLock | KeyModifiers.ScrollLock;
    }

    /// <summary>Sets the lock states (e.g. to what the firmware left on the LEDs).</summary>
    public void SetLocks(bool capsLock, bool numLock, bool scrollLock)
    {
        _modifiers &= ~(KeyModifiers.CapsLock | KeyModifiers.NumLock | KeyModifiers.ScrollLock);
        if (capsLock) _modifiers |= KeyModifiers.CapsLock;
        if (numLock) _modifiers |= KeyModifiers.NumLock;
        if (scrollLock) _modifiers |= KeyModifiers.ScrollLock;
    }

    /// <summary>The lock states in the PS/2 "set LEDs" (0xed) format: bit 0 Scroll Lock,
    /// bit 1 Num Lock, bit 2 Caps Lock.</summary>
    public byte LedBits
    {
        get
        {
            int b = 0;
            if ((_modifiers & KeyModifiers.ScrollLock) != 0) b |= 1;
            if ((_modifiers & KeyModifiers.NumLock) != 0) b |= 2;
            if ((_modifiers & KeyModifiers.CapsLock) != 0) b |= 4;
            return (byte)b;
        }
    }

    /// <summary>
    /// Feeds one byte from the keyboard. True when it completed a key event (in
    /// <paramref name="ev"/>); false for prefixes, controller replies (ACK, resend, echo,
    /// errors), fake shifts and unknown codes.
    /// </summary>
    public bool Feed(byte code, out KeyEvent ev)
    {
        ev = default(KeyEvent);
        switch (_state)
        {
            case StatePause1:
                _pauseFirst = code;
                _state = StatePause2;
                return false;
            case StatePause2:
                _state = StateNormal;
                // e1 1d 45 is the make half, e1 9d c5 the break half; anything else is dropped.
                if ((_pauseFirst & 0x7f) != 0x1d || (code & 0x7f) != 0x45)
                    return false;
                ev.Key = KeyCode.Pause;
                ev.Pressed = (code & ScanCodeSet1.BreakBit) == 0;
                ev.ScanCode = 0xe11d;
                ev.Modifiers = _modifiers;
                return true;
        }

        if (code == ScanCodeSet1.ErrorLow || code == ScanCodeSet1.ErrorHigh)
        {
            // Overrun / detection error: whatever was in flight is lost.
            _state = StateNormal;
            return false;
        }
        if (code == ScanCodeSet1.ExtendedPrefix)
        {
            _state = StateExtended;
            return false;
        }
        if (code == ScanCodeSet1.PausePrefix)
        {
            _state = StatePause1;
            return false;
        }
        if (code == ScanCodeSet1.Ack || code == ScanCodeSet1.Resend || code == ScanCodeSet1.Echo
            || code == ScanCodeSet1.SelfTestFailed1 || code == ScanCodeSet1.SelfTestFailed2)
        {
            _state = StateNormal;
            return false;
        }

        bool extended = _state == StateExtended;
        _state = StateNormal;
        bool pressed = (code & ScanCodeSet1.BreakBit) == 0;
        byte make = (byte)(code & 0x7f);
        return extended ? DecodeExtended(make, pressed, ref ev) : DecodeNormal(make, pressed, ref ev);
    }

    bool DecodeNormal(byte make, bool pressed, ref KeyEvent ev)
    {
        KeyCode key = ScanCodeSet1.NamedKey(make);
        char c = '\0';
        if (key == KeyCode.None)
        {
            if (make >= 0x47 && make <= 0x53)
            {
                KeyCode nav = ScanCodeSet1.KeypadNavigation(make);
                if ((_modifiers & KeyModifiers.NumLock) != 0 || nav == KeyCode.None)
                {
                    c = ScanCodeSet1.KeypadCharacter(make);
                    key = c != '\0' ? KeyCode.Character : KeyCode.None;
                }
                else
                {
                    key = nav;
                }
            }
            else if (make == 0x56)
            {
                // The ISO key left of Z ("<>" on the Linux US keymap).
                c = (_modifiers & KeyModifiers.Shift) != 0 ? '>' : '<';
                key = KeyCode.Character;
            }
            else
            {
                c = TypedCharacter(make);
                if (c != '\0')
                    key = KeyCode.Character;
            }
            if (key == KeyCode.None)
                return false; // not a key on this layout
        }
        else
        {
            UpdateModifiers(key, pressed);
            c = ControlCharacter(key);
        }
        ev.Key = key;
        ev.Character = c;
        ev.Pressed = pressed;
        ev.ScanCode = make;
        ev.Modifiers = _modifiers;
        return true;
    }

    bool DecodeExtended(byte make, bool pressed, ref KeyEvent ev)
    {
        KeyCode key = ScanCodeSet1.ExtendedKey(make);
        if (key == KeyCode.None)
            return false;
        UpdateModifiers(key, pressed);
        char c = '\0';
        if (key == KeyCode.Character)
            c = '/'; // keypad slash, unaffected by Shift and Num Lock
        else if (key == KeyCode.KeypadEnter)
            c = '\r';
        ev.Key = key;
        ev.Character = c;
        ev.Pressed = pressed;
        ev.ScanCode = (ushort)(0xe000 | make);
        ev.Modifiers = _modifiers;
        return true;
    }

    /// <summary>A main-block character with Shift, Caps Lock and Ctrl applied.</summary>
    char TypedCharacter(byte make)
    {
        bool shift = (_modifiers & KeyModifiers.Shift) != 0;
        char plain = ScanCodeSet1.MainCharacter(make, false);
        if (plain == '\0')
            return '\0';
        bool letter = plain >= 'a' && plain <= 'z';
        if ((_modifiers & KeyModifiers.Ctrl) != 0)
        {
            if (letter)
                return (char)(plain - 'a' + 1);
            if (plain == '[' || plain == '\\' || plain == ']')
                return (char)(plain & 0x1f); // ESC, FS, GS
            char shifted = ScanCodeSet1.MainCharacter(make, true);
            if (shift && (shifted == '^' || shifted == '_'))
                return (char)(shifted & 0x1f); // RS, US
        }
        if (letter && (_modifiers & KeyModifiers.CapsLock) != 0)
            shift = !shift;
        return ScanCodeSet1.MainCharacter(make, shift);
    }

    static char ControlCharacter(KeyCode key)
    {
        switch (key)
        {
            case KeyCode.Escape: return (char)0x1b;
            case KeyCode.Backspace: return (char)0x7f;
            case KeyCode.Tab: return '\t';
            case KeyCode.Enter: return '\r';
            default: return '\0';
        }
    }

    void UpdateModifiers(KeyCode key, bool pressed)
    {
        switch (key)
        {
            case KeyCode.LeftShift: Set(KeyModifiers.LeftShift, pressed); return;
            case KeyCode.RightShift: Set(KeyModifiers.RightShift, pressed); return;
            case KeyCode.LeftCtrl: Set(KeyModifiers.LeftCtrl, pressed); return;
            case KeyCode.RightCtrl: Set(KeyModifiers.RightCtrl, pressed); return;
            case KeyCode.LeftAlt: Set(KeyModifiers.LeftAlt, pressed); return;
            case KeyCode.RightAlt: Set(KeyModifiers.RightAlt, pressed); return;
            case KeyCode.CapsLock: Toggle(KeyModifiers.CapsLock, HeldCaps, pressed); return;
            case KeyCode.NumLock: Toggle(KeyModifiers.NumLock, HeldNum, pressed); return;
            case KeyCode.ScrollLock: Toggle(KeyModifiers.ScrollLock, HeldScroll, pressed); return;
        }
    }

    void Set(KeyModifiers m, bool on)
    {
        if (on)
            _modifiers |= m;
        else
            _modifiers &= ~m;
    }

    /// <summary>Locks toggle on the first make code only, not on typematic repeats.</summary>
    void Toggle(KeyModifiers m, byte held, bool pressed)
    {
        if (!pressed)
        {
            _locksHeld = (byte)(_locksHeld & ~held);
            return;
        }
        if ((_locksHeld & held) != 0)
            return;
        _locksHeld |= held;
        _modifiers ^= m;
    }
}
