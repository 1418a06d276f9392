// The VMA tree and the address-space range operations running in the kernel, with nodes from
// buddy pages (VmaNodePages): random operation runs under the full invariant check, the
// 65530-VMA limit, errno cases, the fault decision and the /proc maps text.
using Kernel.Boot.Memory;
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;
using Kernel.Memory;
using Kernel.Memory.Slab;
using Kernel.Memory.Virtual;
using Kernel.Syscalls;

namespace Kernel.Tests.InGuest;

public static unsafe class VmaSuite
{
    public const string Name = "vma";
    const ulong P = 4096;
    const ulong B = 0x10000000;
    const int RW = Prot.Read | Prot.Write;
    const int Anon = MapFlags.Private | MapFlags.Anonymous;

    public static void Register(TestSuite suite)
    {
        suite.Add("random_ops_keep_invariants", &RandomOpsKeepInvariants);
        suite.Add("nodes_from_kmem_cache", &NodesFromKmemCache);
        suite.Add("merge_and_split", &MergeAndSplit);
        suite.Add("errno_for_bad_arguments", &ErrnoForBadArguments);
        suite.Add("max_map_count_65530", &MaxMapCount);
        suite.Add("top_down_below_mmap_base", &TopDownBelowMmapBase);
        suite.Add("fault_decisions", &FaultDecisions);
        suite.Add("proc_maps_text", &ProcMapsText);
    }

    /// <summary>A zeroed page holding the node pool and the address space; Finish checks and
    /// gives everything back.</summary>
    struct Setup
    {
        public ulong Page;
        public VmaNodePages* Pool;
        public VmSpace* Space;
        public BuddyPages Before;
    }

    static Setup Start()
    {
        Setup s = default;
        s.Before = BuddyPages.Now();
        s.Page = PhysicalPages.AllocateZeroed();
        KTest.Assert(s.Page != 0, "a page for the address space");
        byte* p = (byte*)PhysicalMap.ToVirtual(s.Page);
        s.Pool = (VmaNodePages*)p;
        s.Space = (VmSpace*)(p + 512);
        s.Space->Initialize(VmaNodePages.AllocatorFor(s.Pool), default);
        return s;
    }

    static void Check(VmSpace* space)
    {
        VmaViolation v = space->Validate(out ulong where);
        if (v != VmaViolation.None) FailAt("invariant broken", (long)v, -1, where);
    }

    static void Finish(Setup s)
    {
        Check(s.Space);
        KTest.ExpectEqual((long)s.Space->MapCount, s.Pool->LiveNodes, "one live node per VMA");
        s.Space->Destroy();
        KTest.ExpectEqual(0L, s.Pool->LiveNodes, "every node back in the pool");
        KTest.Assert(s.Pool->ReleaseAll(), "pool released");
        PhysicalPages.Free(s.Page);
        s.Before.ExpectRestored("every page back in the buddy allocator");
    }

    /// <summary>Prints the details on a diagnostic line (no heap strings), then fails the case.</summary>
    static void FailAt(string what, long code, long step, ulong address)
    {
        LogLine line = $"{what}: code {code}, step {step}, address {address:x}";
        TestRunner.PrintDiagnostic(ref line);
        KTest.Fail(what);
    }

    static ulong s_seed;
    static ulong Next(ulong bound)
    {
        s_seed ^= s_seed << 13;
        s_seed ^= s_seed >> 7;
        s_seed ^= s_seed << 17;
        return s_seed % bound;
    }

    static void RandomOpsKeepInvariants()
    {
        Setup s = Start();
        RandomOps(s.Space);
        Finish(s);
    }

    /// <summary>The same run with nodes from the "vm_area_struct" kmem_cache: every object
    /// goes back to the cache.</summary>
    static void NodesFromKmemCache()
    {
        SlabCache* cache = VmaNodeCache.Cache;
        if (cache == null) KTest.Skip("slab allocator not up");
        ulong active = cache->ActiveObjects;
        ulong page = PhysicalPages.AllocateZeroed();
        KTest.Assert(page != 0, "a page for the address space");
        VmSpace* space = (VmSpace*)PhysicalMap.ToVirtual(page);
        space->Initialize(VmaNodeCache.Allocator, default);
        RandomOps(space);
        KTest.ExpectEqual(active + (ulong)space->MapCount, cache->ActiveObjects, "one object per VMA");
        space->Destroy();
        KTest.ExpectEqual(active, cache->ActiveObjects, "every object back");
        PhysicalPages.Free(page);
    }

    static void RandomOps(VmSpace* space)
    {
        space->StartBrk = space->Brk = B - 64 * P;
        s_seed = 0x9E3779B97F4A7C15;
        for (int step = 0; step < 4000; step++)
        {
            ulong a = B + Next(512) * P, length = (Next(8) + 1) * P;
            int prot = (int)Next(4) == 0 ? Prot.None : (int)Next(2) == 0 ? Prot.Read : RW;
            switch ((int)Next(6))
            {
                case 0: space->Mmap(a, length, prot, Anon | ((int)Next(2) == 0 ? MapFlags.Fixed : 0), null, 0); break;
                case 1: space->Munmap(a, length); break;
                case 2: space->Mprotect(a, length, prot); break;
                case 3: space->SetBrk(space->StartBrk + Next(60) * P); break;
                case 4: space->Mremap(a, length, (Next(8) + 1) * P, (int)Next(2) == 0 ? RemapFlags.MayMove : 0, 0); break;
                case 5: space->Madvise(a, length, Advice.DontNeed); break;
            }
            VmaViolation v = space->Validate(out ulong where);
            if (v != VmaViolation.None) FailAt("invariant broken", (long)v, step, where);
        }
        KTest.Assert(space->MapCount > 10, "the run left a busy address space");
    }

    static void MergeAndSplit()
    {
        Setup s = Start();
        VmSpace* space = s.Space;
        KTest.ExpectEqual((long)B, space->Mmap(B, P, RW, Anon | MapFlags.Fixed, null, 0), "first");
        KTest.ExpectEqual((long)(B + 2 * P), space->Mmap(B + 2 * P, P, RW, Anon | MapFlags.Fixed, null, 0), "third");
        KTest.ExpectEqual(2L, space->MapCount, "apart");
        space->Mmap(B + P, P, RW, Anon | MapFlags.Fixed, null, 0);
        KTest.ExpectEqual(1L, space->MapCount, "bridged into one");
        KTest.ExpectEqual(0L, space->Mprotect(B + P, P, Prot.Read), "mprotect middle");
        KTest.ExpectEqual(3L, space->MapCount, "split in three");
        KTest.ExpectEqual(0L, space->Mprotect(B + P, P, RW), "mprotect back");
        KTest.ExpectEqual(1L, space->MapCount, "merged again");
        KTest.ExpectEqual(0L, space->Munmap(B + P, P), "hole");
        KTest.ExpectEqual(2L, space->MapCount, "split by munmap");
        Finish(s);
    }

    static void ErrnoForBadArguments()
    {
        Setup s = Start();
        VmSpace* space = s.Space;
        space->Mmap(B, 4 * P, RW, Anon | MapFlags.Fixed, null, 0);
        KTest.ExpectEqual(-Errno.EINVAL, space->Mmap(B, 0, RW, Anon, null, 0), "mmap zero length");
        KTest.ExpectEqual(-Errno.EINVAL, space->Mmap(B + 1, P, RW, Anon | MapFlags.Fixed, null, 0), "mmap unaligned fixed");
        KTest.ExpectEqual(-Errno.ENOMEM, space->Mmap(0, ulong.MaxValue - 5, RW, Anon, null, 0), "mmap overflowing length");
        KTest.ExpectEqual(-Errno.EINVAL, space->Mmap(0, P, RW, MapFlags.Anonymous, null, 0), "mmap without a type");
        KTest.ExpectEqual(-Errno.EEXIST, space->Mmap(B, P, RW, Anon | MapFlags.FixedNoReplace, null, 0), "noreplace");
        KTest.ExpectEqual(-Errno.EPERM, space->Mmap(0, P, RW, Anon | MapFlags.Fixed, null, 0), "fixed at 0");
        KTest.ExpectEqual(-Errno.EINVAL, space->Munmap(B + 1, P), "munmap unaligned");
        KTest.ExpectEqual(-Errno.EINVAL, space->Munmap(B, 0), "munmap zero");
        KTest.ExpectEqual(-Errno.ENOMEM, space->Mprotect(B + 8 * P, P, Prot.Read), "mprotect unmapped");
        KTest.ExpectEqual(-Errno.EINVAL, space->Mprotect(B, P, 0x40), "mprotect bad bits");
        KTest.ExpectEqual(-Errno.EFAULT, space->Mremap(B + 8 * P, P, 2 * P, RemapFlags.MayMove, 0), "mremap unmapped");
        KTest.ExpectEqual(-Errno.EINVAL, space->Mremap(B, P, 2 * P, RemapFlags.Fixed, B + 64 * P), "mremap fixed without maymove");
        KTest.ExpectEqual(-Errno.ENOMEM, space->Madvise(B, 8 * P, Advice.DontNeed), "madvise over a hole");
        KTest.ExpectEqual(1L, space->MapCount, "nothing changed");
        Finish(s);
    }

    static void MaxMapCount()
    {
        Setup s = Start();
        VmSpace* space = s.Space;
        for (ulong i = 0; i < 65530; i++)
            if (space->Mmap(B + i * 2 * P, P, RW, Anon | MapFlags.Fixed, null, 0) != (long)(B + i * 2 * P))
                FailAt("mapping refused", 0, (long)i, B + i * 2 * P);
        KTest.ExpectEqual(65530L, space->MapCount, "VMAs");
        KTest.ExpectEqual(-Errno.ENOMEM, space->Mmap(0, P, RW, Anon, null, 0), "the 65531st");
        KTest.Assert(space->Tree.Height() <= 33, "tree height within 2 log2(n+1)");
        Finish(s);
    }

    static void TopDownBelowMmapBase()
    {
        Setup s = Start();
        VmSpace* space = s.Space;
        KTest.ExpectEqual(0x7ffff7fff000L, (long)space->MmapBase, "mmap_base");
        KTest.ExpectEqual(0x7ffff7ffe000L, space->Mmap(0, P, RW, Anon, null, 0), "first mapping");
        KTest.ExpectEqual(0x7ffff7ffc000L, space->Mmap(0, 2 * P, Prot.Read, Anon, null, 0), "second");
        KTest.ExpectEqual((long)B, space->Mmap(B, P, RW, Anon, null, 0), "free hint");
        Finish(s);
    }

    static void FaultDecisions()
    {
        Setup s = Start();
        VmSpace* space = s.Space;
        space->Mmap(B, 4 * P, RW, Anon | MapFlags.Fixed, null, 0);
        space->Mmap(B + 16 * P, P, Prot.None, Anon | MapFlags.Fixed, null, 0);
        space->Mmap(B + 64 * P, 4 * P, RW, Anon | MapFlags.Fixed | MapFlags.GrowsDown, null, 0);
        PteState none = default, zero = new PteState { Present = true, ZeroPage = true };
        const int user = FaultAccess.User, write = FaultAccess.User | FaultAccess.Write;
        KTest.ExpectEqual((long)FaultAction.MapZeroPage, (long)FaultDecision.Decide(space, B, user, in none, out _), "read");
        KTest.ExpectEqual((long)FaultAction.AllocZeroed, (long)FaultDecision.Decide(space, B, write, in none, out _), "write");
        KTest.ExpectEqual((long)FaultAction.CopyOnWrite, (long)FaultDecision.Decide(space, B, write, in zero, out _), "write to zero page");
        KTest.ExpectEqual((long)FaultAction.SegvAccerr, (long)FaultDecision.Decide(space, B + 16 * P, user, in none, out _), "PROT_NONE");
        KTest.ExpectEqual((long)FaultAction.SegvMaperr, (long)FaultDecision.Decide(space, B + 8 * P, user, in none, out _), "hole");
        KTest.ExpectEqual((long)FaultAction.ExtendStack, (long)FaultDecision.Decide(space, B + 63 * P, write, in none, out VmArea* stack), "below the stack");
        KTest.ExpectEqual(0L, space->ExpandStack(stack, B + 63 * P), "extend");
        KTest.ExpectEqual((long)FaultAction.AllocZeroed, (long)FaultDecision.Decide(space, B + 63 * P, write, in none, out _), "now inside");
        Finish(s);
    }

    static void ProcMapsText()
    {
        Setup s = Start();
        VmSpace* space = s.Space;
        space->Mmap(0x10000, P, Prot.Read | Prot.Exec, Anon | MapFlags.Fixed, null, 0);
        space->StartBrk = space->Brk = 0x20000;
        space->SetBrk(0x22000);
        byte* buffer = stackalloc byte[512];
        var text = new TextBuilder(buffer, 512);
        var paths = new MapsPaths();
        KTest.Assert(MapsText.Write(space, &text, 0, in paths, out _), "all written");
        KTest.ExpectBytes(buffer, text.Length,
            "00010000-00011000 r-xp 00000000 00:00 0 \n" +
            "00020000-00022000 rw-p 00000000 00:00 0                                  [heap]\n", "maps");
        Finish(s);
    }
}
