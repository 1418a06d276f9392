// The kernel's own page tables, replacing the boot stub's. Built with the page-table API from
// pages memblock hands out, then loaded into CR3:
//   - a direct map of all RAM at 0xffff888000000000 (Linux's base), 1 GiB / 2 MiB pages where
//     alignment allows, read-write, no-execute, global; the legacy first MiB (VGA text buffer,
//     BIOS data) is mapped there too, page 0 excepted;
//   - the kernel image at 0xffffffff80000000 + physical, one section at a time (W^X):
//     .text read+execute, .rodata read-only no-execute, .data/.bss read-write no-execute;
//     the boot area below .text (boot stack, boot tables) read-write no-execute, its stack
//     guard page left unmapped;
//   - every kernel-half PML4 slot given a PDPT now, so that kernel mappings made later
//     (vmalloc) appear in every address space that copies the kernel half;
//   - no identity map: low addresses belong to user space from here on.
// EFER.NXE, CR4.PGE and, when the CPU has them, CR4.SMEP and CR4.SMAP are switched on.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Arch.X64.Paging;
using Kernel.Boot;
using Kernel.Diagnostics;
using Kernel.Memory;
using Memblock = Kernel.Memory.Physical.Memblock;

namespace Kernel.Arch.X64;

public static unsafe class KernelAddressSpace
{
    public const ulong DirectMapBase = 0xffff888000000000;
    const uint MsrEfer = 0xc0000080;
    const ulong EferNoExecuteEnable = 1UL << 11;
    const ulong Cr4Pge = 1UL << 7, Cr4Smep = 1UL << 20, Cr4Smap = 1UL << 21;
    const ulong LegacyAreaEnd = 1UL << 20;

    static ulong s_root;
    static ulong s_tablePages;
    static PageFlags s_noExecute;

    public static ulong Root => s_root;
    public static bool SmapEnabled => (Cpu.ReadCr4() & Cr4Smap) != 0;
    /// <summary>Page-table pages the boot-time build took from memblock.</summary>
    public static ulong BootTablePages => s_tablePages;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "set_smap_clac")]
    static extern void EnableClacInInterruptEntry();

    public static void Build(Memblock* memblock, delegate*<ulong> allocateTablePage)
    {
        if (CpuFeatures.NoExecute)
        {
            Cpu.WriteMsr(MsrEfer, Cpu.ReadMsr(MsrEfer) | EferNoExecuteEnable);
            s_noExecute = PageFlags.NoExecute;
        }
        FrameSource frames;
        frames.AllocateZeroedFrame = allocateTablePage;
        frames.FreeFrame = null;
        s_root = allocateTablePage();
        if (s_root == 0) Panic.Halt("memory: no page for the kernel's top-level page table");

        MapDirect(memblock, in frames);
        MapImage(in frames);
        Check(PageTables.PreallocateKernelSlots(s_root, 256, 511, in frames), "kernel PML4 slots");
        s_tablePages = CountTablePages();

        Cpu.WriteCr4(Cpu.ReadCr4() | Cr4Pge);
        Cpu.WriteCr3(s_root);
        PhysicalMap.SetOffset(DirectMapBase);
        ulong cr4 = Cpu.ReadCr4();
        if (CpuFeatures.Smep) cr4 |= Cr4Smep;
        if (CpuFeatures.Smap) { cr4 |= Cr4Smap; EnableClacInInterruptEntry(); }
        Cpu.WriteCr4(cr4);
    }

    /// <summary>
    /// Logs the new layout. Separate from Build because nothing may print between the CR3 switch
    /// and the moment the consoles and symbol tables are re-pointed at the direct map.
    /// </summary>
    public static void Report()
    {
        Log.Info($"paging: kernel page tables loaded (CR3 {s_root:x}), {s_tablePages} table pages; direct map at {DirectMapBase:x}; NX {(CpuFeatures.NoExecute ? "on" : "unsupported")}, SMEP {(CpuFeatures.Smep ? "on" : "off")}, SMAP {(CpuFeatures.Smap ? "on" : "off")}; identity map gone");
    }

    static void MapDirect(Memblock* memblock, in FrameSource frames)
    {
        PageFlags flags = PageFlags.Present | PageFlags.Writable | PageFlags.Global | s_noExecute;
        PageSize largest = CpuFeatures.HugePages1G ? PageSize.Size1G : PageSize.Size2M;
        for (int i = 0; i < memblock->Memory.Count; i++)
        {
            ulong start = memblock->Memory.Base(i), end = memblock->Memory.End(i);
            if (start < LegacyAreaEnd) start = LegacyAreaEnd < end ? LegacyAreaEnd : end;
            if (end > start) Check(PageTables.MapRange(s_root, DirectMapBase + start, start, end - start, flags, largest, in frames, out ulong _), "direct map");
        }
        // The first MiB, RAM or not (the VGA text buffer lives at 0xb8000), without page 0.
        Check(PageTables.MapRange(s_root, DirectMapBase + 4096, 4096, LegacyAreaEnd - 4096, flags, PageSize.Size4K, in frames, out ulong _), "legacy area");
    }

    static void MapImage(in FrameSource frames)
    {
        KernelLayout* l = KernelLayout.Current;
        const ulong Base = KernelLayout.VirtualBase;
        PageFlags global = PageFlags.Present | PageFlags.Global;
        MapSection(l->TextStart, l->TextEnd, global, in frames, "kernel text");
        MapSection(l->RodataStart, l->RodataEnd, global | s_noExecute, in frames, "kernel rodata");
        MapSection(l->DataStart, l->DataEnd, global | PageFlags.Writable | s_noExecute, in frames, "kernel data");
        // The boot area: Multiboot2 header, 32-bit code, boot tables and the boot stack we are
        // still running on (through its higher-half alias), minus the stack's guard page.
        ulong guard = l->BootStackGuard;
        MapSection(Base + l->PhysicalStart, guard, global | PageFlags.Writable | s_noExecute, in frames, "boot area");
        MapSection(guard + 4096, l->TextStart, global | PageFlags.Writable | s_noExecute, in frames, "boot stack");
    }

    static void MapSection(ulong start, ulong end, PageFlags flags, in FrameSource frames, string what)
    {
        start &= ~4095UL;
        end = (end + 4095) & ~4095UL;
        if (end <= start) return;
        Check(PageTables.MapRange(s_root, start, start - KernelLayout.VirtualBase, end - start, flags, PageSize.Size4K, in frames, out ulong _), what);
    }

    static void Check(PagingStatus status, string what)
    {
        if (status == PagingStatus.Ok) return;
        Log.Error($"paging: mapping the {what} failed: {PageTables.Describe(status)}");
        Panic.Halt("memory: cannot build the kernel page tables");
    }

    static ulong CountTablePages()
    {
        ulong count = 1;
        ulong* pml4 = (ulong*)PhysicalMap.ToVirtual(s_root);
        for (int i = 0; i < 512; i++) if ((pml4[i] & 1) != 0) count += CountBelow(pml4[i] & 0x000ffffffffff000UL, 3);
        return count;
    }

    static ulong CountBelow(ulong table, int level)
    {
        ulong count = 1;
        if (level == 1) return count;
        ulong* entries = (ulong*)PhysicalMap.ToVirtual(table);
        for (int i = 0; i < 512; i++)
            if ((entries[i] & 1) != 0 && (entries[i] & 0x80) == 0) count += CountBelow(entries[i] & 0x000ffffffffff000UL, level - 1);
        return count;
    }
}
