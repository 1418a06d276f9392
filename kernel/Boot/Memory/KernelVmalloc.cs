// The kernel's vmalloc range (Linux's VMALLOC_START) and what lives there: kernel stacks, each
// with an unmapped page below it, so that an overflow faults and is reported as one.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Arch.X64;
using Kernel.Arch.X64.Paging;
using Kernel.Diagnostics;
using Kernel.Memory.Virtual;

namespace Kernel.Boot.Memory;

public static unsafe class KernelVmalloc
{
    public const ulong Start = 0xffffc90000000000, End = 0xffffe90000000000;
    public const ulong KernelStackSize = 64 * 1024;

    static VmallocSpace s_space;

    public static VmallocSpace* Space { get { fixed (VmallocSpace* s = &s_space) return s; } }

    const PageFlags DataFlags = PageFlags.Present | PageFlags.Writable | PageFlags.Global | PageFlags.NoExecute;

    public static void Initialize() => s_space.Initialize(KernelAddressSpace.Root, Start, End);

    static PageFlags Flags => CpuFeatures.NoExecute ? DataFlags : DataFlags & ~PageFlags.NoExecute;

    /// <summary>Zeroed, virtually contiguous kernel memory; 0 when out of memory.</summary>
    public static void* Allocate(ulong bytes)
    {
        FrameSource frames = PhysicalPages.Frames;
        return (void*)s_space.Allocate(bytes, Flags, in frames);
    }

    public static bool Free(void* address)
    {
        FrameSource frames = PhysicalPages.Frames;
        return s_space.Free((ulong)address, in frames);
    }

    /// <summary>A kernel stack; returns its top (stacks grow down towards the guard page).</summary>
    public static ulong AllocateStack(ulong size)
    {
        void* bottom = Allocate(size);
        if (bottom == null) Panic.Halt("memory: no memory for a kernel stack");
        return (ulong)bottom + size;
    }

    public static bool IsGuardPage(ulong address, out ulong areaStart, out ulong areaEnd) =>
        s_space.IsGuard(address, out areaStart, out areaEnd);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "switch_stack_and_call")]
    public static extern void SwitchStackAndCall(ulong stackTop, delegate*<void> function);
}
