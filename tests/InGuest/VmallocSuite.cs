// vmalloc in the running kernel: contiguous zeroed memory, guard pages that fault, frames
// returned on free, and the kernel stack living there.
using Kernel.Arch.X64;
using Kernel.Boot.Memory;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class VmallocSuite
{
    public const string Name = "vmalloc";
    const long EFAULT = -14;

    public static void Register(TestSuite suite)
    {
        suite.Add("allocate_write_free", &AllocateWriteFree);
        suite.Add("guard_page_after_area_faults", &GuardPageAfterAreaFaults);
        suite.Add("page_below_area_faults", &PageBelowAreaFaults);
        suite.Add("large_allocation_contiguous", &LargeAllocationContiguous);
        suite.Add("exhaustion_returns_null", &ExhaustionReturnsNull);
        suite.Add("kernel_stack_is_vmalloc", &KernelStackIsVmalloc);
        suite.Add("bad_free_refused", &BadFreeRefused);
    }

    static void AllocateWriteFree()
    {
        BuddyPages before = BuddyPages.Now();
        byte* p = (byte*)KernelVmalloc.Allocate(3 * 4096 + 100);
        KTest.Assert(p != null, "allocation");
        for (int i = 0; i < 4 * 4096; i++) KTest.Assert(p[i] == 0, "zeroed");
        for (int i = 0; i < 4 * 4096; i++) p[i] = (byte)i;
        for (int i = 0; i < 4 * 4096; i++) KTest.Assert(p[i] == (byte)i, "kept");
        KTest.Assert(KernelVmalloc.Free(p), "free");
        before.ExpectRestored("frames and page tables back");
    }

    static void GuardPageAfterAreaFaults()
    {
        byte* p = (byte*)KernelVmalloc.Allocate(8192);
        ulong value;
        KTest.ExpectEqual(0L, ExceptionTable.ProbeRead((ulong)p + 8184, &value), "last word of the area");
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead((ulong)p + 8192, &value), "first byte after the area");
        KTest.Assert(KernelVmalloc.IsGuardPage((ulong)p + 8192, out ulong start, out _) && start == (ulong)p, "recognised as its guard page");
        KernelVmalloc.Free(p);
    }

    static void PageBelowAreaFaults()
    {
        byte* p = (byte*)KernelVmalloc.Allocate(4096);
        ulong value;
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead((ulong)p - 8, &value), "the word below the area");
        KernelVmalloc.Free(p);
    }

    static void LargeAllocationContiguous()
    {
        const ulong Size = 4UL << 20;
        byte* p = (byte*)KernelVmalloc.Allocate(Size);
        KTest.Assert(p != null, "4 MiB");
        for (ulong i = 0; i < Size; i += 4096) p[i] = 0xab;
        KTest.Assert(p[Size - 4096] == 0xab, "last page written");
        KTest.Assert(KernelVmalloc.Free(p), "free");
    }

    // Memory is first taken down to a few pages (whole high-order blocks, threaded through
    // themselves), so a vmalloc larger than what is left must fail part-way, undo what it
    // mapped, and leak nothing.
    static void ExhaustionReturnsNull()
    {
        ulong head = 0;
        for (int order = Kernel.Memory.Physical.PageGeometry.MaxOrder; order >= 4; order--)
        {
            ulong block;
            while ((block = PhysicalPages.Allocate(order)) != 0)
            {
                ulong* words = (ulong*)Kernel.Memory.PhysicalMap.ToVirtual(block);
                words[0] = head;
                words[1] = (ulong)order;
                head = block;
            }
        }
        BuddyPages before = BuddyPages.Now();
        ulong tooMuch = (before.Available + 16) * 4096;
        void* p = KernelVmalloc.Allocate(tooMuch);
        BuddyPages after = BuddyPages.Now();
        while (head != 0)
        {
            ulong* words = (ulong*)Kernel.Memory.PhysicalMap.ToVirtual(head);
            ulong next = words[0];
            PhysicalPages.Free(head, (int)words[1]);
            head = next;
        }
        KTest.Assert(p == null, "more than the free memory: null");
        KTest.ExpectEqual(before.Available, after.Available, "partial allocation undone");
    }

    static void KernelStackIsVmalloc()
    {
        ulong rsp = Cpu.ReadStackPointer();
        KTest.Assert(rsp >= KernelVmalloc.Start && rsp < KernelVmalloc.End, "RSP in the vmalloc range");
        KTest.Assert(KernelVmalloc.Space->FindArea(rsp, out ulong start, out ulong end), "inside a vmalloc area");
        KTest.ExpectEqual(KernelVmalloc.KernelStackSize, end - start, "stack size");
    }

    static void BadFreeRefused()
    {
        byte* p = (byte*)KernelVmalloc.Allocate(4096);
        KTest.Assert(!KernelVmalloc.Free(p + 16), "free of an interior pointer refused");
        KTest.Assert(!KernelVmalloc.Free((void*)0x1000), "free of a foreign pointer refused");
        KTest.Assert(KernelVmalloc.Free(p), "real free");
    }
}
