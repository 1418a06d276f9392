// memblock as the boot left it, and a private instance fed messy firmware maps.
using Kernel.Boot.Memory;
using Kernel.Diagnostics.Testing;
using Kernel.Memory.Physical;

namespace Kernel.Tests.InGuest;

public static unsafe class MemblockSuite
{
    public const string Name = "memblock";

    public static void Register(TestSuite suite)
    {
        suite.Add("boot_reservations", &BootReservations);
        suite.Add("messy_map_normalised", &MessyMapNormalised);
        suite.Add("allocate_top_down_and_exhaust", &AllocateTopDownAndExhaust);
        suite.Add("too_many_regions_reported", &TooManyRegionsReported);
    }

    static void BootReservations()
    {
        Memblock* mb = EarlyMemory.Memblock;
        Boot.KernelLayout* l = Boot.KernelLayout.Current;
        KTest.Assert(!mb->IsFree(0, 4096), "page 0 reserved");
        KTest.Assert(!mb->IsFree(0x9f000, 4096), "the first MiB reserved");
        KTest.Assert(!mb->IsFree(l->PhysicalStart, l->PhysicalEnd - l->PhysicalStart), "kernel image reserved");
        KTest.ExpectEqual(EarlyMemory.FirmwareUsablePages * 4096, mb->MemoryBytes, "memblock RAM = usable firmware pages");
    }

    static void MessyMapNormalised()
    {
        Memblock m = default;
        m.AddMemory(0x200000, 0x100000);
        m.AddMemory(0x100000, 0x180000);        // overlaps the first
        m.AddMemory(0x1000123, 0x3000);         // unaligned: only whole pages count
        m.AddMemory(0x5000000, 100);            // tiny: no whole page
        m.Reserve(0x150800, 10);                // rounds out to one page
        KTest.ExpectEqual(2L, m.Memory.Count, "regions after merging");
        KTest.ExpectEqual(0x200000UL + 0x2000, m.MemoryBytes, "RAM bytes");
        KTest.ExpectEqual(0x1000UL, m.ReservedBytes, "reserved bytes");
        KTest.ExpectEqual(0x200000UL + 0x1000, m.FreeBytes, "free bytes");
        KTest.Assert(m.Validate() == MemblockStatus.Ok, "valid");
    }

    static void AllocateTopDownAndExhaust()
    {
        Memblock m = default;
        m.AddMemory(0x100000, 0x10000);
        ulong a = m.Allocate(0x2000, 0x1000, Memblock.NoLimit);
        KTest.ExpectEqual(0x10e000UL, a, "highest fit first");
        ulong b = m.Allocate(0x4000, 0x4000, 0x10c000);
        KTest.ExpectEqual(0x108000UL, b, "aligned, below the limit");
        KTest.ExpectEqual(0UL, m.Allocate(0x20000, 0x1000, Memblock.NoLimit), "too big: 0");
        while (m.Allocate(0x1000, 0x1000, Memblock.NoLimit) != 0) { }
        KTest.ExpectEqual(0UL, m.FreeBytes, "exhausted");
    }

    static void TooManyRegionsReported()
    {
        Memblock m = default;
        for (ulong i = 0; i < 400; i++) m.AddMemory(i * 0x10000, 0x1000); // disjoint, unmergeable
        KTest.Assert(m.Validate() != MemblockStatus.Ok, "overflow remembered by Validate");
        KTest.Assert(Memblock.Describe(m.Validate()).Length > 10, "a message for the panic");
    }
}
