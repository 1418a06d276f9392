// Where managed objects come from. Until the slab allocator exists this is a bump allocator
// over a fixed region reserved in the kernel image (boot/heap.asm): simple, never frees, and
// enough for boot-time objects. Memory is handed out zeroed and 8-byte aligned (16 for
// blocks of 16 bytes or more, so SSE stores to object fields stay aligned).
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Arch.X64;

namespace Kernel.Runtime;

public static unsafe class ObjectHeap
{
    static byte* s_next;
    static byte* s_end;
    static ulong s_allocations;

    public static ulong BytesUsed => s_next == null ? 0 : (ulong)(s_next - BootHeapStart());
    public static ulong BytesTotal => (ulong)(BootHeapEnd() - BootHeapStart());
    public static ulong Allocations => s_allocations;

    public static void* Allocate(ulong size)
    {
        if (s_next == null)
        {
            s_next = BootHeapStart();
            s_end = BootHeapEnd();
        }
        ulong align = size >= 16 ? 16UL : 8UL;
        byte* p = (byte*)(((ulong)s_next + align - 1) & ~(align - 1));
        if (size > (ulong)(s_end - p)) return null;
        s_next = p + size;
        s_allocations++;
        Bytes.Zero(p, size);
        return p;
    }

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "boot_heap_start")]
    static extern byte* BootHeapStart();

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "boot_heap_end")]
    static extern byte* BootHeapEnd();
}
