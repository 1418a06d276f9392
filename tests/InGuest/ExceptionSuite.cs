// Expected faults through the exception table: probes of unmapped, non-canonical and guard
// addresses come back as -EFAULT instead of a crash report; mapped ones read and write.
using Kernel.Arch.X64;
using Kernel.Boot;
using Kernel.Diagnostics;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class ExceptionSuite
{
    public const string Name = "exceptions";
    const long EFAULT = -14;

    public static void Register(TestSuite suite)
    {
        suite.Add("probe_reads_mapped_memory", &ProbeReadsMapped);
        suite.Add("probe_null_page_faults", &ProbeNullPage);
        suite.Add("probe_guard_page_faults", &ProbeGuardPage);
        suite.Add("probe_non_canonical_gp", &ProbeNonCanonical);
        suite.Add("probe_unmapped_high_address", &ProbeUnmappedHigh);
        suite.Add("probe_write", &ProbeWrite);
        suite.Add("exception_table_sorted_entries", &ExceptionTableEntries);
        suite.Add("symbols_name_this_method", &SymbolsNameMethod);
        suite.Add("exception_names", &ExceptionNames);
    }

    static void ProbeReadsMapped()
    {
        ulong value = 0x1234, read = 0;
        KTest.ExpectEqual(0L, ExceptionTable.ProbeRead((ulong)&value, &read), "probe result");
        KTest.ExpectEqual(0x1234UL, read, "value read");
    }

    static void ProbeNullPage()
    {
        ulong before = ExceptionTable.FixupsTaken, read = 0;
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead(0, &read), "probe of address 0");
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead(0xff8, &read), "probe of the end of page 0");
        KTest.ExpectEqual(before + 2, ExceptionTable.FixupsTaken, "fixups taken");
    }

    static void ProbeGuardPage()
    {
        ulong read = 0, guard = KernelLayout.Current->BootStackGuard;
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead(guard, &read), "boot stack guard page");
        KTest.ExpectEqual(0L, ExceptionTable.ProbeRead(guard + 4096, &read), "the page above the guard (stack bottom)");
    }

    static void ProbeNonCanonical()
    {
        ulong read = 0;
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead(0x8000000000000000, &read), "non-canonical address (#GP)");
    }

    static void ProbeUnmappedHigh()
    {
        ulong read = 0;
        // PML4 entry 256 (start of the kernel half) is not mapped by the boot tables.
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeRead(0xffff800000000000, &read), "unmapped kernel-half address");
    }

    static void ProbeWrite()
    {
        byte target = 0, read = 0;
        KTest.ExpectEqual(0L, ExceptionTable.ProbeWriteByte((ulong)&target, 0x5a), "write to a mapped byte");
        KTest.ExpectEqual(0x5aUL, target, "byte written");
        KTest.ExpectEqual(EFAULT, ExceptionTable.ProbeWriteByte(16, 1), "write to page 0");
        KTest.ExpectEqual(0L, ExceptionTable.ProbeReadByte((ulong)&target, &read), "read back");
        KTest.ExpectEqual(0x5aUL, read, "byte read");
    }

    static void ExceptionTableEntries()
    {
        KTest.Assert(ExceptionTable.EntryCount >= 3, "the probes are registered");
        KTest.ExpectEqual(0UL, ExceptionTable.FindFixup(0), "no fixup for address 0");
    }

    static void SymbolsNameMethod()
    {
        if (!Symbols.Available) KTest.Skip("no symbol table from the boot loader");
        ulong rip = (ulong)(delegate*<void>)&SymbolsNameMethod;
        byte* buffer = stackalloc byte[128];
        var text = new TextBuilder(buffer, 128);
        Symbols.AppendSymbol(ref text, rip);
        KTest.ExpectBytes(buffer, text.Length, "Kernel.Tests.InGuest.ExceptionSuite.SymbolsNameMethod+0x0", "symbol of this method");
    }

    static void ExceptionNames()
    {
        KTest.Assert(Exceptions.Name(14) == "Page Fault" && Exceptions.Mnemonic(14) == "#PF", "#PF");
        KTest.Assert(Exceptions.Name(8) == "Double Fault" && Exceptions.Mnemonic(8) == "#DF", "#DF");
        KTest.Assert(Exceptions.Name(15) == "Reserved", "vector 15 is reserved");
    }
}
