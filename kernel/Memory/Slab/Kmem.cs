// Platform-neutral shared source (kernel and host tests).
// The kernel's slab allocator as static calls: kmalloc(size) instead of a->Kmalloc(size).
// The kernel points Current at its instance once slab is up (kernel/Boot/Memory/SlabSetup.cs);
// host tests point it at theirs.
using System.Runtime.CompilerServices;

namespace Kernel.Memory.Slab;

public static unsafe class Kmem
{
    public static SlabAllocator* Current;

    public static bool Ready => Current != null && Current->IsInitialized;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void* Kmalloc(ulong size) => Current->Kmalloc(size);

    public static void* Kzalloc(ulong size) => Current->Kzalloc(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Kfree(void* p) => Current->Kfree(p);

    public static void* Krealloc(void* p, ulong size) => Current->Krealloc(p, size);

    public static ulong Ksize(void* p) => Current->Ksize(p);

    public static SlabCache* CreateCache(string name, uint size, uint align, SlabFlags flags, delegate*<void*, void> ctor) =>
        Current->CreateCache(name, size, align, flags, ctor, out _);

    public static SlabStatus DestroyCache(SlabCache* c, out ulong leaked) => Current->DestroyCache(c, out leaked);
}
