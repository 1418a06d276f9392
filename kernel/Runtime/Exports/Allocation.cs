// The allocation entry points ILC's generated code calls for `new`. Objects are never moved or
// collected: whoever creates one owns it and frees it with ObjectHeap.Free (see
// kernel/Runtime/README.md). The memory comes from ObjectHeap (kmalloc or a type cache once slab
// is up, the boot heap before), always zeroed, so `new` yields zeroed fields.
using System.Runtime;
using Internal.Runtime;
using Kernel.Diagnostics;

namespace Kernel.Runtime;

internal static unsafe class Allocation
{
    [RuntimeExport("RhpNewFast")]
    static void* NewObject(MethodTable* type) => AllocateObject(type, type->BaseSize);

    [RuntimeExport("RhpNewFinalizable")]
    static void* NewFinalizable(MethodTable* type) => AllocateObject(type, type->BaseSize);

    [RuntimeExport("RhpNewArrayFast")]
    static void* NewArray(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhpNewPtrArrayFast")]
    static void* NewPointerArray(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhpNewArray")]
    static void* NewArrayGeneric(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhNewString")]
    static void* NewString(MethodTable* type, int length) => AllocateArray(type, length);

    static void* AllocateObject(MethodTable* type, ulong size)
    {
        void* obj = ObjectHeap.AllocateObject(type);
        if (obj == null) Panic.Halt("out of memory allocating an object");
        *(MethodTable**)obj = type;
        return obj;
    }

    static void* AllocateArray(MethodTable* type, int length)
    {
        if (length < 0) Panic.Halt("negative array length");
        ulong size = type->BaseSize + (ulong)length * type->ComponentSize;
        size = (size + 7) & ~7UL;
        void* obj = ObjectHeap.Allocate(size);
        if (obj == null) Panic.Halt("out of memory allocating an array");
        *(MethodTable**)obj = type;
        *(int*)((byte*)obj + sizeof(void*)) = length;
        return obj;
    }
}
