using Internal.Runtime;

namespace System.Runtime.CompilerServices;

public static unsafe class RuntimeHelpers
{
    /// <summary>Offset of a string's first character from the object start (MethodTable ptr + length).</summary>
    public static int OffsetToStringData => 12;

    [Intrinsic]
    public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle) { }

    [Intrinsic]
    public static bool IsReferenceOrContainsReferences<T>() => false;

    /// <summary>The object's MethodTable; used by the allocator and the cast helpers.</summary>
    internal static MethodTable* GetMethodTable(object obj) => obj.m_pMethodTable;
}
