// Converting between object references and addresses. Objects never move (no GC), so an
// address taken here stays valid for the object's lifetime.
using System.Runtime.CompilerServices;

namespace Kernel.Runtime;

public static unsafe class ObjectRef
{
    public static void* AddressOf(object obj) => *(void**)Unsafe.AsPointer(ref obj);
    public static T FromAddress<T>(void* address) where T : class => Unsafe.As<T>(*(object*)&address);
}
