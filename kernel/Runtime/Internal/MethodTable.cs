// The part of ILC's MethodTable (type descriptor) layout the kernel reads: flags with the
// component size of arrays and strings, and the base instance size. See ILC's
// Internal.Runtime.MethodTable for the full format; these offsets are fixed for ILC 10.
using System.Runtime.InteropServices;

namespace Internal.Runtime;

[StructLayout(LayoutKind.Sequential)]
public unsafe struct MethodTable
{
    private const uint HasComponentSizeFlag = 0x80000000;

    private uint _uFlags;
    private uint _uBaseSize;
    internal MethodTable* _relatedType;
    private ushort _usNumVtableSlots;
    private ushort _usNumInterfaces;
    private uint _uHashCode;

    /// <summary>Bytes of a fixed-size instance, header and MethodTable pointer included.</summary>
    public uint BaseSize => _uBaseSize;

    /// <summary>Bytes per element of an array or string; 0 for ordinary types.</summary>
    public ushort ComponentSize => (_uFlags & HasComponentSizeFlag) != 0 ? (ushort)_uFlags : (ushort)0;

    public bool HasComponentSize => (_uFlags & HasComponentSizeFlag) != 0;
    public MethodTable* RelatedType => _relatedType;
    public int NumInterfaces => _usNumInterfaces;

    /// <summary>The interface map: full pointers after the header and the vtable slots.</summary>
    public MethodTable** InterfaceMap
    {
        get { fixed (MethodTable* self = &this) return (MethodTable**)((byte*)self + 24 + _usNumVtableSlots * 8); }
    }
}
