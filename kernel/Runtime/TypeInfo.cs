// Reading ILC's type descriptors: the interface map follows the vtable slots.
using Internal.Runtime;

namespace Kernel.Runtime;

internal static unsafe class TypeInfo
{
    public static bool ImplementsInterface(MethodTable* type, MethodTable* iface)
    {
        for (MethodTable* t = type; t != null; t = t->RelatedType)
        {
            MethodTable** map = t->InterfaceMap;
            for (int i = 0; i < t->NumInterfaces; i++)
                if (map[i] == iface) return true;
        }
        return false;
    }
}
