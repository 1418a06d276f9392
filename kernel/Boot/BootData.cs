// What the kernel learned at boot, copied out of the Multiboot2 block (whose memory is free to
// be reused afterwards) and parsed once: the boot information and the command line.
using Kernel.Boot.Multiboot2;

namespace Kernel.Boot;

public static unsafe class BootData
{
    static BootInfo s_info;
    static CommandLine s_commandLine;

    public static BootInfo* Info { get { fixed (BootInfo* p = &s_info) return p; } }
    public static CommandLine* CommandLine { get { fixed (CommandLine* p = &s_commandLine) return p; } }

    /// <summary>
    /// Physical memory as the kernel sees it now: identity-mapped below 4 GiB while the boot
    /// page tables are live, through the direct map once the kernel's own tables are loaded.
    /// </summary>
    public static void* EarlyPhysicalToVirtual(ulong physical) => Kernel.Memory.PhysicalMap.ToVirtual(physical);

    /// <summary>What the boot page tables identity-map: the limit for early allocations.</summary>
    public const ulong EarlyMappedLimit = 4UL << 30;
}
