// Stage 1 of memory bring-up: memblock, fed from the firmware map. Usable RAM (type 1) is added;
// what is already taken is reserved: the first MiB (page 0, the BIOS data area, EBDA, option
// ROMs: Linux keeps it too), the kernel image with its boot page tables and boot stack, the
// boot modules, and the ELF symbol tables GRUB loaded for backtraces. The Multiboot2 block
// itself was copied out (BootData), so its memory is free to reuse.
using Kernel.Boot.Multiboot2;
using Kernel.Diagnostics;
using Kernel.Memory.Physical;

namespace Kernel.Boot.Memory;

public static unsafe class EarlyMemory
{
    const uint Usable = 1;
    const ulong LowReserved = 1UL << 20;

    static Memblock s_memblock;
    static ulong s_firmwareUsableBytes;

    public static Memblock* Memblock { get { fixed (Memblock* m = &s_memblock) return m; } }

    /// <summary>Bytes of usable RAM in the firmware map, whole pages only (what memblock keeps).</summary>
    public static ulong FirmwareUsablePages => s_firmwareUsableBytes / Kernel.Memory.Physical.Memblock.PageSize;

    public static void Initialize(BootInfo* info)
    {
        Memblock* mb = Memblock;
        if (info->MemoryRegionCount == 0) Panic.Halt("memory: the boot loader gave no memory map; cannot continue");
        for (int i = 0; i < info->MemoryRegionCount; i++)
        {
            info->GetMemoryRegion(i, out MemoryRegion r);
            if (r.Type == Usable) mb->AddMemory(r.Base, r.Length);
        }
        s_firmwareUsableBytes = mb->MemoryBytes;

        KernelLayout* layout = KernelLayout.Current;
        mb->Reserve(0, LowReserved);
        mb->Reserve(layout->PhysicalStart, layout->PhysicalEnd - layout->PhysicalStart);
        for (int i = 0; i < info->ModuleCount; i++)
        {
            info->GetModule(i, out uint start, out uint end, out byte* _, out int _);
            mb->Reserve(start, (ulong)end - start);
        }
        for (int i = 0; i < info->ElfSectionCount; i++)
        {
            // Sections outside the loaded image (symbol and string tables) that GRUB placed in RAM.
            if (!info->GetElfSection(i, out ElfSectionHeader s) || s.Address == 0 || s.Size == 0) continue;
            if (s.Address >= Boot.KernelLayout.VirtualBase) continue; // part of the image, already reserved
            mb->Reserve(s.Address, s.Size);
        }

        MemblockStatus status = mb->Validate();
        if (status != MemblockStatus.Ok) Panic.Halt(Kernel.Memory.Physical.Memblock.Describe(status));
        Log.Info($"memblock: {mb->MemoryBytes / 1024} KiB RAM in {mb->Memory.Count} regions, {mb->ReservedBytes / 1024} KiB reserved in {mb->Reserved.Count} regions");
    }

    /// <summary>A zeroed page for early page tables, below the boot tables' identity-mapped limit.</summary>
    public static ulong AllocateZeroedPage()
    {
        ulong page = Memblock->Allocate(4096, 4096, BootData.EarlyMappedLimit);
        if (page == 0) return 0;
        Runtime.Bytes.Zero(Kernel.Memory.PhysicalMap.ToVirtual(page), 4096);
        return page;
    }
}
