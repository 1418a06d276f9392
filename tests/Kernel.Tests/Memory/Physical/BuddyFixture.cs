using System;
using System.Runtime.InteropServices;
using Kernel.Memory.Physical;

namespace Kernel.Tests.Memory.Physical;

/// <summary>
/// One independent allocator over fake physical ranges. The metadata (descriptors, section table,
/// zones, per-CPU lists) lives in native host memory; frame contents are never touched unless a
/// test maps RAM with <see cref="HostRam"/> (poisoning).
/// </summary>
public sealed unsafe class BuddyFixture : IDisposable
{
    public const ulong KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

    public BuddyAllocator A;
    public readonly RamRange[] Ranges;
    public readonly ulong MetadataBytes;
    byte* _metadata;

    public BuddyFixture(params (ulong Start, ulong End)[] ranges)
    {
        Ranges = new RamRange[ranges.Length];
        for (int i = 0; i < ranges.Length; i++)
            Ranges[i] = new RamRange(ranges[i].Start, ranges[i].End);
        fixed (RamRange* r = Ranges)
        {
            MetadataBytes = BuddyAllocator.MetadataBytesNeeded(r, Ranges.Length);
            _metadata = (byte*)NativeMemory.Alloc((nuint)MetadataBytes);
            // Garbage in the metadata block must not matter: Initialize writes all it reads.
            NativeMemory.Fill(_metadata, (nuint)MetadataBytes, 0x5c);
            InitStatus s = A.Initialize(r, Ranges.Length, _metadata, MetadataBytes);
            if (s != InitStatus.Ok)
                throw new InvalidOperationException("Initialize: " + s);
        }
    }

    /// <summary>A fixture whose every range is handed to the allocator.</summary>
    public static BuddyFixture AllFree(params (ulong Start, ulong End)[] ranges)
    {
        var f = new BuddyFixture(ranges);
        foreach (var r in f.Ranges)
        {
            FreeResult res = f.A.AddFreeRange(r.StartPfn, r.EndPfn);
            if (!res.IsOk)
                throw new InvalidOperationException("AddFreeRange: " + res.Status + " at pfn " + res.Pfn);
        }
        return f;
    }

    public void AddFree(ulong start, ulong end)
    {
        FreeResult r = A.AddFreeRange(start >> 12, end >> 12);
        if (!r.IsOk)
            throw new InvalidOperationException("AddFreeRange: " + r.Status + " at pfn " + r.Pfn);
    }

    public PhysicalMemoryStats Stats()
    {
        PhysicalMemoryStats s;
        A.GetStats(&s);
        return s;
    }

    public void AssertInvariants(string context = "")
    {
        InvariantReport r = A.CheckInvariants();
        if (!r.IsOk)
            throw new Xunit.Sdk.XunitException($"invariant {r.Violation} at pfn {r.Pfn} zone {r.Zone} order {r.Order} {context}");
    }

    /// <summary>Flags/Order/Zone of every descriptor frame (links excluded: list order may differ).</summary>
    public (ushort Flags, byte Order, byte Zone)[] Snapshot()
    {
        var list = new System.Collections.Generic.List<(ushort, byte, byte)>();
        FrameMap map = A.Map;
        for (ulong s = 0; s < map.SectionCount; s++)
        {
            SectionEntry* e = map.Sections + s;
            for (uint i = 0; i < e->Count; i++)
            {
                PageDescriptor* d = e->Base + e->First + i;
                list.Add(((ushort)d->Flags, d->Order, d->Zone));
            }
        }
        return list.ToArray();
    }

    public void Dispose()
    {
        if (_metadata != null)
        {
            NativeMemory.Free(_metadata);
            _metadata = null;
        }
    }
}

/// <summary>
/// Host memory standing in for physical RAM [physBase, physBase + bytes), reachable through
/// PhysicalMap. PhysicalMap's offset is global: tests that use this run in the serial
/// serial PhysicalMapCollection so no other test moves the offset under them.
/// </summary>
public sealed unsafe class HostRam : IDisposable
{
    public readonly ulong PhysBase;
    public readonly ulong Bytes;
    public byte* Pointer { get; private set; }

    public HostRam(ulong physBase, ulong bytes)
    {
        PhysBase = physBase;
        Bytes = bytes;
        Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 4096);
        NativeMemory.Fill(Pointer, (nuint)bytes, 0x11);
        Kernel.Memory.PhysicalMap.SetOffset((ulong)Pointer - physBase);
    }

    public byte* At(ulong phys)
    {
        if (phys < PhysBase || phys >= PhysBase + Bytes)
            throw new ArgumentOutOfRangeException(nameof(phys));
        return Pointer + (phys - PhysBase);
    }

    public void Dispose()
    {
        if (Pointer != null)
        {
            NativeMemory.AlignedFree(Pointer);
            Pointer = null;
        }
    }
}

/// <summary>The one serial collection of every test that moves PhysicalMap's offset (defined in
/// Paging/FakePhysicalMemory.cs as "PhysicalMap"): two such tests in parallel would point
/// each other's direct map at the wrong memory.</summary>
public static class PhysicalMapCollection
{
    public const string Name = "PhysicalMap";
}
