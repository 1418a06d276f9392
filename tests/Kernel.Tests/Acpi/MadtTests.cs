using System;
using System.Threading;
using Kernel.Acpi;
using Kernel.Tests.Support;
using Xunit;
using B = Kernel.Tests.Acpi.AcpiBuilder;

namespace Kernel.Tests.Acpi;

/// <summary>MADT parsing over bytes in native memory (no PhysicalMap needed except where noted).</summary>
[Collection("PhysicalMap")]
public unsafe class MadtTests
{
    /// <summary>Parses <paramref name="table"/> placed so that it ends at a guard page.</summary>
    static AcpiStatus Parse(byte[] table, out MadtInfo info, uint? length = null)
    {
        int readable = (table.Length + 7) & ~7;
        using var g = new GuardedBuffer(readable);
        var padded = new byte[readable];
        // Right-align so the table's last byte is the last readable one.
        table.CopyTo(padded, readable - table.Length);
        byte* p = g.PlaceAtEnd(padded, readable) + (readable - table.Length);
        MadtInfo result;
        // Dirty the destination to prove Parse clears it.
        new Span<byte>(&result, sizeof(MadtInfo)).Fill(0xcd);
        AcpiStatus s = Madt.Parse(p, length ?? (uint)table.Length, &result);
        info = result;
        return s;
    }

    static MadtBuilder Full() => new MadtBuilder { LocalApicAddress = 0xfee00000, Flags = 1 }
        .LocalApic(0, 0, 1)
        .LocalApic(1, 2, 1)
        .LocalApic(2, 4, 0)          // disabled
        .LocalApic(3, 6, 2)          // online capable
        .IoApic(0, 0xfec00000, 0)
        .IoApic(1, 0xfec01000, 24)
        .Override(0, 0, 2, 0)
        .Override(0, 9, 9, 0x000d)   // level, active high
        .Override(0, 5, 21, 0x000f)  // level, active low
        .Override(1, 3, 40, 0x0005)  // not ISA
        .NmiSource(0x0005, 30)
        .LocalApicNmi(0xff, 0x0005, 1)
        .LocalApicNmi(2, 0x000f, 0)
        .LocalApicAddressOverride(0x0000_0010_fee0_0000)
        .X2Apic(0x100, 1, 300)
        .X2ApicNmi(0x0005, 0xffffffff, 1)
        .Raw(0x7f, 4, 0xaa, 0xbb);   // unknown type: skipped by its length

    [Fact]
    public void EveryEntryTypeIsDecoded()
    {
        Assert.Equal(AcpiStatus.Ok, Parse(Full().Build(), out MadtInfo m));
        Assert.Equal(AcpiStatus.Ok, m.Status);
        Assert.Equal(0xfee00000u, m.LocalApicAddress32);
        Assert.True(m.HasLocalApicOverride);
        Assert.Equal(0x0000_0010_fee0_0000ul, m.LocalApicAddress);
        Assert.True(m.HasLegacyPics);
        Assert.Equal(17, m.EntryCount);
        Assert.Equal(1, m.UnknownEntryCount);
        Assert.Equal(0, m.SkippedEntryCount);
        Assert.Equal(0, m.DroppedEntryCount);

        Assert.Equal(5, m.ProcessorCount);
        Assert.Equal(3, m.EnabledProcessorCount);
        Assert.True(m.GetProcessor(1, out MadtProcessor p));
        Assert.Equal(2u, p.ApicId);
        Assert.Equal(1u, p.Uid);
        Assert.True(p.Enabled);
        Assert.False(p.IsX2Apic);
        Assert.True(m.GetProcessor(2, out p));
        Assert.False(p.Enabled);
        Assert.False(p.OnlineCapable);
        Assert.True(m.GetProcessor(3, out p));
        Assert.False(p.Enabled);
        Assert.True(p.OnlineCapable);
        Assert.True(m.GetProcessor(4, out p));
        Assert.True(p.IsX2Apic);
        Assert.Equal(0x100u, p.ApicId);
        Assert.Equal(300u, p.Uid);
        Assert.True(p.Enabled);
        Assert.False(m.GetProcessor(5, out _));

        Assert.Equal(2, m.IoApicCount);
        Assert.True(m.GetIoApic(1, out MadtIoApic io));
        Assert.Equal(1, io.Id);
        Assert.Equal(0xfec01000u, io.Address);
        Assert.Equal(24u, io.GsiBase);

        Assert.Equal(4, m.OverrideCount);
        Assert.True(m.GetOverride(3, out MadtOverride o));
        Assert.Equal(1, o.Bus);
        Assert.Equal(3, o.Source);
        Assert.Equal(40u, o.Gsi);

        Assert.Equal(1, m.NmiSourceCount);
        Assert.True(m.GetNmiSource(0, out MadtNmiSource ns));
        Assert.Equal(30u, ns.Gsi);
        Assert.Equal(5, ns.Flags);

        Assert.Equal(3, m.LocalNmiCount);
        Assert.True(m.GetLocalNmi(0, out MadtLocalNmi n));
        Assert.True(n.AllProcessors);
        Assert.Equal(1, n.Lint);
        Assert.True(m.GetLocalNmi(1, out n));
        Assert.False(n.AllProcessors);
        Assert.Equal(2u, n.ProcessorUid);
        Assert.Equal(0, n.Lint);
        Assert.Equal(0xf, n.Flags);
        Assert.True(m.GetLocalNmi(2, out n));
        Assert.True(n.AllProcessors);
        Assert.Equal(0xffffffffu, n.ProcessorUid);
    }

    [Fact]
    public void IsaIrqsHonourOverridesWithIdentityFallback()
    {
        Parse(Full().Build(), out MadtInfo m);
        Assert.Equal(2u, m.IsaIrqToGsi(0, out ushort f));
        Assert.Equal(0, f);
        Assert.Equal(9u, m.IsaIrqToGsi(9, out f));
        Assert.Equal(0xd, f);
        Assert.True(Madt.IsaLevelTriggered(f));
        Assert.False(Madt.IsaActiveLow(f));
        Assert.Equal(21u, m.IsaIrqToGsi(5, out f));
        Assert.True(Madt.IsaActiveLow(f));
        Assert.Equal(1u, m.IsaIrqToGsi(1, out f));
        Assert.Equal(0, f);
        Assert.False(Madt.IsaLevelTriggered(f)); // ISA default: edge
        Assert.False(Madt.IsaActiveLow(f));      // ISA default: active high
        // The bus-1 override of source 3 does not apply to ISA IRQ 3.
        Assert.Equal(3u, m.IsaIrqToGsi(3, out f));
        Assert.Equal(0, f);

        Assert.True(m.FindIoApicForGsi(2, out MadtIoApic io));
        Assert.Equal(0, io.Id);
        Assert.True(m.FindIoApicForGsi(30, out io));
        Assert.Equal(1, io.Id);
        var none = new MadtInfo();
        Assert.False(none.FindIoApicForGsi(0, out _));
    }

    [Fact]
    public void FlagFieldsDecode()
    {
        Assert.Equal(MadtPolarity.BusDefault, Madt.Polarity(0));
        Assert.Equal(MadtPolarity.ActiveHigh, Madt.Polarity(1));
        Assert.Equal(MadtPolarity.ActiveLow, Madt.Polarity(3));
        Assert.Equal(MadtTrigger.Edge, Madt.Trigger(1 << 2));
        Assert.Equal(MadtTrigger.Level, Madt.Trigger(3 << 2));
        Assert.Equal(MadtTrigger.BusDefault, Madt.Trigger(3));
    }

    [Fact]
    public void QemuMadtDecodes()
    {
        using var mem = new FakePhysicalMemory(QemuTables.TablesPhys, 16384);
        mem.Write(QemuTables.TablesPhys, QemuTables.PcTables);
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(0, QemuTables.PcRsdtPhys, 0, out AcpiRoot root));
        MadtInfo m;
        Assert.Equal(AcpiStatus.Ok, Madt.Load(root, &m));
        Assert.Equal(0xfee00000ul, m.LocalApicAddress);
        Assert.False(m.HasLocalApicOverride);
        Assert.True(m.HasLegacyPics);
        Assert.Equal(2, m.ProcessorCount); // -smp 2
        Assert.Equal(2, m.EnabledProcessorCount);
        Assert.Equal(1, m.IoApicCount);
        Assert.True(m.GetIoApic(0, out MadtIoApic io));
        Assert.Equal(0xfec00000u, io.Address);
        Assert.Equal(0u, io.GsiBase);
        Assert.Equal(5, m.OverrideCount);
        Assert.Equal(2u, m.IsaIrqToGsi(0, out ushort f));
        Assert.Equal(0, f);
        foreach (int irq in new[] { 5, 9, 10, 11 })
        {
            Assert.Equal((uint)irq, m.IsaIrqToGsi(irq, out f));
            Assert.True(Madt.IsaLevelTriggered(f));
            Assert.False(Madt.IsaActiveLow(f));
        }
        Assert.Equal(1u, m.IsaIrqToGsi(1, out f)); // keyboard: identity, edge
        Assert.Equal(8u, m.IsaIrqToGsi(8, out f)); // RTC
        Assert.Equal(1, m.LocalNmiCount);
        Assert.True(m.GetLocalNmi(0, out MadtLocalNmi n));
        Assert.True(n.AllProcessors);
        Assert.Equal(1, n.Lint);
    }

    [Fact]
    public void MissingMadtIsReportedByLoad()
    {
        using var mem = new FakePhysicalMemory(0x7fe0000, 4096);
        mem.Write(0x7fe0000, B.Rsdt());
        Assert.Equal(AcpiStatus.Ok, RootTables.Open(0, 0x7fe0000, 0, out AcpiRoot root));
        MadtInfo m;
        Assert.Equal(AcpiStatus.NotFound, Madt.Load(root, &m));
        Assert.Equal(AcpiStatus.NotFound, m.Status);
        Assert.Equal(0, m.ProcessorCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void EntryLengthBelowTwoStopsTheWalk(byte badLength)
    {
        var t = new MadtBuilder().LocalApic(0, 0, 1).Raw(0, badLength, 0, 0, 0, 0, 0, 0).LocalApic(1, 1, 1).Build();
        MadtInfo m = default;
        AcpiStatus s = AcpiStatus.Ok;
        // A parser that does not advance would never return: bound it.
        var worker = new Thread(() => s = Parse(t, out m)) { IsBackground = true };
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromSeconds(10)), "Madt.Parse did not return on a zero-length entry");
        Assert.Equal(AcpiStatus.MadtEntryZeroLength, s);
        Assert.Equal(AcpiStatus.MadtEntryZeroLength, m.Status);
        Assert.Equal(44u + 8, m.ErrorOffset);
        Assert.Equal(1, m.ProcessorCount); // what came before is kept
        Assert.Equal(1, m.EntryCount);
    }

    [Fact]
    public void EntryRunningPastTheEndStopsTheWalk()
    {
        var t = new MadtBuilder().LocalApic(0, 0, 1).IoApic(0, 0xfec00000, 0).Build();
        t[44 + 8 + 1] = 40; // I/O APIC entry claims 40 bytes, 12 remain
        B.FixChecksum(t);
        Assert.Equal(AcpiStatus.MadtEntryOverrun, Parse(t, out MadtInfo m));
        Assert.Equal(52u, m.ErrorOffset);
        Assert.Equal(1, m.ProcessorCount);
        Assert.Equal(0, m.IoApicCount);

        // A single trailing byte cannot hold an entry header.
        var odd = new MadtBuilder().LocalApic(0, 0, 1).Raw(0x00).Build();
        Assert.Equal(AcpiStatus.MadtEntryOverrun, Parse(odd, out m));
        Assert.Equal(1, m.ProcessorCount);
    }

    [Fact]
    public void LengthArgumentBoundsTheWalk()
    {
        // The caller says the table is shorter than the bytes present: nothing past it is used.
        var t = new MadtBuilder().LocalApic(0, 0, 1).LocalApic(1, 1, 1).Build();
        Assert.Equal(AcpiStatus.Ok, Parse(t, out MadtInfo m, (uint)t.Length - 8));
        Assert.Equal(1, m.ProcessorCount);
        Assert.Equal(AcpiStatus.MadtEntryOverrun, Parse(t, out m, (uint)t.Length - 4));
        Assert.Equal(1, m.ProcessorCount);
    }

    [Fact]
    public void EntryTooShortForItsTypeIsSkipped()
    {
        var t = new MadtBuilder()
            .Raw(1, 8, 0, 0, 0, 0, 0xc0, 0xfe)  // I/O APIC with length 8 (needs 12)
            .Raw(2, 4, 0, 0)                    // override with length 4 (needs 10)
            .LocalApic(0, 0, 1)
            .Build();
        Assert.Equal(AcpiStatus.MadtEntryTooShort, Parse(t, out MadtInfo m));
        Assert.Equal(44u, m.ErrorOffset); // the first error is kept
        Assert.Equal(2, m.SkippedEntryCount);
        Assert.Equal(0, m.IoApicCount);
        Assert.Equal(0, m.OverrideCount);
        Assert.Equal(1, m.ProcessorCount); // the walk went on
    }

    [Fact]
    public void ShortTablesAndWrongSignatures()
    {
        var t = new MadtBuilder().Build();
        Assert.Equal(AcpiStatus.Ok, Parse(t, out MadtInfo m));
        Assert.Equal(0, m.EntryCount);
        Assert.Equal(AcpiStatus.MadtTooShort, Parse(t, out m, 43));
        var facp = B.Table("FACP", 1, new byte[80]);
        Assert.Equal(AcpiStatus.WrongSignature, Parse(facp, out m));
        MadtInfo x;
        Assert.Equal(AcpiStatus.NullAddress, Madt.Parse(null, 100, &x));
    }

    [Fact]
    public void CapacitiesAreNeverExceeded()
    {
        var b = new MadtBuilder();
        for (int i = 0; i < MadtInfo.MaxProcessors + 6; i++)
            b.LocalApic((byte)i, (byte)i, 1);
        for (int i = 0; i < MadtInfo.MaxIoApics + 2; i++)
            b.IoApic((byte)i, 0xfec00000u + (uint)i * 0x1000, (uint)i * 24);
        for (int i = 0; i < MadtInfo.MaxOverrides + 3; i++)
            b.Override(0, (byte)i, (uint)i, 0);
        for (int i = 0; i < MadtInfo.MaxLocalNmis + 1; i++)
            b.LocalApicNmi((byte)i, 0, 1);
        for (int i = 0; i < MadtInfo.MaxNmiSources + 1; i++)
            b.NmiSource(0, (uint)i);
        Assert.Equal(AcpiStatus.MadtFull, Parse(b.Build(), out MadtInfo m));
        Assert.Equal(MadtInfo.MaxProcessors, m.ProcessorCount);
        Assert.Equal(MadtInfo.MaxProcessors + 6, m.EnabledProcessorCount);
        Assert.Equal(MadtInfo.MaxIoApics, m.IoApicCount);
        Assert.Equal(MadtInfo.MaxOverrides, m.OverrideCount);
        Assert.Equal(MadtInfo.MaxLocalNmis, m.LocalNmiCount);
        Assert.Equal(MadtInfo.MaxNmiSources, m.NmiSourceCount);
        Assert.Equal(6 + 2 + 3 + 1 + 1, m.DroppedEntryCount);
        Assert.Equal(44u + 8 * MadtInfo.MaxProcessors, m.ErrorOffset);
    }

    /// <summary>Seeded mutations of a full MADT: the parser must return, stay within the table
    /// (guard page) and agree with a straightforward reference walk on how far it got.</summary>
    [Fact]
    public void RandomMutationsNeverEscapeTheTable()
    {
        const int Seed = 20261125;
        var rng = new Random(Seed);
        byte[] good = Full().Build();
        for (int iter = 0; iter < 3000; iter++)
        {
            byte[] t = (byte[])good.Clone();
            int flips = rng.Next(1, 6);
            for (int k = 0; k < flips; k++)
                t[rng.Next(36, t.Length)] = (byte)rng.Next(256);
            if (rng.Next(4) == 0)
                Array.Resize(ref t, rng.Next(36, t.Length));
            AcpiStatus s = Parse(t, out MadtInfo m);

            // Reference walk.
            int entries = 0;
            AcpiStatus stop = AcpiStatus.Ok;
            if (t.Length < 44)
            {
                stop = AcpiStatus.MadtTooShort;
            }
            else
            {
                int off = 44;
                while (off < t.Length)
                {
                    if (t.Length - off < 2) { stop = AcpiStatus.MadtEntryOverrun; break; }
                    int len = t[off + 1];
                    if (len < 2) { stop = AcpiStatus.MadtEntryZeroLength; break; }
                    if (len > t.Length - off) { stop = AcpiStatus.MadtEntryOverrun; break; }
                    entries++;
                    off += len;
                }
            }
            string where = $"seed {Seed} iteration {iter}";
            Assert.True(entries == m.EntryCount, where);
            Assert.True(s == m.Status, where);
            // A walk-stopping error, or an earlier per-entry one (the first error is kept).
            bool entryError = s == AcpiStatus.MadtEntryTooShort || s == AcpiStatus.MadtFull;
            if (stop == AcpiStatus.MadtTooShort)
                Assert.True(s == stop, where + ": " + s);
            else if (stop != AcpiStatus.Ok)
                Assert.True(s == stop || entryError, where + ": " + s + " vs " + stop);
            else
                Assert.True(s == AcpiStatus.Ok || entryError, where + ": " + s);
            Assert.True(m.ProcessorCount <= MadtInfo.MaxProcessors && m.IoApicCount <= MadtInfo.MaxIoApics
                && m.OverrideCount <= MadtInfo.MaxOverrides && m.LocalNmiCount <= MadtInfo.MaxLocalNmis
                && m.NmiSourceCount <= MadtInfo.MaxNmiSources, where);
            Assert.Equal(m.EntryCount, m.ProcessorCount + m.IoApicCount + m.OverrideCount + m.LocalNmiCount
                + m.NmiSourceCount + m.UnknownEntryCount + m.SkippedEntryCount + m.DroppedEntryCount
                + (m.HasLocalApicOverride ? CountType5(t) : 0));
        }
    }

    /// <summary>Well-formed type-5 entries (each counted as an entry, not stored in an array).</summary>
    static int CountType5(byte[] t)
    {
        int n = 0, off = 44;
        while (off + 2 <= t.Length && t[off + 1] >= 2 && t[off + 1] <= t.Length - off)
        {
            if (t[off] == 5 && t[off + 1] >= 12)
                n++;
            off += t[off + 1];
        }
        return n;
    }
}
