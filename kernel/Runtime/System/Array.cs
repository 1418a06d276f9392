// Arrays: the MethodTable is followed by a 32-bit length (padded to 8 bytes), then the
// elements. Array<T> is the generic base ILC uses for T[]; it adds nothing.
namespace System;

public abstract unsafe class Array
{
    private int _numComponents;
#pragma warning disable CS0169
    private int _padding;
#pragma warning restore CS0169

    public int Length => _numComponents;
}

public class Array<T> : Array { }
