// Platform-neutral shared source (kernel and host tests).
// How the memory manager reaches physical memory: through a direct map, virtual = physical +
// offset. In the kernel the offset is the direct map's base (boot tables: 0, identity; later
// 0xffff888000000000); host tests point it at a block of host memory standing in for RAM.
namespace Kernel.Memory;

public static unsafe class PhysicalMap
{
    static ulong s_offset;

    public static ulong Offset => s_offset;

    public static void SetOffset(ulong offset) => s_offset = offset;

    public static void* ToVirtual(ulong physical) => (void*)(physical + s_offset);

    public static ulong ToPhysical(void* virtualAddress) => (ulong)virtualAddress - s_offset;
}
