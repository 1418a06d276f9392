// Strings are length-prefixed UTF-16, laid out exactly as ILC's compiler expects: the field
// names _stringLength and _firstChar are part of that contract (compile-time evaluation of
// literals looks them up by name). Literals live in .data as frozen objects.
using System.Runtime.CompilerServices;

namespace System;

public sealed unsafe class String
{
    [Intrinsic]
    public static readonly string Empty = "";

    private readonly int _stringLength;
    private char _firstChar;

    public int Length => _stringLength;

    [IndexerName("Chars")]
    public char this[int index]
    {
        [Intrinsic]
        get
        {
            if ((uint)index >= (uint)_stringLength)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
            fixed (char* p = &_firstChar) return p[index];
        }
    }

    /// <summary>Pointer to the first character; valid while the string lives (strings never move).</summary>
    public ref char GetPinnableReference() => ref _firstChar;

    public static bool operator ==(string a, string b) => Equals(a, b);
    public static bool operator !=(string a, string b) => !Equals(a, b);

    public static bool Equals(string a, string b)
    {
        if ((object)a == (object)b) return true;
        if ((object)a == null || (object)b == null || a._stringLength != b._stringLength) return false;
        for (int i = 0; i < a._stringLength; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

    public override bool Equals(object other) => other is string s && Equals(this, s);
    public override int GetHashCode()
    {
        uint hash = 2166136261;
        for (int i = 0; i < _stringLength; i++) hash = (hash ^ this[i]) * 16777619;
        return (int)hash;
    }
    public override string ToString() => this;
}
