// The kernel's live page tables: W^X of the image checked by expected faults, the direct map,
// the missing identity map, and map / unmap / protect / split on a scratch range.
using Kernel.Arch.X64;
using Kernel.Arch.X64.Paging;
using Kernel.Boot;
using Kernel.Boot.Memory;
using Kernel.Diagnostics.Testing;
using Kernel.Memory;

namespace Kernel.Tests.InGuest;

public static unsafe class PageTableSuite
{
    public const string Name = "pagetable";
    const long EFAULT = -14;
    // Linux's vmemmap range: nothing of ours lives there, so tests may map into it.
    const ulong Scratch = 0xffffea0000000000;
    const PageFlags Rw = PageFlags.Present | PageFlags.Writable | PageFlags.NoExecute;

    public static void Register(TestSuite suite)
    {
        suite.Add("text_is_read_execute", &TextIsReadExecute);
        suite.Add("rodata_and_data_are_not_executable", &RodataAndDataNotExecutable);
        suite.Add("write_to_text_faults", &WriteToTextFaults);
        suite.Add("write_to_rodata_faults", &WriteToRodataFaults);
        suite.Add("execute_data_faults", &ExecuteDataFaults);
        suite.Add("execute_direct_map_faults", &ExecuteDirectMapFaults);
        suite.Add("execute_text_works", &ExecuteTextWorks);
        suite.Add("identity_map_removed", &IdentityMapRemoved);
        suite.Add("direct_map_covers_ram", &DirectMapCoversRam);
        suite.Add("map_translate_unmap_4k", &MapTranslateUnmap4K);
        suite.Add("map_2m_then_split_by_protect", &Map2MThenSplit);
        suite.Add("smep_smap_enabled", &SmepSmapEnabled);
    }

    static ulong Root => KernelAddressSpace.Root;
    static byte s_returnInstruction = 0xc3;
    static void Nothing() { }

    static PageFlags FlagsOf(ulong va)
    {
        KTest.ExpectEqual(0L, (long)PageTables.Translate(Root, va, out _, out PageFlags f, out _), "translate status");
        return f;
    }

    static void TextIsReadExecute()
    {
        PageFlags f = FlagsOf(KernelLayout.Current->TextStart);
        KTest.Assert((f & PageFlags.Writable) == 0, "text not writable");
        KTest.Assert((f & PageFlags.NoExecute) == 0, "text executable");
        KTest.Assert((f & PageFlags.Global) != 0, "text global");
    }

    static void RodataAndDataNotExecutable()
    {
        if (!CpuFeatures.NoExecute) KTest.Skip("CPU without NX");
        PageFlags r = FlagsOf(KernelLayout.Current->RodataStart);
        KTest.Assert((r & PageFlags.NoExecute) != 0 && (r & PageFlags.Writable) == 0, "rodata read-only, no-execute");
        PageFlags d = FlagsOf(KernelLayout.Current->DataStart);
        KTest.Assert((d & PageFlags.NoExecute) != 0 && (d & PageFlags.Writable) != 0, "data read-write, no-execute");
    }

    static void WriteToTextFaults()
    {
        ulong target = (ulong)(delegate*<void>)&Nothing;
        byte original = *(byte*)target;
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeWriteByte(target, original), "write to kernel text");
    }

    static void WriteToRodataFaults()
    {
        ulong target = KernelLayout.Current->RodataStart;
        byte original = *(byte*)target;
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeWriteByte(target, original), "write to kernel rodata");
    }

    static void ExecuteDataFaults()
    {
        if (!CpuFeatures.NoExecute) KTest.Skip("CPU without NX");
        fixed (byte* ret = &s_returnInstruction)
            KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeExecute((ulong)ret), "execute a 'ret' in kernel data");
    }

    static void ExecuteDirectMapFaults()
    {
        if (!CpuFeatures.NoExecute) KTest.Skip("CPU without NX");
        ulong page = PhysicalPages.AllocateZeroed();
        byte* p = (byte*)PhysicalMap.ToVirtual(page);
        p[0] = 0xc3;
        long result = ExceptionTable.ProbeExecute((ulong)p);
        PhysicalPages.Free(page);
        KTest.ExpectEqual(EFAULT, result, "execute a 'ret' through the direct map");
    }

    static void ExecuteTextWorks()
    {
        KTest.ExpectEqual(0L, ExceptionTable.ProbeExecute((ulong)(delegate*<void>)&Nothing), "call a kernel function");
    }

    static void IdentityMapRemoved()
    {
        ulong value;
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead(0x100000, &value), "read the kernel's physical address 1 MiB directly");
        KTest.ExpectEqual((long)PagingStatus.NotMapped, (long)PageTables.Translate(Root, 0x200000, out _, out _, out _), "no identity mapping");
    }

    static void DirectMapCoversRam()
    {
        Kernel.Memory.Physical.Memblock* mb = EarlyMemory.Memblock;
        for (int i = 0; i < mb->Memory.Count; i++)
        {
            ulong last = mb->Memory.End(i) - 4096;
            KTest.Assert(PageTables.Translate(Root, KernelAddressSpace.DirectMapBase + last, out ulong phys, out _, out _) == PagingStatus.Ok, "last page of a RAM region mapped");
            KTest.ExpectEqual(last, phys, "direct map is physical + base");
        }
    }

    static void MapTranslateUnmap4K()
    {
        BuddyPages before = BuddyPages.Now();
        FrameSource frames = PhysicalPages.Frames;
        ulong page = PhysicalPages.AllocateZeroed();
        KTest.ExpectEqual(0L, (long)PageTables.Map(Root, Scratch, page, PageSize.Size4K, Rw, in frames), "map");
        *(ulong*)Scratch = 0xfeedface;
        KTest.ExpectEqual(0xfeedfaceUL, *(ulong*)PhysicalMap.ToVirtual(page), "same frame seen through the direct map");
        KTest.ExpectEqual((long)PagingStatus.AlreadyMapped, (long)PageTables.Map(Root, Scratch, page, PageSize.Size4K, Rw, in frames), "double map refused");
        KTest.ExpectEqual(0L, (long)PageTables.Unmap(Root, Scratch, PageSize.Size4K, out ulong phys, in frames), "unmap");
        KTest.ExpectEqual(page, phys, "unmap gives the frame back");
        ulong value;
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead(Scratch, &value), "unmapped address faults (TLB invalidated)");
        PhysicalPages.Free(page);
        before.ExpectRestored("page tables of the scratch range freed");
    }

    static void Map2MThenSplit()
    {
        BuddyPages before = BuddyPages.Now();
        FrameSource frames = PhysicalPages.Frames;
        ulong block = PhysicalPages.Allocate(9);
        KTest.Assert(block != 0, "a 2 MiB block");
        KTest.ExpectEqual(0L, (long)PageTables.Map(Root, Scratch, block, PageSize.Size2M, Rw, in frames), "map 2 MiB");
        PageTables.Translate(Root, Scratch + 0x12345, out ulong phys, out _, out PageSize size);
        KTest.ExpectEqual(block + 0x12345, phys, "offset inside the large page");
        KTest.ExpectEqual((ulong)PageSize.Size2M, (ulong)size, "mapped as one 2 MiB page");

        ulong middle = Scratch + 77 * 4096;
        KTest.ExpectEqual(0L, (long)PageTables.Protect(Root, middle, 4096, PageFlags.Present | PageFlags.NoExecute, in frames), "protect one page");
        for (ulong i = 0; i < 512; i++)
        {
            PageTables.Translate(Root, Scratch + i * 4096, out phys, out PageFlags f, out size);
            KTest.ExpectEqual(block + i * 4096, phys, "translation unchanged by the split");
            KTest.Assert(size == PageSize.Size4K, "split into 4 KiB pages");
            KTest.Assert(((f & PageFlags.Writable) == 0) == (i == 77), "only the protected page is read-only");
        }
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeWriteByte(middle, 1), "write to the protected page");
        KTest.ExpectEqual(0L, ExceptionTable.ProbeWriteByte(middle + 4096, 1), "write to its neighbour");
        KTest.ExpectEqual(0L, (long)PageTables.UnmapRange(Root, Scratch, 2UL << 20, in frames, null, out ulong leaves), "unmap range");
        KTest.ExpectEqual(512UL, leaves, "leaves removed");
        PhysicalPages.Free(block, 9);
        before.ExpectRestored("split tables freed");
    }

    static void SmepSmapEnabled()
    {
        ulong cr4 = Cpu.ReadCr4();
        if (CpuFeatures.Smep) KTest.Assert((cr4 & (1UL << 20)) != 0, "CR4.SMEP");
        if (CpuFeatures.Smap) KTest.Assert((cr4 & (1UL << 21)) != 0, "CR4.SMAP");
        if (!CpuFeatures.Smep && !CpuFeatures.Smap) KTest.Skip("CPU has neither SMEP nor SMAP");
    }
}

/// <summary>Free-frame counts (buddy lists + per-CPU caches) to compare around a test.</summary>
internal unsafe struct BuddyPages
{
    public ulong Available;

    public static BuddyPages Now() => new BuddyPages { Available = PhysicalPages.Buddy->FreeFrames + PhysicalPages.Buddy->PerCpuFrames };

    public void ExpectRestored(string what) => KTest.ExpectEqual(Available, Now().Available, what);
}
