// The ELF loader in the running kernel: the real /bin/hello from the initrd validates; damaged
// copies of it are refused with the right errno; spawning what is not a program fails
// cleanly and gives back every frame it took.
using Kernel.Boot.Memory;
using Kernel.Diagnostics.Testing;
using Kernel.Fs;
using Kernel.Memory;
using Kernel.Tasks.Elf;

namespace Kernel.Tests.InGuest;

public static unsafe class ElfSuite
{
    public const string Name = "elf";
    const int ENOEXEC = -8, EINVAL = -22, ENOENT = -2, EACCES = -13;

    public static void Register(TestSuite suite)
    {
        suite.Add("hello_validates", &HelloValidates);
        suite.Add("damaged_copies_refused", &DamagedCopies);
        suite.Add("every_truncation_refused", &Truncations);
        suite.Add("spawn_failures_leak_nothing", &SpawnFailures);
    }

    static InitrdIndex.Entry* Hello()
    {
        UserPrograms.RequireInitrd("bin/hello");
        return Initrd.Index->Get(UserPrograms.Find("bin/hello"));
    }

    static void HelloValidates()
    {
        InitrdIndex.Entry* e = Hello();
        ElfImage image = default;
        KTest.ExpectEqual(0L, image.Parse(e->Data, e->Size), "parse");
        KTest.Assert(image.SegmentCount >= 2, "at least text and data");
        KTest.Assert(image.Entry >= 0x400000 && image.Entry < 0x800000, "entry in the usual place");
        KTest.Assert(image.ProgramHeaderAddress != 0, "AT_PHDR found");
        KTest.Assert(!image.ExecutableStack, "non-executable stack (PT_GNU_STACK RW)");
    }

    /// <summary>A private copy of /bin/hello (2 pages of headers are enough to damage).</summary>
    static byte* Copy(InitrdIndex.Entry* e, out ulong physical)
    {
        physical = PhysicalPages.Allocate(5);
        KTest.Assert(physical != 0, "buffer");
        byte* copy = (byte*)PhysicalMap.ToVirtual(physical);
        ulong n = e->Size < (128 * 1024) ? e->Size : 128 * 1024;
        for (ulong i = 0; i < n; i++) copy[i] = e->Data[i];
        return copy;
    }

    static int ParseDamaged(InitrdIndex.Entry* e, byte* copy, int offset, byte value)
    {
        byte old = copy[offset];
        copy[offset] = value;
        ElfImage image = default;
        int r = image.Parse(copy, e->Size);
        copy[offset] = old;
        return r;
    }

    static void DamagedCopies()
    {
        InitrdIndex.Entry* e = Hello();
        byte* copy = Copy(e, out ulong physical);
        KTest.ExpectEqual(ENOEXEC, ParseDamaged(e, copy, 0, 0x7e), "bad magic");
        KTest.ExpectEqual(ENOEXEC, ParseDamaged(e, copy, 4, 1), "32-bit class");
        KTest.ExpectEqual(ENOEXEC, ParseDamaged(e, copy, 18, 40), "ARM machine");
        KTest.ExpectEqual(ENOEXEC, ParseDamaged(e, copy, 16, 1), "relocatable type");
        KTest.ExpectEqual(ENOEXEC, ParseDamaged(e, copy, 54, 40), "phentsize");
        KTest.ExpectEqual(ENOEXEC, ParseDamaged(e, copy, 39, 0x7f), "phoff far beyond the file");
        // First program header (at e_phoff = 64): its type becomes PT_INTERP.
        KTest.ExpectEqual(ENOEXEC, ParseDamaged(e, copy, 64, 3), "PT_INTERP");
        // Its p_vaddr high byte: a kernel address.
        KTest.ExpectEqual(EINVAL, ParseDamaged(e, copy, 64 + 16 + 7, 0xff), "segment in the kernel half");
        // Its p_filesz high byte: data beyond the file.
        KTest.ExpectEqual(EINVAL, ParseDamaged(e, copy, 64 + 32 + 5, 0x10), "file size beyond the file");
        PhysicalPages.Free(physical, 5);
    }

    static void Truncations()
    {
        InitrdIndex.Entry* e = Hello();
        for (ulong n = 0; n < 64 + 56 * 4; n++)
        {
            ElfImage image = default;
            int r = image.Parse(e->Data, n);
            KTest.Assert(r == ENOEXEC || r == EINVAL, "truncated header refused");
        }
    }

    static void SpawnFailures()
    {
        UserPrograms.RequireInitrd("bin/hello");
        BuddyPages before = BuddyPages.Now();
        KTest.ExpectEqual(ENOENT, UserPrograms.Spawn("bin/no-such-program"), "missing file");
        KTest.ExpectEqual(EACCES, UserPrograms.Spawn("bin"), "a directory");
        if (UserPrograms.Find("etc/greeting.txt") >= 0)
            KTest.ExpectEqual(EACCES, UserPrograms.Spawn("etc/greeting.txt"), "a file without x permission");
        before.ExpectRestored("no frame lost");
    }
}
