// The live slab allocator, modelled on Linux's slub_kunit: kmalloc classes and large blocks,
// a cache's whole life, bad frees, and the debug checks. Each corruption case makes its own
// debug cache (as slub_kunit does), corrupts one thing, and expects exactly that kind of report
// to be counted; the cache is destroyed clean afterwards. Passes with and without
// slab_debug=FZPU (which only adds options to every cache).
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;
using Kernel.Memory;
using Kernel.Memory.Physical;
using Kernel.Memory.Slab;
using Kernel.Runtime;

namespace Kernel.Tests.InGuest;

public static unsafe class SlabSuite
{
    public const string Name = "slab";

    public static void Register(TestSuite suite)
    {
        suite.Add("kmalloc_classes", &KmallocClasses);
        suite.Add("kmalloc_large_knows_its_size", &KmallocLarge);
        suite.Add("cache_lifecycle_returns_pages", &CacheLifecycle);
        suite.Add("constructor_once_per_object", &ConstructorOncePerObject);
        suite.Add("krealloc_preserves_contents", &KreallocPreserves);
        suite.Add("kfree_null_and_foreign", &KfreeNullAndForeign);
        suite.Add("clobber_redzone_on_free", &ClobberRedzoneOnFree);
        suite.Add("clobber_redzone_after_free", &ClobberRedzoneAfterFree);
        suite.Add("clobber_next_pointer", &ClobberNextPointer);
        suite.Add("clobber_first_word", &ClobberFirstWord);
        suite.Add("clobber_50th_byte", &Clobber50thByte);
        suite.Add("double_free", &DoubleFree);
        suite.Add("owner_is_the_allocating_method", &OwnerTracking);
        suite.Add("destroy_reports_leaks", &DestroyReportsLeaks);
        suite.Add("exhaustion_returns_null", &Exhaustion);
        suite.Add("slabinfo_text", &SlabInfo);
        suite.Add("new_comes_from_kmalloc_zeroed", &NewFromKmallocZeroed);
        suite.Add("new_of_a_hot_type_uses_its_cache", &NewOfHotType);
        suite.Add("free_of_a_boot_heap_object_is_ignored", &FreeBootHeapObject);
    }

    static SlabAllocator* S => SlabSetup.Slab;
    static BuddyAllocator* B => PhysicalPages.Buddy;
    static ulong Available => B->FreeFrames + B->PerCpuFrames;

    static void KmallocClasses()
    {
        ulong* sizes = stackalloc ulong[] { 1, 8, 9, 16, 24, 32, 48, 64, 65, 96, 100, 128, 150, 192, 200, 256, 300, 512, 1000, 1024, 2000, 2048, 4000, 4096, 5000, 8192 };
        void** ptrs = stackalloc void*[26];
        for (int i = 0; i < 26; i++)
        {
            byte* p = (byte*)Kmem.Kmalloc(sizes[i]);
            KTest.Assert(p != null, "kmalloc returned memory");
            KTest.Assert(Kmem.Ksize(p) >= sizes[i], "ksize covers the request");
            KTest.ExpectEqual(0UL, (ulong)p & (sizes[i] > 8 ? 15UL : 7UL), "alignment");
            for (ulong k = 0; k < sizes[i]; k++) p[k] = (byte)i;
            ptrs[i] = p;
        }
        for (int i = 0; i < 26; i++)
        {
            byte* p = (byte*)ptrs[i];
            for (ulong k = 0; k < sizes[i]; k++)
                if (p[k] != (byte)i) KTest.Fail("another allocation overwrote this one");
            Kmem.Kfree(p);
        }
        KTest.ExpectEqual(8192UL, (ulong)S->KmallocCache(8192)->ObjectSize, "largest class");
        KTest.ExpectEqual(96UL, (ulong)S->KmallocCache(90)->ObjectSize, "96 class");
        KTest.ExpectEqual(192UL, (ulong)S->KmallocCache(180)->ObjectSize, "192 class");
    }

    static void KmallocLarge()
    {
        ulong before = Available, blocks = S->LargeBlocks;
        byte* p = (byte*)Kmem.Kmalloc(100000);
        KTest.Assert(p != null, "100000 bytes");
        KTest.ExpectEqual(0UL, (ulong)p & 4095, "page aligned");
        KTest.ExpectEqual(131072UL, Kmem.Ksize(p), "ksize is the block: 32 pages");
        p[99999] = 1;
        KTest.ExpectEqual(blocks + 1, S->LargeBlocks, "counted as a large block");
        Kmem.Kfree(p);
        KTest.ExpectEqual(blocks, S->LargeBlocks, "freed by address alone");
        KTest.ExpectEqual(before, Available, "pages back");
    }

    static void CacheLifecycle()
    {
        B->DrainAllPerCpu();
        ulong before = Available;
        SlabCache* c = Kmem.CreateCache("test_lifecycle", 200, 64, SlabFlags.None, null);
        KTest.Assert(c != null, "cache created");
        ulong array = PhysicalPages.Allocate(1);            // 8 KiB for the pointers, outside the slab
        void** objs = (void**)PhysicalMap.ToVirtual(array);
        for (int i = 0; i < 1000; i++)
        {
            objs[i] = KmemCache.Alloc(c);
            KTest.Assert(objs[i] != null, "object");
            KTest.ExpectEqual(0UL, (ulong)objs[i] & 63, "64-byte aligned");
            *(int*)objs[i] = i;
        }
        KTest.ExpectEqual(1000UL, c->ActiveObjects, "active objects");
        for (int i = 0; i < 1000; i++)
        {
            KTest.ExpectEqual((long)i, *(int*)objs[i], "contents kept");
            KmemCache.Free(c, objs[i]);
        }
        PhysicalPages.Free(array, 1);
        KTest.ExpectEqual((ulong)SlabStatus.Ok, (ulong)Kmem.DestroyCache(c, out ulong leaked), "destroy");
        KTest.ExpectEqual(0UL, leaked, "nothing leaked");
        B->DrainAllPerCpu();
        KTest.ExpectEqual(before, Available, "every page back");
    }

    static int s_constructed;
    static void Construct(void* obj) { s_constructed++; *(ulong*)obj = 0x1234; }

    static void ConstructorOncePerObject()
    {
        s_constructed = 0;
        SlabCache* c = Kmem.CreateCache("test_ctor", 48, 0, SlabFlags.None, &Construct);
        void* a = KmemCache.Alloc(c);
        KTest.ExpectEqual(0x1234UL, *(ulong*)a, "constructed");
        KTest.ExpectEqual((long)c->ObjectsPerSlab, s_constructed, "one slab constructed");
        for (int i = 0; i < 100; i++) KmemCache.Free(c, KmemCache.Alloc(c));
        KTest.ExpectEqual((long)c->ObjectsPerSlab, s_constructed, "not again on reuse");
        KmemCache.Free(c, a);
        KTest.ExpectEqual((ulong)SlabStatus.Ok, (ulong)Kmem.DestroyCache(c, out _), "destroy");
    }

    static void KreallocPreserves()
    {
        byte* p = (byte*)Kmem.Kmalloc(10);
        for (int i = 0; i < 10; i++) p[i] = (byte)(i + 1);
        byte* q = (byte*)Kmem.Krealloc(p, 3000);
        KTest.Assert(q != null, "grown");
        for (int i = 0; i < 10; i++) KTest.ExpectEqual(i + 1, q[i], "kept across krealloc");
        byte* r = (byte*)Kmem.Krealloc(q, 50000);
        for (int i = 0; i < 10; i++) KTest.ExpectEqual(i + 1, r[i], "kept into a large block");
        KTest.Assert(Kmem.Krealloc(r, 0) == null, "size 0 frees");
    }

    static void KfreeNullAndForeign()
    {
        ulong reports = S->Reports;
        Kmem.Kfree(null);
        KTest.ExpectEqual(reports, S->Reports, "kfree(null) is silent");
        ulong onStack;
        ulong foreign = S->ReportsOf(SlabError.ForeignPointer), inner = S->ReportsOf(SlabError.NotObjectStart);
        Kmem.Kfree(&onStack);
        KTest.ExpectEqual(foreign + 1, S->ReportsOf(SlabError.ForeignPointer), "a stack address is reported");
        Kmem.Kfree((void*)Boot.KernelLayout.Current->PhysicalStart);
        KTest.ExpectEqual(foreign + 2, S->ReportsOf(SlabError.ForeignPointer), "a low address is reported");
        byte* p = (byte*)Kmem.Kmalloc(64);
        SlabCache* c = S->KmallocCache(64);
        ulong active = c->ActiveObjects;
        Kmem.Kfree(p + 16);
        KTest.ExpectEqual(inner + 1, S->ReportsOf(SlabError.NotObjectStart), "an interior pointer is reported");
        KTest.ExpectEqual(active, c->ActiveObjects, "and not freed");
        Kmem.Kfree(p);
        KTest.ExpectEqual(active - 1, c->ActiveObjects, "the real free works");
    }

    // ---- corruption (each its own debug cache) --------------------------------------------------

    static SlabCache* DebugCache(string name, SlabFlags flags)
    {
        SlabCache* c = Kmem.CreateCache(name, 64, 0, flags, null);
        KTest.Assert(c != null && c->IsDebug, "debug cache");
        return c;
    }

    static void Destroy(SlabCache* c)
    {
        KTest.ExpectEqual((ulong)SlabStatus.Ok, (ulong)Kmem.DestroyCache(c, out ulong leaked), "destroyed clean");
    }

    static void ClobberRedzoneOnFree()
    {
        SlabCache* c = DebugCache("test_rz_free", SlabFlags.RedZone);
        ulong before = S->ReportsOf(SlabError.WritePastEnd);
        byte* p = (byte*)KmemCache.Alloc(c);
        p[64] = 0x12;                                    // one past the end
        KmemCache.Free(c, p);
        KTest.ExpectEqual(before + 1, S->ReportsOf(SlabError.WritePastEnd), "write past the end caught on free");
        KTest.ExpectEqual(64L, S->LastReport.Offset, "at byte 64");
        KTest.Assert(S->LastReport.Cache == c, "names the cache");
        KTest.ExpectEqual((ulong)p, S->LastReport.Object, "names the object");
        Destroy(c);
    }

    static void ClobberRedzoneAfterFree()
    {
        SlabCache* c = DebugCache("test_rz_after", SlabFlags.RedZone);
        ulong before = S->ReportsOf(SlabError.WritePastEnd);
        byte* p = (byte*)KmemCache.Alloc(c);
        KmemCache.Free(c, p);
        p[64] = 0xab;
        byte* q = (byte*)KmemCache.Alloc(c);
        KTest.ExpectEqual(before + 1, S->ReportsOf(SlabError.WritePastEnd), "caught on the next alloc");
        KmemCache.Free(c, q);
        Destroy(c);
    }

    static void ClobberNextPointer()
    {
        SlabCache* c = DebugCache("test_next_ptr", SlabFlags.Poison);
        ulong before = S->ReportsOf(SlabError.FreePointerCorrupt);
        byte* p = (byte*)KmemCache.Alloc(c);
        KmemCache.Free(c, p);
        ulong* fp = (ulong*)(p - c->ObjectOffset + c->FreePointerOffset);
        *fp ^= 0x0000_0000_0010_0000;                   // a plausible-looking pointer elsewhere
        byte* q = (byte*)KmemCache.Alloc(c);
        KTest.ExpectEqual(before + 1, S->ReportsOf(SlabError.FreePointerCorrupt), "corrupt free pointer caught");
        KTest.Assert(q == p, "the head object is still handed out");
        byte* r = (byte*)KmemCache.Alloc(c);
        KTest.Assert(r != null && r != p, "the fenced slab is left alone: a new one serves");
        KmemCache.Free(c, q);
        KmemCache.Free(c, r);
        Destroy(c);
    }

    static void ClobberFirstWord()
    {
        SlabCache* c = DebugCache("test_first_word", SlabFlags.Poison);
        ulong before = S->ReportsOf(SlabError.WriteAfterFree);
        byte* p = (byte*)KmemCache.Alloc(c);
        KmemCache.Free(c, p);
        *(ulong*)p = 0x78;
        byte* q = (byte*)KmemCache.Alloc(c);
        KTest.ExpectEqual(before + 1, S->ReportsOf(SlabError.WriteAfterFree), "write after free caught");
        KTest.ExpectEqual(0L, S->LastReport.Offset, "at byte 0");
        KmemCache.Free(c, q);
        Destroy(c);
    }

    static void Clobber50thByte()
    {
        SlabCache* c = DebugCache("test_50th_byte", SlabFlags.Poison);
        ulong before = S->ReportsOf(SlabError.WriteAfterFree);
        byte* p = (byte*)KmemCache.Alloc(c);
        KmemCache.Free(c, p);
        p[50] = 0x9a;
        byte* q = (byte*)KmemCache.Alloc(c);
        KTest.ExpectEqual(before + 1, S->ReportsOf(SlabError.WriteAfterFree), "write after free caught");
        KTest.ExpectEqual(50L, S->LastReport.Offset, "at byte 50");
        KTest.ExpectEqual(0x9aUL, S->LastReport.Found, "the byte written");
        KmemCache.Free(c, q);
        Destroy(c);
    }

    static void DoubleFree()
    {
        SlabCache* c = DebugCache("test_double_free", SlabFlags.ConsistencyChecks);
        ulong before = S->ReportsOf(SlabError.DoubleFree);
        void* keep = KmemCache.Alloc(c);
        byte* p = (byte*)KmemCache.Alloc(c);
        KmemCache.Free(c, p);
        ulong active = c->ActiveObjects;
        KmemCache.Free(c, p);
        KTest.ExpectEqual(before + 1, S->ReportsOf(SlabError.DoubleFree), "double free caught");
        KTest.ExpectEqual(active, c->ActiveObjects, "and refused");
        void* a = KmemCache.Alloc(c);
        void* b = KmemCache.Alloc(c);
        KTest.Assert(a != b, "the free list is intact: no object handed out twice");
        KmemCache.Free(c, a);
        KmemCache.Free(c, b);
        KmemCache.Free(c, keep);
        Destroy(c);
    }

    static void OwnerTracking()
    {
        if (!Symbols.Available) KTest.Skip("no kernel symbols");
        SlabCache* c = DebugCache("test_owner", SlabFlags.StoreUser | SlabFlags.RedZone);
        byte* p = (byte*)KmemCache.Alloc(c);
        p[70] = 1;
        KmemCache.Free(c, p);
        KTest.ExpectEqual((ulong)SlabError.WritePastEnd, (ulong)S->LastReport.Kind, "red zone report");
        KTest.Assert(S->LastReport.Allocated != null && S->LastReport.Allocated->Count > 0, "allocation owner recorded");
        byte* buffer = stackalloc byte[512];
        var text = new TextBuilder(buffer, 512);
        SlabReport r = S->LastReport;
        SlabReport.Write(ref text, &r, &SlabSetup.AppendOwner);
        KTest.Assert(Contains(buffer, text.Length, "allocated by Kernel.Tests.InGuest.SlabSuite.OwnerTracking"), "names the allocating C# method");
        KTest.Assert(Contains(buffer, text.Length, "test_owner"), "names the cache");
        Destroy(c);
    }

    static bool Contains(byte* text, int length, string what)
    {
        for (int i = 0; i + what.Length <= length; i++)
            if (Boot.CommandLine.BytesEqual(text + i, what.Length, what)) return true;
        return false;
    }

    static void DestroyReportsLeaks()
    {
        SlabCache* c = Kmem.CreateCache("test_leak", 32, 0, SlabFlags.None, null);
        ulong before = S->ReportsOf(SlabError.Leaked);
        void* a = KmemCache.Alloc(c);
        void* b = KmemCache.Alloc(c);
        KmemCache.Free(c, a);
        KTest.ExpectEqual((long)SlabStatus.Busy, (long)Kmem.DestroyCache(c, out ulong leaked), "destroy refuses");
        KTest.ExpectEqual(1UL, leaked, "one object leaked");
        KTest.ExpectEqual(before + 1, S->ReportsOf(SlabError.Leaked), "reported");
        KTest.ExpectEqual((ulong)b, S->LastReport.Object, "names the object");
        KmemCache.Free(c, b);
        Destroy(c);
    }

    // Every free page is taken (largest blocks first, chained through themselves), so kmalloc
    // meets an empty page allocator at once even at 8 GiB; then everything goes back.
    static void Exhaustion()
    {
        ulong head = 0;
        for (int order = PageGeometry.MaxOrder; order >= 0; order--)
        {
            while (true)
            {
                ulong block = PhysicalPages.Allocate(order);
                if (block == 0) break;
                ulong* w = (ulong*)PhysicalMap.ToVirtual(block);
                w[0] = head;
                w[1] = (ulong)order;
                head = block;
            }
        }
        ulong failures = S->KmallocCache(2048)->AllocationFailures;
        KTest.Assert(Kmem.Kmalloc(1 << 20) == null, "a large kmalloc fails cleanly");
        void* chain = null;
        int got = 0;
        while (got < 100000)
        {
            void* p = Kmem.Kmalloc(2048);
            if (p == null) break;
            *(void**)p = chain;
            chain = p;
            got++;
        }
        bool failed = got < 100000;
        KTest.Assert(S->KmallocCache(2048)->AllocationFailures > failures || !failed, "failures counted");
        while (chain != null)
        {
            void* next = *(void**)chain;
            Kmem.Kfree(chain);
            chain = next;
        }
        while (head != 0)
        {
            ulong* w = (ulong*)PhysicalMap.ToVirtual(head);
            ulong next = w[0];
            PhysicalPages.Free(head, (int)w[1]);
            head = next;
        }
        KTest.Assert(failed, "kmalloc returned null when memory ran out");
        void* again = Kmem.Kmalloc(2048);
        KTest.Assert(again != null, "works again once memory is back");
        Kmem.Kfree(again);
    }

    static void SlabInfo()
    {
        byte* buffer = stackalloc byte[4096];
        var text = new TextBuilder(buffer, 4096);
        SlabInfoText.Write(ref text);
        KTest.Assert(Contains(buffer, text.Length, "kmalloc-64 "), "lists kmalloc-64");
        KTest.Assert(Contains(buffer, text.Length, "kmem_cache "), "lists the cache of caches");
        KTest.Assert(!text.Truncated, "fits 4 KiB");
    }

    // ---- C# objects ---------------------------------------------------------------------------

    sealed class Node
    {
        public ulong Value;
        public Node Next;
        public int Depth;
    }

    static void NewFromKmallocZeroed()
    {
        ulong before = ObjectHeap.SlabAllocations;
        for (int round = 0; round < 3; round++)
        {
            byte[] bytes = new byte[200];
            KTest.Assert(Kmem.Ksize(ObjectRef.AddressOf(bytes)) != 0, "a byte[] comes from kmalloc");
            for (int i = 0; i < bytes.Length; i++)
                if (bytes[i] != 0) KTest.Fail("new byte[] not zeroed (poisoning must not show through)");
            for (int i = 0; i < bytes.Length; i++) bytes[i] = 0x6b;
            ObjectHeap.Free(bytes);
        }
        var n = new Node();
        KTest.ExpectEqual(0UL, n.Value, "fields zeroed");
        KTest.Assert(n.Next == null, "references null");
        ObjectHeap.Free(n);
        KTest.Assert(ObjectHeap.SlabAllocations >= before + 4, "counted as slab allocations");
    }

    static void NewOfHotType()
    {
        var sample = new Node();
        Internal.Runtime.MethodTable* type = TypeCaches.TypeOf(sample);
        ObjectHeap.Free(sample);                        // (under P its type pointer is poison now)
        SlabCache* c = TypeCaches.Create(type, "test_node");
        KTest.Assert(c != null, "type cache created");
        KTest.Assert(TypeCaches.Find(type) == c, "registered");
        ulong active = c->ActiveObjects;
        Node head = null;
        for (int i = 0; i < 100; i++)
        {
            var node = new Node();
            KTest.ExpectEqual(0UL, node.Value, "zeroed");
            node.Value = (ulong)i;
            node.Next = head;
            head = node;
        }
        KTest.ExpectEqual(active + 100, c->ActiveObjects, "100 objects from the type's cache");
        ulong sum = 0;
        while (head != null)
        {
            Node next = head.Next;
            sum += head.Value;
            ObjectHeap.Free(head);
            head = next;
        }
        KTest.ExpectEqual(4950UL, sum, "contents kept");
        KTest.ExpectEqual(active, c->ActiveObjects, "all freed");
    }

    static void FreeBootHeapObject()
    {
        ulong ignored = ObjectHeap.BootFreesIgnored, reports = S->Reports;
        object early = ObjectHeap.FirstBootObject;
        KTest.Assert(early != null, "the boot heap holds objects made before slab");
        ulong firstWord = *(ulong*)ObjectRef.AddressOf(early);
        ObjectHeap.Free(early);
        KTest.ExpectEqual(ignored + 1, ObjectHeap.BootFreesIgnored, "kept and counted");
        KTest.ExpectEqual(reports, S->Reports, "nothing reported");
        KTest.ExpectEqual(firstWord, *(ulong*)ObjectRef.AddressOf(early), "the object is intact");
    }
}
