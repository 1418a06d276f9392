using Kernel.Memory.Virtual;
using Xunit;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>The fault decision table, case by case (Linux's do_user_addr_fault, access_error,
/// do_anonymous_page, do_wp_page, expand_downwards).</summary>
public sealed unsafe class FaultDecisionTests
{
    const ulong P = VmSpaceFixture.Page;
    const ulong B = 0x10000000;
    const int U = FaultAccess.User, W = FaultAccess.Write | FaultAccess.User, X = FaultAccess.Exec | FaultAccess.User;
    static readonly PteState None = default;
    static readonly PteState ReadOnly = new() { Present = true };
    static readonly PteState Zero = new() { Present = true, ZeroPage = true };
    static readonly PteState Mine = new() { Present = true, Exclusive = true };
    static readonly PteState Writable = new() { Present = true, Writable = true, Exclusive = true };

    static FaultAction Decide(VmSpaceFixture f, ulong address, int access, PteState pte)
        => FaultDecision.Decide(f.Space, address, access, in pte, out _);

    [Fact]
    public void AnonymousPrivateMemory()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, 4 * P);
        Assert.Equal(FaultAction.MapZeroPage, Decide(f, B + 5, U, None));
        Assert.Equal(FaultAction.AllocZeroed, Decide(f, B + 5, W, None));
        Assert.Equal(FaultAction.CopyOnWrite, Decide(f, B, W, Zero));
        Assert.Equal(FaultAction.CopyOnWrite, Decide(f, B, W, ReadOnly));   // shared with a fork child
        Assert.Equal(FaultAction.MakeWritable, Decide(f, B, W, Mine));      // the child is gone
        Assert.Equal(FaultAction.Spurious, Decide(f, B, W, Writable));
        Assert.Equal(FaultAction.Spurious, Decide(f, B, U, ReadOnly));
        Assert.Equal(FaultAction.SegvAccerr, Decide(f, B, X, None));        // not executable
        Assert.Equal(FaultAction.SegvMaperr, Decide(f, B + 4 * P, U, None));
        Assert.Equal(FaultAction.SegvMaperr, Decide(f, B - 1, U, None));
    }

    [Fact]
    public void PermissionsDecideAccessErrors()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(B, P, Prot.None);
        f.MapAnon(B + P, P, Prot.Read);
        f.MapAnon(B + 2 * P, P, Prot.Write);
        f.MapAnon(B + 3 * P, P, Prot.Read | Prot.Exec);
        Assert.Equal(FaultAction.SegvAccerr, Decide(f, B, U, None));
        Assert.Equal(FaultAction.SegvAccerr, Decide(f, B, W, None));
        Assert.Equal(FaultAction.SegvAccerr, Decide(f, B + P, W, ReadOnly));
        Assert.Equal(FaultAction.MapZeroPage, Decide(f, B + 2 * P, U, None)); // write-only reads on x86
        Assert.Equal(FaultAction.MapZeroPage, Decide(f, B + 3 * P, X, None));
        Assert.Equal(FaultAction.SegvAccerr, Decide(f, B + 3 * P, FaultAccess.Exec, None)); // kernel fetch
    }

    [Fact]
    public void SharedAndFileMappings()
    {
        using var f = new VmSpaceFixture();
        var file = new VmFile { Handle = 3, Readable = true, Writable = true };
        f.Space->Mmap(B, P, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Fixed, &file, 0);
        f.Space->Mmap(B + 2 * P, P, Prot.Read | Prot.Write, MapFlags.Shared | MapFlags.Fixed, &file, 0);
        f.MapAnon(B + 4 * P, P, Prot.Read | Prot.Write, MapFlags.Shared | MapFlags.Fixed);
        Assert.Equal(FaultAction.MapFilePage, Decide(f, B, U, None));
        Assert.Equal(FaultAction.CopyFilePage, Decide(f, B, W, None));
        Assert.Equal(FaultAction.CopyOnWrite, Decide(f, B, W, ReadOnly));
        Assert.Equal(FaultAction.MapFilePage, Decide(f, B + 2 * P, W, None));
        Assert.Equal(FaultAction.MakeWritable, Decide(f, B + 2 * P, W, ReadOnly));
        Assert.Equal(FaultAction.MapFilePage, Decide(f, B + 4 * P, U, None)); // shmem, no zero page
    }

    [Fact]
    public void StackGrowsDownWithinItsLimitAndGuardGap()
    {
        using var f = new VmSpaceFixture();
        ulong top = 0x7ffffffff000, bottom = top - 16 * P;
        f.MapAnon(bottom, 16 * P, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Fixed | MapFlags.GrowsDown);
        Assert.Equal(FaultAction.ExtendStack, FaultDecision.Decide(f.Space, bottom - 100, W, in None, out VmArea* stack));
        Assert.Equal(0, f.Space->ExpandStack(stack, bottom - 100));
        Assert.Equal(bottom - P, f.Space->Tree.Last->Start);
        Assert.Equal(FaultAction.AllocZeroed, Decide(f, bottom - 100, W, None));
        // RLIMIT_STACK (8 MiB) measured from the top of the stack.
        Assert.Equal(FaultAction.ExtendStack, Decide(f, top - (8UL << 20), W, None));
        Assert.Equal(FaultAction.SegvMaperr, Decide(f, top - (8UL << 20) - 1, W, None));
        // An accessible mapping below keeps a guard gap of 256 pages free.
        f.MapAnon(top - (4UL << 20), P);
        Assert.Equal(FaultAction.ExtendStack, Decide(f, top - (2UL << 20), W, None));
        Assert.Equal(FaultAction.SegvMaperr, Decide(f, top - (4UL << 20) + VmSpace.DefaultStackGuardGap, W, None));
        Assert.Equal(FaultAction.ExtendStack, Decide(f, top - (4UL << 20) + P + VmSpace.DefaultStackGuardGap, W, None));
        // A PROT_NONE one does not.
        Assert.Equal(0, f.Space->Mprotect(top - (4UL << 20), P, Prot.None));
        Assert.Equal(FaultAction.ExtendStack, Decide(f, top - (4UL << 20) + P, W, None));
        // A VMA that does not grow down: below it is simply unmapped.
        Assert.Equal(FaultAction.SegvMaperr, Decide(f, top - (4UL << 20) - 1, W, None));
    }
}
