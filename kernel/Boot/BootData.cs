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

    /// <summary>Identity-mapped view of low physical memory (the boot page tables map 0..4 GiB).</summary>
    public static void* EarlyPhysicalToVirtual(ulong physical) => (void*)physical;
    public const ulong EarlyMappedLimit = 4UL << 30;
}
