// The root of every managed type. Its single field is the MethodTable pointer that every
// object starts with; ILC lays objects out from this declaration, so it must stay first.
namespace System;

public unsafe class Object
{
    internal Internal.Runtime.MethodTable* m_pMethodTable;

    public Object() { }

    public virtual bool Equals(object other) => (object)this == other;
    public virtual int GetHashCode() => 0;
    public virtual string ToString() => null;
    ~Object() { }

    internal Internal.Runtime.MethodTable* MethodTable => m_pMethodTable;
}
