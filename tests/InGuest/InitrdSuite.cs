// The initrd as the kernel indexed it, and the cpio parser on archives made in memory
// (good, truncated, bad magic): statuses, never a crash.
using Kernel.Diagnostics.Testing;
using Kernel.Fs;

namespace Kernel.Tests.InGuest;

public static unsafe class InitrdSuite
{
    public const string Name = "initrd";

    public static void Register(TestSuite suite)
    {
        suite.Add("programs_and_directories_indexed", &Indexed);
        suite.Add("bin_lists_its_programs", &BinListing);
        suite.Add("archive_in_memory_parses", &InMemory);
        suite.Add("truncations_and_bad_magic_refused", &Damaged);
    }

    static void Indexed()
    {
        UserPrograms.RequireInitrd("bin/hello");
        int hello = UserPrograms.Find("bin/hello");
        InitrdIndex.Entry* e = Initrd.Index->Get(hello);
        KTest.Assert(e->Size > 1024 && e->Data[0] == 0x7f && e->Data[1] == (byte)'E', "bin/hello is an ELF file");
        KTest.Assert((e->Mode & CpioArchive.TypeMask) == CpioArchive.TypeRegular && (e->Mode & 0x49) != 0, "regular and executable");
        KTest.Assert(Initrd.Index->IsDirectory(UserPrograms.Find("bin")), "bin is a directory");
        KTest.Assert(Initrd.Index->IsDirectory(InitrdIndex.RootEntry), "the root is a directory");
        KTest.ExpectEqual(-1L, UserPrograms.Find("bin/nothing"), "a missing name");
    }

    static void BinListing()
    {
        UserPrograms.RequireInitrd("bin/hello");
        int bin = UserPrograms.Find("bin");
        int from = 0, child, count = 0;
        bool hello = false;
        while ((child = Initrd.Index->NextChild(bin, from, out byte* name, out int length)) >= 0)
        {
            count++;
            if (length == 5 && name[0] == 'h' && name[4] == 'o') hello = true;
            from = child + 1;
        }
        KTest.Assert(hello, "hello listed");
        KTest.Assert(count >= 4, "several programs");
    }

    // "070701" + 13 fields: an entry "a" holding "xy", then the trailer.
    const string EntryA = "070701" + "00000001" + "000081a4" + "00000000" + "00000000" + "00000001" + "00000000" + "00000002"
        + "00000000" + "00000000" + "00000000" + "00000000" + "00000002" + "00000000";
    const string Trailer = "070701" + "00000000" + "00000000" + "00000000" + "00000000" + "00000001" + "00000000" + "00000000"
        + "00000000" + "00000000" + "00000000" + "00000000" + "0000000b" + "00000000";

    static int Build(byte* a)
    {
        int n = 0;
        for (int i = 0; i < EntryA.Length; i++) a[n++] = (byte)EntryA[i];
        a[n++] = (byte)'a'; a[n++] = 0;              // 110 + 2 = 112: already aligned
        a[n++] = (byte)'x'; a[n++] = (byte)'y'; a[n++] = 0; a[n++] = 0;
        for (int i = 0; i < Trailer.Length; i++) a[n++] = (byte)Trailer[i];
        const string T = "TRAILER!!!";
        for (int i = 0; i < T.Length; i++) a[n++] = (byte)T[i];
        a[n++] = 0;
        while ((n & 3) != 0) a[n++] = 0;
        return n;
    }

    static void InMemory()
    {
        byte* a = stackalloc byte[512];
        int n = Build(a);
        ulong offset = 0;
        KTest.ExpectEqual((long)CpioStatus.Ok, (long)CpioArchive.Next(a, (ulong)n, ref offset, out CpioEntry e), "first entry");
        KTest.ExpectBytes(e.Name, e.NameLength, "a", "name");
        KTest.ExpectBytes(e.Data, (int)e.Size, "xy", "data");
        KTest.ExpectEqual((long)CpioStatus.End, (long)CpioArchive.Next(a, (ulong)n, ref offset, out e), "trailer");
    }

    static void Damaged()
    {
        byte* a = stackalloc byte[512];
        int n = Build(a);
        for (int cut = 0; cut < n - 4; cut++)
        {
            ulong offset = 0;
            CpioStatus s;
            while ((s = CpioArchive.Next(a, (ulong)cut, ref offset, out CpioEntry _)) == CpioStatus.Ok) { }
            KTest.ExpectEqual((long)CpioStatus.Truncated, (long)s, "a cut archive");
        }
        a[5] = (byte)'7';
        ulong o = 0;
        KTest.ExpectEqual((long)CpioStatus.BadMagic, (long)CpioArchive.Next(a, (ulong)n, ref o, out CpioEntry _), "magic 070707");
    }
}
