using System;
using System.Linq;
using System.Text;
using Kernel.Acpi;
using Kernel.Tests.Support;
using Xunit;
using B = Kernel.Tests.Acpi.AcpiBuilder;

namespace Kernel.Tests.Acpi;

[Collection("PhysicalMap")]
public unsafe class SleepStateTests
{
    /// <summary>Runs the scan over <paramref name="aml"/> placed right before a guard page.</summary>
    static bool Find(byte[] aml, out byte a, out byte b, int state = 5)
    {
        int readable = (aml.Length + 7) & ~7;
        using var g = new GuardedBuffer(Math.Max(readable, 8));
        var padded = new byte[readable];
        aml.CopyTo(padded, readable - aml.Length);
        byte* p = g.PlaceAtEnd(padded, readable) + (readable - aml.Length);
        return SleepState.Find(p, (uint)aml.Length, state, out a, out b);
    }

    static byte[] S(params object[] parts)
    {
        var list = new System.Collections.Generic.List<byte>();
        foreach (object o in parts)
        {
            if (o is string s) list.AddRange(Encoding.ASCII.GetBytes(s));
            else if (o is int i) list.Add((byte)i);
            else if (o is byte[] bytes) list.AddRange(bytes);
            else throw new ArgumentException("part");
        }
        return list.ToArray();
    }

    // Filler AML in front, so the package is not at offset 0: Scope(\_SB) { ... } bytes.
    static readonly byte[] Prefix = { 0x10, 0x0b, 0x5c, 0x5f, 0x53, 0x42, 0x5f, 0x5b, 0x80, 0x44, 0x42 };

    [Fact]
    public void QemuEncodingWithZeroOps()
    {
        Assert.True(Find(S(Prefix, B.QemuS5, 0x10, 0x3b), out byte a, out byte b));
        Assert.Equal(0, a);
        Assert.Equal(0, b);
    }

    [Theory]
    [InlineData(new byte[] { 0x0a, 5, 0x0a, 5 }, 5, 5)]      // BytePrefix
    [InlineData(new byte[] { 0x0a, 7, 0x00 }, 7, 0)]          // BytePrefix, ZeroOp
    [InlineData(new byte[] { 0x01, 0x01 }, 1, 1)]             // OneOp
    [InlineData(new byte[] { 0x05, 0x06 }, 5, 6)]             // bare bytes (not AML, seen in firmware)
    [InlineData(new byte[] { 0x0b, 3, 0, 0x0c, 4, 0, 0, 0 }, 3, 4)] // WordPrefix, DWordPrefix
    [InlineData(new byte[] { 0x0e, 2, 0, 0, 0, 0, 0, 0, 0, 0x00 }, 2, 0)] // QWordPrefix
    public void ElementEncodings(byte[] elements, int expectA, int expectB)
    {
        int count = 2;
        var pkg = S(0x08, "_S5_", 0x12, 2 + elements.Length, count, elements);
        Assert.True(Find(S(Prefix, pkg), out byte a, out byte b));
        Assert.Equal(expectA, a);
        Assert.Equal(expectB, b);
    }

    [Fact]
    public void RootPrefixIsAllowed()
    {
        Assert.True(Find(S(Prefix, 0x08, 0x5c, "_S5_", 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00), out byte a, out byte b));
        Assert.Equal(5, a);
        Assert.Equal(5, b);
    }

    [Fact]
    public void MultiBytePkgLength()
    {
        // A 70-byte package needs the two-byte PkgLength form: lead 0x46 (one more byte, low
        // nibble 6), then 0x04 (bits 4-11) -> 0x46. It counts itself, NumElements and elements.
        var elements = new byte[] { 0x0a, 3, 0x0a, 4 }.Concat(Enumerable.Repeat((byte)0x00, 63)).ToArray();
        Assert.Equal(0x46, 2 + 1 + elements.Length);
        var pkg = S(0x08, "_S5_", 0x12, 0x46, 0x04, 65, elements);
        Assert.True(SleepState.ReadPkgLength(ToNative(new byte[] { 0x46, 0x04 }), 2, out uint v, out uint size));
        Assert.Equal(0x46u, v);
        Assert.Equal(2u, size);
        Assert.True(Find(S(Prefix, pkg), out byte a, out byte b));
        Assert.Equal(3, a);
        Assert.Equal(4, b);
        // One byte short of what PkgLength claims: rejected.
        Assert.False(Find(S(Prefix, pkg).SkipLast(1).ToArray(), out _, out _));
    }

    static byte* ToNative(byte[] data)
    {
        // Leaked on purpose: a few bytes per test run.
        var nb = NativeBuffer.From(data);
        return nb.Pointer;
    }

    [Fact]
    public void PkgLengthDecoding()
    {
        Assert.True(SleepState.ReadPkgLength(ToNative(new byte[] { 0x3f }), 1, out uint v, out uint n));
        Assert.Equal(0x3fu, v);
        Assert.Equal(1u, n);
        Assert.True(SleepState.ReadPkgLength(ToNative(new byte[] { 0xc5, 0x34, 0x12, 0x01 }), 4, out v, out n));
        Assert.Equal(0x0112345u, v);
        Assert.Equal(4u, n);
        Assert.False(SleepState.ReadPkgLength(ToNative(new byte[] { 0x80, 0x01 }), 2, out _, out _)); // needs 3 bytes
        Assert.False(SleepState.ReadPkgLength(ToNative(new byte[] { 0x50, 0x01 }), 2, out _, out _)); // reserved bits set
        Assert.False(SleepState.ReadPkgLength(ToNative(new byte[] { 0x05 }), 0, out _, out _));
    }

    [Fact]
    public void OneElementPackageCarriesBothValues()
    {
        Assert.True(Find(S(Prefix, 0x08, "_S5_", 0x12, 0x05, 0x01, 0x0b, 0x07, 0x05), out byte a, out byte b));
        Assert.Equal(7, a);
        Assert.Equal(5, b);
    }

    [Fact]
    public void NameWithoutNameOpIsSkipped()
    {
        // A reference to _S5_ (e.g. in a method body) before the real definition.
        var aml = S(Prefix, 0x70, "_S5_", 0x60, 0x12, 0x06, 0x04, 0x0a, 0x02, 0x00, 0x00, 0x00,
            0x08, "_S5_", 0x12, 0x06, 0x04, 0x0a, 0x03, 0x0a, 0x04, 0x00);
        Assert.True(Find(aml, out byte a, out byte b));
        Assert.Equal(3, a);
        Assert.Equal(4, b);
    }

    [Fact]
    public void MethodDefinedS5IsNotSupported()
    {
        // Method(_S5, 0) { Return (Package(){5, 5}) }: 14 len "_S5_" flags ...
        var aml = S(Prefix, 0x14, 0x0c, "_S5_", 0x00, 0xa4, 0x12, 0x06, 0x02, 0x0a, 0x05, 0x0a, 0x05);
        Assert.False(Find(aml, out byte a, out byte b));
        Assert.Equal(0, a);
        Assert.Equal(0, b);
    }

    [Fact]
    public void CutOffPackagesAreRejected()
    {
        byte[] full = S(Prefix, 0x08, "_S5_", 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00);
        Assert.True(Find(full, out _, out _));
        // Every truncation that cuts into the package must fail (and never read past the end:
        // the guard page would kill the run).
        for (int len = Prefix.Length; len < full.Length; len++)
            Assert.False(Find(full.Take(len).ToArray(), out _, out _), "length " + len);
    }

    [Fact]
    public void MalformedPackagesAreRejected()
    {
        Assert.False(Find(S(Prefix, 0x08, "_S5_", 0x13, 0x06, 0x04, 0, 0, 0, 0), out _, out _));       // not PackageOp
        Assert.False(Find(S(Prefix, 0x08, "_S5_", 0x12, 0x02, 0x00, 0, 0), out _, out _));             // NumElements 0
        Assert.False(Find(S(Prefix, 0x08, "_S5_", 0x12, 0x06, 0x04, 0x0a, 0x08, 0, 0, 0), out _, out _)); // SLP_TYP 8
        Assert.False(Find(S(Prefix, 0x08, "_S5_", 0x12, 0x06, 0x04, 0x0d, 0x41, 0x00, 0), out _, out _)); // string
        Assert.False(Find(S(Prefix, 0x08, "_S5_", 0x12, 0x06, 0x04, 0xff, 0xff, 0, 0), out _, out _));   // OnesOp
        Assert.False(Find(S(Prefix, 0x08, "_S5_", 0x12, 0x01, 0x04, 0, 0, 0, 0), out _, out _));       // PkgLength too small
        // The second element's BytePrefix value lies past the package end (PkgLength 4).
        Assert.False(Find(S(Prefix, 0x08, "_S5_", 0x12, 0x04, 0x02, 0x0a, 0x01, 0x0a, 0x01, 0, 0), out _, out _));
        Assert.False(Find(S(Prefix, "_S5_"), out _, out _));
        Assert.False(Find(new byte[0], out _, out _));
        Assert.False(SleepState.Find(null, 100, 5, out _, out _));
        Assert.False(Find(S(Prefix, B.QemuS5), out _, out _, state: 6));
    }

    [Fact]
    public void QemuDsdtSleepStates()
    {
        using var mem = new FakePhysicalMemory(QemuTables.TablesPhys, 16384);
        foreach (byte[] tables in new[] { QemuTables.PcTables, QemuTables.Q35Tables })
        {
            mem.Write(QemuTables.TablesPhys, tables);
            Assert.Equal(AcpiStatus.Ok, AcpiTable.Map(0x7fe0040, AcpiSignature.Dsdt, out byte* dsdt, out uint n));
            Assert.Equal(AcpiStatus.Ok, SleepState.FindS5InTable(dsdt, n, out byte a, out byte b));
            Assert.Equal(0, a);
            Assert.Equal(0, b);
            Assert.True(SleepState.Find(dsdt + 36, n - 36, 3, out a, out b)); // OneOp
            Assert.Equal(1, a);
            Assert.Equal(1, b);
            Assert.True(SleepState.Find(dsdt + 36, n - 36, 4, out a, out b)); // BytePrefix 2
            Assert.Equal(2, a);
            Assert.Equal(2, b);
        }
    }

    [Fact]
    public void FindS5InTableChecksItsArguments()
    {
        Assert.Equal(AcpiStatus.NullAddress, SleepState.FindS5InTable(null, 100, out _, out _));
        using var nb = NativeBuffer.From(B.Dsdt(new byte[] { 0x10, 0x00 }));
        Assert.Equal(AcpiStatus.LengthTooSmall, SleepState.FindS5InTable(nb.Pointer, 20, out _, out _));
        Assert.Equal(AcpiStatus.NoSleepPackage, SleepState.FindS5InTable(nb.Pointer, 38, out _, out _));
    }

    [Fact]
    public void Pm1ControlValueSetsSlpTypAndSlpEn()
    {
        Assert.Equal(0x2000, SleepState.Pm1ControlValue(0, 0));               // QEMU: outw(0x604, 0x2000)
        Assert.Equal(0x3401, SleepState.Pm1ControlValue(0x0001, 5));          // SCI_EN kept
        Assert.Equal(0x2c01, SleepState.Pm1ControlValue(0x1c01, 3));          // old SLP_TYP replaced
        Assert.Equal(0x3c00, SleepState.Pm1ControlValue(0, 0xff));            // masked to 3 bits
    }

    [Fact]
    public void RandomAmlNeverEscapesItsBounds()
    {
        const int Seed = 5;
        var rng = new Random(Seed);
        var good = S(Prefix, 0x08, "_S5_", 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00);
        for (int iter = 0; iter < 3000; iter++)
        {
            byte[] aml = (byte[])good.Clone();
            for (int k = rng.Next(1, 4); k > 0; k--)
                aml[rng.Next(Prefix.Length, aml.Length)] = (byte)rng.Next(256);
            if (rng.Next(3) == 0)
                aml = aml.Take(rng.Next(0, aml.Length)).ToArray();
            bool found = Find(aml, out byte a, out byte b);
            Assert.True(!found || (a <= 7 && b <= 7), $"seed {Seed} iteration {iter}");
            if (!found)
                Assert.True(a == 0 && b == 0, $"seed {Seed} iteration {iter}");
        }
    }
}
