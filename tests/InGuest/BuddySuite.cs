// The live buddy allocator: the fast path, every page handed out and back, zones, exhaustion,
// and the detection of bad frees. Counters are compared before and after each case.
using Kernel.Boot.Memory;
using Kernel.Diagnostics.Testing;
using Kernel.Memory;
using Kernel.Memory.Physical;

namespace Kernel.Tests.InGuest;

public static unsafe class BuddySuite
{
    public const string Name = "buddy";

    public static void Register(TestSuite suite)
    {
        suite.Add("accounting_matches_firmware_map", &AccountingMatchesFirmwareMap);
        suite.Add("alloc_free_order0", &AllocFreeOrder0);
        suite.Add("alloc_all_then_free_all", &AllocAllThenFreeAll);
        suite.Add("high_order_aligned", &HighOrderAligned);
        suite.Add("zone_limits", &ZoneLimits);
        suite.Add("double_free_detected", &DoubleFreeDetected);
        suite.Add("reserved_frame_free_detected", &ReservedFrameFreeDetected);
        suite.Add("misaligned_free_detected", &MisalignedFreeDetected);
        suite.Add("invariants_hold", &InvariantsHold);
    }

    static BuddyAllocator* B => PhysicalPages.Buddy;
    static ulong Available => B->FreeFrames + B->PerCpuFrames;

    static void AccountingMatchesFirmwareMap()
    {
        KTest.ExpectEqual(EarlyMemory.FirmwareUsablePages, B->TotalFrames, "frames described = usable pages in the firmware map");
        KTest.ExpectEqual(PhysicalPages.HandedOverFrames, B->ManagedFrames, "frames managed = pages memblock handed over");
        KTest.ExpectEqual(B->TotalFrames, B->ManagedFrames + B->ReservedFrames, "managed + reserved = total");
    }

    static void AllocFreeOrder0()
    {
        ulong before = Available;
        ulong page = PhysicalPages.Allocate();
        KTest.Assert(page != 0 && (page & 4095) == 0, "a page-aligned frame");
        ulong* p = (ulong*)PhysicalMap.ToVirtual(page);
        p[0] = 0x1122334455667788; p[511] = page;
        KTest.ExpectEqual(0x1122334455667788UL, p[0], "written through the direct map");
        KTest.ExpectEqual(before - 1, Available, "one frame fewer");
        PhysicalPages.Free(page);
        KTest.ExpectEqual(before, Available, "frame back");
    }

    // Every free page is taken, largest blocks first (so 8 GiB takes thousands of calls, not
    // millions) down to single pages through the per-CPU path, until even order 0 answers 0.
    // The chain of taken blocks is threaded through the blocks themselves (next, order), so the
    // test needs no memory of its own. Freeing them all restores the exact counts.
    static void AllocAllThenFreeAll()
    {
        B->DrainAllPerCpu();
        ulong before = B->FreeFrames, failuresBefore = B->State->AllocationFailures;
        ulong head = 0, frames = 0;
        for (int order = PageGeometry.MaxOrder; order >= 0; order--)
        {
            while (true)
            {
                ulong block = PhysicalPages.Allocate(order);
                if (block == 0) break;
                ulong* words = (ulong*)PhysicalMap.ToVirtual(block);
                words[0] = head;
                words[1] = (ulong)order;
                head = block;
                frames += 1UL << order;
            }
        }
        KTest.ExpectEqual(before, frames, "frames handed out before exhaustion");
        KTest.ExpectEqual(0UL, B->FreeFrames + B->PerCpuFrames, "nothing left");
        KTest.ExpectEqual(0UL, PhysicalPages.Allocate(), "order 0 fails cleanly");
        KTest.Assert(B->State->AllocationFailures > failuresBefore, "the failures are counted");
        while (head != 0)
        {
            ulong* words = (ulong*)PhysicalMap.ToVirtual(head);
            ulong next = words[0];
            PhysicalPages.Free(head, (int)words[1]);
            head = next;
        }
        B->DrainAllPerCpu();
        KTest.ExpectEqual(before, B->FreeFrames, "every page back, coalesced");
        KTest.Assert(B->CheckInvariants().IsOk, "invariants after the round trip");
    }

    static void HighOrderAligned()
    {
        ulong before = Available;
        for (int order = 4; order <= PageGeometry.MaxOrder; order += 3)
        {
            ulong block = PhysicalPages.Allocate(order);
            KTest.Assert(block != 0, "a high-order block");
            KTest.ExpectEqual(0UL, block & ((4096UL << order) - 1), "block aligned to its size");
            PhysicalPages.Free(block, order);
        }
        KTest.ExpectEqual(before, Available, "counts restored");
    }

    static void ZoneLimits()
    {
        ulong dma = PhysicalPages.Allocate(0, ZoneType.Dma);
        ulong dma32 = PhysicalPages.Allocate(2, ZoneType.Dma32);
        KTest.Assert(dma != 0 && dma < (16UL << 20), "DMA zone frame below 16 MiB");
        KTest.Assert(dma32 != 0 && dma32 < (4UL << 30), "DMA32 zone frames below 4 GiB");
        PhysicalPages.Free(dma);
        PhysicalPages.Free(dma32, 2);
    }

    static void DoubleFreeDetected()
    {
        ulong page = PhysicalPages.Allocate();
        KTest.Assert(B->FreePages(page, 0).IsOk, "first free");
        ulong before = Available, errors = B->State->TotalFreeErrors;
        FreeResult second = B->FreePages(page, 0);
        KTest.ExpectEqual((ulong)FreeStatus.DoubleFree, (ulong)second.Status, "second free's status");
        KTest.ExpectEqual(page >> 12, second.Pfn, "names the frame");
        KTest.ExpectEqual(before, Available, "counts unchanged");
        KTest.ExpectEqual(errors + 1, B->State->TotalFreeErrors, "error counted");
    }

    static void ReservedFrameFreeDetected()
    {
        ulong kernelFrame = Boot.KernelLayout.Current->PhysicalStart + 0x10000;
        ulong before = Available;
        FreeResult r = B->FreePages(kernelFrame, 0);
        KTest.ExpectEqual((ulong)FreeStatus.ReservedFrame, (ulong)r.Status, "freeing a kernel-image frame");
        KTest.ExpectEqual(before, Available, "counts unchanged");
    }

    static void MisalignedFreeDetected()
    {
        ulong block = PhysicalPages.Allocate(2);
        FreeResult r = B->FreePages(block + 4096, 2);
        KTest.ExpectEqual((ulong)FreeStatus.Misaligned, (ulong)r.Status, "order-2 free at an odd frame");
        KTest.ExpectEqual((ulong)FreeStatus.Misaligned, (ulong)B->FreePages(block + 8, 0).Status, "unaligned address");
        PhysicalPages.Free(block, 2);
    }

    static void InvariantsHold()
    {
        InvariantReport report = B->CheckInvariants();
        KTest.ExpectEqual(0UL, (ulong)report.Violation, "invariant violation code");
    }
}
