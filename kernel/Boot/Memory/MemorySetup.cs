// Memory bring-up, in Linux's order:
//   1. memblock from the firmware map, with everything already in use reserved (EarlyMemory);
//   2. the kernel's page tables, built from memblock pages while the boot tables still
//      identity-map low memory, then loaded (KernelAddressSpace); from here on physical memory
//      is reached through the direct map;
//   3. the buddy allocator: its metadata (24 bytes per frame) carved from memblock, then every
//      free page memblock still holds handed over; memblock retires.
// Each step is reported; the accounting must match the firmware map to the page.
using Kernel.Arch.X64;
using Kernel.Boot.Multiboot2;
using Kernel.Diagnostics;
using Kernel.Memory;
using Kernel.Memory.Physical;

namespace Kernel.Boot.Memory;

public static unsafe class MemorySetup
{
    const int MaxRanges = 128;
    static ulong s_metadataBytes;

    public static ulong MetadataBytes => s_metadataBytes;

    public static void Initialize(BootInfo* info)
    {
        EarlyMemory.Initialize(info);
        Memblock* mb = EarlyMemory.Memblock;
        KernelAddressSpace.Build(mb, &EarlyMemory.AllocateZeroedPage);
        // The identity map is gone: re-point what still held low addresses, then speak again.
        BootConsole.Select(info);
        BootSequence.LoadSymbols(quiet: true);
        KernelAddressSpace.Report();
        InitializeBuddy(mb);
        ReportAccounting(mb);
    }

    static void InitializeBuddy(Memblock* mb)
    {
        RamRange* ranges = stackalloc RamRange[MaxRanges];
        int count = 0;
        for (int i = 0; i < mb->Memory.Count && count < MaxRanges; i++)
            ranges[count++] = new RamRange(mb->Memory.Base(i), mb->Memory.End(i));

        s_metadataBytes = BuddyAllocator.MetadataBytesNeeded(ranges, count);
        ulong metadata = mb->Allocate(s_metadataBytes, 4096, Kernel.Memory.Physical.Memblock.NoLimit);
        if (metadata == 0) Panic.Halt("memory: no room for the page descriptors");

        BuddyAllocator* buddy = PhysicalPages.Buddy;
        InitStatus status = buddy->Initialize(ranges, count, PhysicalMap.ToVirtual(metadata), s_metadataBytes);
        if (status != InitStatus.Ok) Panic.Halt("memory: the buddy allocator rejected the memory map");
        buddy->PoisonOnFree = BootData.CommandLine->ValueEquals("init_on_free", "1");

        ulong cursor = 0;
        while (mb->IterateFree(ref cursor, out ulong start, out ulong end))
        {
            FreeResult r = buddy->AddFreeRange(start >> 12, end >> 12);
            if (!r.IsOk) PhysicalPages.Report(r, 0);
            PhysicalPages.AddHandedOver((end - start) >> 12);
        }
    }

    static void ReportAccounting(Memblock* mb)
    {
        BuddyAllocator* buddy = PhysicalPages.Buddy;
        ulong firmwarePages = EarlyMemory.FirmwareUsablePages;
        ulong reservedPages = buddy->ReservedFrames;
        Log.Info($"memory: firmware map {firmwarePages} usable pages = {buddy->TotalFrames} managed by the page allocator: {buddy->FreeFrames} free, {reservedPages} reserved (kernel, boot data, {KernelAddressSpace.BootTablePages} page-table pages, {s_metadataBytes / 1024} KiB descriptors)");
        if (firmwarePages != buddy->TotalFrames || buddy->ManagedFrames != PhysicalPages.HandedOverFrames)
            Log.Error($"memory: accounting mismatch: firmware {firmwarePages} pages, allocator {buddy->TotalFrames}, handed over {PhysicalPages.HandedOverFrames}, managed {buddy->ManagedFrames}");
        ulong overheadMilli = s_metadataBytes * 100000 / (firmwarePages * 4096 == 0 ? 1 : firmwarePages * 4096);
        Log.Info($"memory: page descriptors {sizeof(PageDescriptor)} bytes per frame, {overheadMilli / 1000}.{overheadMilli % 1000:3}% of RAM");
        LogText(buddy);
    }

    /// <summary>meminfo and buddyinfo at debug level (the shell and /proc show them later).</summary>
    static void LogText(BuddyAllocator* buddy)
    {
        PhysicalMemoryStats stats;
        buddy->GetStats(&stats);
        byte* buffer = stackalloc byte[2048];
        var text = new TextBuilder(buffer, 2048);
        MemInfoText.Write(ref text, &stats);
        BuddyInfoText.Write(ref text, &stats);
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (buffer[i] != (byte)'\n') continue;
            var line = new LogLine(0, 0);
            for (int k = start; k < i; k++) line.AppendFormatted((char)buffer[k]);
            Log.Debug(ref line);
            start = i + 1;
        }
    }
}
