// copy_from_user / copy_to_user / strncpy_from_user in the running kernel: kernel,
// non-canonical, wrapping and unmapped pointers give -EFAULT through the exception table
// (never a kernel fault), and a real user page (in an address space of its own, loaded into
// CR3 for the test) copies both ways with SMAP on.
using Kernel.Arch.X64;
using Kernel.Arch.X64.Paging;
using Kernel.Boot.Memory;
using Kernel.Diagnostics.Testing;
using Kernel.Memory.Virtual;

namespace Kernel.Tests.InGuest;

public static unsafe class UserCopySuite
{
    public const string Name = "usercopy";
    const long EFAULT = -14;
    const ulong Page = 0x10000000;

    public static void Register(TestSuite suite)
    {
        suite.Add("kernel_pointers_refused", &KernelPointers);
        suite.Add("non_canonical_and_wrapping_refused", &NonCanonicalAndWrapping);
        suite.Add("unmapped_user_page_faults_to_efault", &UnmappedUserPage);
        suite.Add("mapped_page_copies_both_ways", &MappedPageCopies);
        suite.Add("copy_running_into_a_hole_faults", &RunningIntoHole);
        suite.Add("strings_and_their_limits", &Strings);
        suite.Add("read_only_page_not_writable", &ReadOnlyPage);
    }

    static void KernelPointers()
    {
        ulong value = 0;
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(&value, (ulong)&value, 8), "copy from a kernel stack address");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyTo(0xffffffff80100000, &value, 8), "copy to kernel text");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(&value, 0xffff888000001000, 8), "copy from the direct map");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(&value, SyscallGate.UserLimit, 1), "the first byte above the user limit");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(&value, SyscallGate.UserLimit - 4, 8), "a range crossing the limit");
    }

    static void NonCanonicalAndWrapping()
    {
        ulong value = 0;
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(&value, 0x0000800000000000, 8), "non-canonical");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(&value, 0xfffffffffffffff8, 16), "wrapping range");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyTo(0x1000, &value, ulong.MaxValue), "length near 2^64");
        KTest.Assert(UserMemory.RangeOk(0x1000, 0), "empty range in the user half");
    }

    static void UnmappedUserPage()
    {
        // The kernel task runs on the kernel's page tables: nothing is mapped in the user half.
        ulong before = ExceptionTable.FixupsTaken, value = 0;
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(&value, 0x400000, 8), "read");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyTo(0x400000, &value, 8), "write");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(&value, 0, 8), "NULL");
        KTest.ExpectEqual(before + 3, ExceptionTable.FixupsTaken, "each fault went through the exception table");
    }

    /// <summary>Runs body with a scratch address space (two pages at Page, the second read-only) in CR3.</summary>
    static void WithUserPages(delegate*<void> body)
    {
        BuddyPages before = BuddyPages.Now();
        FrameSource frames = PhysicalPages.Frames;
        KTest.Assert(UserAddressSpace.Create(KernelAddressSpace.Root, in frames, out UserAddressSpace space) == PagingStatus.Ok, "address space");
        KTest.Assert(space.EnsurePage(Page, PageFlags.Writable | PageFlags.NoExecute, in frames) == PagingStatus.Ok, "map writable page");
        KTest.Assert(space.EnsurePage(Page + 0x1000, PageFlags.NoExecute, in frames) == PagingStatus.Ok, "map read-only page");
        ulong saved = Cpu.ReadCr3();
        Cpu.WriteCr3(space.Root);
        body();
        Cpu.WriteCr3(saved);
        KTest.Assert(space.Destroy(in frames) == PagingStatus.Ok, "destroy");
        before.ExpectRestored("every frame and table back");
    }

    static void MappedPageCopies() => WithUserPages(&MappedPageCopiesBody);

    static void MappedPageCopiesBody()
    {
        byte* data = stackalloc byte[64];
        byte* back = stackalloc byte[64];
        for (int i = 0; i < 64; i++) { data[i] = (byte)(i * 3); back[i] = 0; }
        KTest.ExpectEqual(0L, UserMemory.CopyTo(Page + 100, data, 64), "copy_to_user");
        KTest.ExpectEqual(0L, UserMemory.CopyFrom(back, Page + 100, 64), "copy_from_user");
        for (int i = 0; i < 64; i++) KTest.Assert(back[i] == data[i], "the bytes came back");
        KTest.ExpectEqual(0L, UserMemory.CopyFrom(back, Page + 0x1000 - 32, 64), "a read across into the read-only page");
    }

    static void RunningIntoHole() => WithUserPages(&RunningIntoHoleBody);

    static void RunningIntoHoleBody()
    {
        byte* data = stackalloc byte[64];
        KTest.ExpectEqual(EFAULT, UserMemory.CopyFrom(data, Page + 0x2000 - 8, 64), "read running off the mapped pages");
        KTest.ExpectEqual(EFAULT, UserMemory.CopyTo(Page + 0x1000 - 8, data, 64), "write running into the read-only page");
        KTest.ExpectEqual(0L, UserMemory.CopyTo(Page + 0x1000 - 64, data, 64), "write that ends at the boundary");
    }

    static void Strings() => WithUserPages(&StringsBody);

    static void StringsBody()
    {
        byte* text = stackalloc byte[8] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0, 0, 0 };
        byte* copy = stackalloc byte[16];
        KTest.ExpectEqual(0L, UserMemory.CopyTo(Page + 100, text, 8), "place the string");
        KTest.ExpectEqual(5L, UserMemory.StringFrom(copy, Page + 100, 16), "length");
        KTest.ExpectBytes(copy, 5, "hello", "copied text");
        KTest.ExpectEqual(3L, UserMemory.StringFrom(copy, Page + 100, 3), "no NUL within max: max");
        // A string that crosses into the next page, and one in a page that is not mapped.
        byte* xs = stackalloc byte[16];
        for (int i = 0; i < 16; i++) xs[i] = (byte)'x';
        KTest.ExpectEqual(0L, UserMemory.CopyTo(Page + 0x1000 - 16, xs, 16), "fill the end of the writable page");
        byte* big = stackalloc byte[8192];
        KTest.ExpectEqual(16L, UserMemory.StringFrom(big, Page + 0x1000 - 16, 8192), "its NUL is on the next page");
        KTest.ExpectEqual(EFAULT, UserMemory.StringFrom(big, Page + 0x2000, 16), "a string in an unmapped page");
        KTest.ExpectEqual(EFAULT, UserMemory.StringFrom(copy, SyscallGate.UserLimit - 2, 16), "string at the user limit");
        KTest.ExpectEqual(EFAULT, UserMemory.StringFrom(copy, 0xffffffff80100000, 16), "kernel string");
    }

    static void ReadOnlyPage() => WithUserPages(&ReadOnlyPageBody);

    static void ReadOnlyPageBody()
    {
        ulong root = Cpu.ReadCr3();
        KTest.ExpectEqual(0L, UserMemory.CheckAccessible(root, Page, 0x1000, write: true), "writable page");
        KTest.ExpectEqual(EFAULT, UserMemory.CheckAccessible(root, Page, 0x1001, write: true), "into the read-only page");
        KTest.ExpectEqual(0L, UserMemory.CheckAccessible(root, Page, 0x2000, write: false), "both pages for reading");
        KTest.ExpectEqual(EFAULT, UserMemory.CheckAccessible(root, Page, 0x2001, write: false), "past them");
        ulong value = 7;
        KTest.ExpectEqual(EFAULT, UserMemory.CopyTo(Page + 0x1000, &value, 8), "write to the read-only page");
        KTest.ExpectEqual(0L, UserMemory.CopyFrom(&value, Page + 0x1000, 8), "read of the read-only page");
        KTest.ExpectEqual(0UL, value, "it holds zeros");
    }
}
