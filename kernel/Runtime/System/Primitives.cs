// The primitive value types. ILC knows them by name; their single field holds the value.
namespace System;

public struct Void { }
public struct Boolean { private bool m_value; }
public struct Char { private char m_value; }
public struct SByte { private sbyte m_value; }
public struct Byte { private byte m_value; }
public struct Int16 { private short m_value; }
public struct UInt16 { private ushort m_value; }
public struct Int32 { private int m_value; public const int MaxValue = 0x7fffffff; public const int MinValue = unchecked((int)0x80000000); }
public struct UInt32 { private uint m_value; public const uint MaxValue = 0xffffffff; }
public struct Int64 { private long m_value; public const long MaxValue = 0x7fffffffffffffff; public const long MinValue = unchecked((long)0x8000000000000000); }
public struct UInt64 { private ulong m_value; public const ulong MaxValue = 0xffffffffffffffff; }
public struct Single { private float m_value; }
public struct Double { private double m_value; }

public unsafe struct IntPtr
{
    private void* _value;
    public static readonly IntPtr Zero;
    public IntPtr(void* value) { _value = value; }
    public IntPtr(long value) { _value = (void*)value; }
    public static explicit operator IntPtr(void* value) => new IntPtr(value);
    public static explicit operator void*(IntPtr value) => value._value;
    public static explicit operator long(IntPtr value) => (long)value._value;
    public static explicit operator IntPtr(long value) => new IntPtr(value);
    public static explicit operator IntPtr(int value) => new IntPtr(value);
    public static explicit operator int(IntPtr value) => (int)(long)value._value;
}

public unsafe struct UIntPtr
{
    private void* _value;
    public UIntPtr(void* value) { _value = value; }
    public UIntPtr(ulong value) { _value = (void*)value; }
    public static explicit operator UIntPtr(void* value) => new UIntPtr(value);
    public static explicit operator void*(UIntPtr value) => value._value;
    public static explicit operator ulong(UIntPtr value) => (ulong)value._value;
    public static explicit operator UIntPtr(ulong value) => new UIntPtr(value);
}

public abstract class ValueType { }

public abstract class Enum : ValueType { }

public struct Nullable<T> where T : struct
{
    private readonly bool hasValue;
    internal T value;
    public Nullable(T value) { this.value = value; hasValue = true; }
    public bool HasValue => hasValue;
    public T Value => value;
    public T GetValueOrDefault() => value;
    public static implicit operator Nullable<T>(T value) => new Nullable<T>(value);
    public static explicit operator T(Nullable<T> value) => value.value;
}
