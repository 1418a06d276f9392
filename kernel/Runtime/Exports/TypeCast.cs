// Casts and array-element stores that ILC routes through System.Runtime.TypeCast. The kernel
// uses class hierarchies and a few interfaces; casts walk the parent chain and the interface
// map. Any failed checked cast is a bug in the kernel and panics.
using Internal.Runtime;
using Kernel.Diagnostics;

namespace System.Runtime;

internal static unsafe class TypeCast
{
    static bool IsSubclass(MethodTable* type, MethodTable* target)
    {
        for (MethodTable* t = type; t != null; t = t->RelatedType)
            if (t == target) return true;
        return false;
    }

    static bool ImplementsInterface(MethodTable* type, MethodTable* iface) =>
        Kernel.Runtime.TypeInfo.ImplementsInterface(type, iface);

    public static object IsInstanceOfClass(MethodTable* target, object obj)
    {
        if (obj == null) return null;
        return IsSubclass(obj.m_pMethodTable, target) ? obj : null;
    }

    public static object IsInstanceOfInterface(MethodTable* target, object obj)
    {
        if (obj == null) return null;
        return ImplementsInterface(obj.m_pMethodTable, target) ? obj : null;
    }

    public static object IsInstanceOfAny(MethodTable* target, object obj)
    {
        if (obj == null) return null;
        MethodTable* type = obj.m_pMethodTable;
        return IsSubclass(type, target) || ImplementsInterface(type, target) ? obj : null;
    }

    public static object IsInstanceOfException(MethodTable* target, object obj) => IsInstanceOfClass(target, obj);

    public static object CheckCastClass(MethodTable* target, object obj)
    {
        if (obj != null && !IsSubclass(obj.m_pMethodTable, target)) Panic.Halt("invalid cast to a class");
        return obj;
    }

    public static object CheckCastClassSpecial(MethodTable* target, object obj) => CheckCastClass(target, obj);

    public static object CheckCastInterface(MethodTable* target, object obj)
    {
        if (obj != null && !ImplementsInterface(obj.m_pMethodTable, target)) Panic.Halt("invalid cast to an interface");
        return obj;
    }

    public static object CheckCastAny(MethodTable* target, object obj)
    {
        if (obj != null && IsInstanceOfAny(target, obj) == null) Panic.Halt("invalid cast");
        return obj;
    }

    // Arrays of references: element i lives after the MethodTable pointer and the padded length.
    static object* ElementAddress(object[] array, nint index)
    {
        if (array == null) Panic.Halt("null array");
        if ((ulong)index >= (ulong)array.Length) Panic.Halt("index out of range");
        return (object*)((byte*)Kernel.Runtime.ObjectRef.AddressOf(array) + 16 + index * sizeof(void*));
    }

    public static void StelemRef(object[] array, nint index, object obj)
    {
        object* slot = ElementAddress(array, index);
        *slot = obj;
    }

    public static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
    {
        return ref *ElementAddress(array, index);
    }
}
