// Device memory (MMIO registers, framebuffers, firmware tables outside RAM) made reachable at
// its direct-map address, DirectMapBase + physical, like Linux's ioremap. The direct map only
// covers RAM, so each page of a device range gets its own 4 KiB mapping here, no-execute,
// with the cache type the device needs. Pages already mapped (RAM, or an earlier call) are
// left as they are. Runs at boot and from drivers' init, never in interrupt context.
using Kernel.Arch.X64.Paging;
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Arch.X64;

public enum DeviceCaching
{
    /// <summary>Registers: every access reaches the device, in order (PCD+PWT: UC).</summary>
    Uncached,
    /// <summary>Framebuffers: writes go straight through, reads may hit the cache (PWT: WT).</summary>
    WriteThrough,
    /// <summary>Firmware tables in reserved memory: ordinary cached memory.</summary>
    Cached,
}

public static unsafe class DeviceMemory
{
    const ulong PageBytes = 4096;

    /// <summary>Maps [physical, physical + length) and returns its virtual address, or null
    /// when a page table could not be allocated (already-made mappings stay).</summary>
    public static void* Map(ulong physical, ulong length, DeviceCaching caching)
    {
        if (length == 0 || physical + length < physical) return null;
        PageFlags flags = PageFlags.Present | PageFlags.Writable | PageFlags.Global;
        if (CpuFeatures.NoExecute) flags |= PageFlags.NoExecute;
        if (caching == DeviceCaching.Uncached) flags |= PageFlags.CacheDisable | PageFlags.WriteThrough;
        else if (caching == DeviceCaching.WriteThrough) flags |= PageFlags.WriteThrough;

        FrameSource frames = PhysicalPages.Frames;
        ulong root = KernelAddressSpace.Root;
        ulong first = physical & ~(PageBytes - 1);
        ulong end = (physical + length + PageBytes - 1) & ~(PageBytes - 1);
        for (ulong page = first; page < end; page += PageBytes)
        {
            ulong virt = KernelAddressSpace.DirectMapBase + page;
            if (PageTables.Translate(root, virt, out ulong _, out PageFlags _, out PageSize _) == PagingStatus.Ok) continue;
            PagingStatus status = PageTables.Map(root, virt, page, PageSize.Size4K, flags, in frames);
            if (status != PagingStatus.Ok && status != PagingStatus.AlreadyMapped)
            {
                Log.Error($"mmio: cannot map {page:x}: {PageTables.Describe(status)}");
                return null;
            }
        }
        return PhysicalMap.ToVirtual(physical);
    }
}
