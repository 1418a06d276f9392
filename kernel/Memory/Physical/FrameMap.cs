// Platform-neutral shared source (kernel and host tests).
// Frame number -> descriptor in O(1), with descriptor arrays only where there is RAM.
//
// Physical address space is cut into 128 MiB sections (2^15 frames, as Linux SPARSEMEM on
// x86-64). A flat table has one 16-byte entry per section up to the highest RAM address; each
// entry points at a descriptor array covering only the span of RAM inside that section
// ([First, First + Count) frames from the section's start). A hole costs 16 bytes per 128 MiB
// (the 512 MiB PCI hole below 4 GiB: 64 bytes), a lookup costs one shift, one load of the entry,
// one compare. The entry's Base is biased by First so that the hot, unchecked lookup is
// "Base + (pfn & mask)".
using System.Runtime.CompilerServices;

namespace Kernel.Memory.Physical;

/// <summary>A range of physical memory [Start, End) in bytes.</summary>
public struct RamRange
{
    public ulong Start;
    public ulong End;

    public RamRange(ulong start, ulong end)
    {
        Start = start;
        End = end;
    }

    /// <summary>First whole frame (start rounded up).</summary>
    public ulong StartPfn => (Start + PageGeometry.PageSize - 1) >> PageGeometry.PageShift;
    /// <summary>End frame, exclusive (end rounded down), never above the 32-bit link limit.</summary>
    public ulong EndPfn
    {
        get
        {
            ulong e = End >> PageGeometry.PageShift;
            return e > PageGeometry.MaxPfn + 1 ? PageGeometry.MaxPfn + 1 : e;
        }
    }
}

/// <summary>One 128 MiB section: 16 bytes.</summary>
public unsafe struct SectionEntry
{
    /// <summary>Descriptor of the section's frame 0 (may point before the array: biased by First).</summary>
    public PageDescriptor* Base;
    /// <summary>First frame (offset in the section) that has a descriptor.</summary>
    public uint First;
    /// <summary>Frames with a descriptor; 0 for a section without RAM.</summary>
    public uint Count;
}

/// <summary>The section table. A value type holding pointers into metadata memory: copies
/// share the same descriptors.</summary>
public unsafe struct FrameMap
{
    public const int SectionShift = 15;
    public const ulong SectionFrames = 1UL << SectionShift;
    const ulong SectionMask = SectionFrames - 1;

    SectionEntry* _sections;
    ulong _sectionCount;

    public readonly ulong SectionCount => _sectionCount;
    public readonly SectionEntry* Sections => _sections;

    /// <summary>The descriptor of <paramref name="pfn"/>, or null when the frame is not RAM
    /// (no section, outside the section's array, or a hole inside it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PageDescriptor* Lookup(ulong pfn)
    {
        PageDescriptor* d = LookupAny(pfn);
        return d != null && (d->Flags & FrameFlags.Hole) == 0 ? d : null;
    }

    /// <summary>Lookup without the Hole test, for callers that go on to test a flag a hole
    /// descriptor never has (kfree tests SlabPage): null only when no descriptor exists.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PageDescriptor* LookupAny(ulong pfn)
    {
        ulong s = pfn >> SectionShift;
        if (s >= _sectionCount)
            return null;
        SectionEntry* e = _sections + s;
        uint offset = (uint)(pfn & SectionMask) - e->First;
        if (offset >= e->Count)
            return null;
        return e->Base + (pfn & SectionMask);
    }

    /// <summary>Hot path: <paramref name="pfn"/> came from one of our own lists, so it is RAM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly PageDescriptor* At(uint pfn)
    {
        return _sections[pfn >> SectionShift].Base + (pfn & (uint)SectionMask);
    }

    /// <summary>Bytes of section table plus descriptor arrays for these ranges, laid out as Build
    /// does from a 64-byte aligned start.
    /// O(sections x ranges); no scratch memory, unsorted and overlapping ranges allowed.</summary>
    public static ulong BytesNeeded(RamRange* ranges, int count, out ulong sectionCount, out ulong arrayBytes)
    {
        sectionCount = SectionsSpanned(ranges, count);
        arrayBytes = 0;
        for (ulong s = 0; s < sectionCount; s++)
        {
            uint first, frames;
            SpanInSection(ranges, count, s, out first, out frames);
            arrayBytes += AlignUp((ulong)frames * PageDescriptor.Size, 64);
        }
        return AlignUp(sectionCount * (ulong)sizeof(SectionEntry), 64) + arrayBytes;
    }

    /// <summary>Lays out the table at <paramref name="memory"/> (64-byte aligned) followed by the
    /// arrays, marks every frame Hole, then every frame of a range Reserved with its zone.
    /// Returns the first byte after the arrays. <paramref name="presentPerZone"/> receives the RAM
    /// frames per zone (ZoneCount entries).</summary>
    public byte* Build(RamRange* ranges, int count, byte* memory, ulong* presentPerZone)
    {
        _sectionCount = SectionsSpanned(ranges, count);
        _sections = (SectionEntry*)memory;
        byte* next = memory + AlignUp(_sectionCount * (ulong)sizeof(SectionEntry), 64);
        for (ulong s = 0; s < _sectionCount; s++)
        {
            uint first, frames;
            SpanInSection(ranges, count, s, out first, out frames);
            SectionEntry* e = _sections + s;
            e->First = first;
            e->Count = frames;
            e->Base = (PageDescriptor*)next - first;
            PageDescriptor* d = (PageDescriptor*)next;
            ulong pfn = (s << SectionShift) + first;
            for (uint i = 0; i < frames; i++, pfn++)
            {
                d[i].Next = PageDescriptor.NoFrame;
                d[i].Prev = PageDescriptor.NoFrame;
                d[i].Private = 0;
                d[i].Owner = 0;
                d[i].Flags = FrameFlags.Hole;
                d[i].Order = 0;
                d[i].Zone = (byte)Zones.Of(pfn);
            }
            next += AlignUp((ulong)frames * PageDescriptor.Size, 64);
        }
        for (int z = 0; z < Zones.Count; z++)
            presentPerZone[z] = 0;
        for (int r = 0; r < count; r++)
        {
            ulong end = ranges[r].EndPfn;
            for (ulong pfn = ranges[r].StartPfn; pfn < end; pfn++)
            {
                PageDescriptor* d = _sections[pfn >> SectionShift].Base + (pfn & SectionMask);
                if (d->Flags == FrameFlags.Hole)     // overlapping ranges count once
                {
                    d->Flags = FrameFlags.Reserved;
                    presentPerZone[d->Zone]++;
                }
            }
        }
        return next;
    }

    static ulong SectionsSpanned(RamRange* ranges, int count)
    {
        ulong maxEnd = 0;
        for (int r = 0; r < count; r++)
        {
            ulong start = ranges[r].StartPfn, end = ranges[r].EndPfn;
            if (end > start && end > maxEnd)
                maxEnd = end;
        }
        return (maxEnd + SectionMask) >> SectionShift;
    }

    /// <summary>The smallest [first, first+frames) inside section <paramref name="s"/> that covers
    /// every range frame in it; frames = 0 when none.</summary>
    static void SpanInSection(RamRange* ranges, int count, ulong s, out uint first, out uint frames)
    {
        ulong lo = SectionFrames, hi = 0;
        ulong sectionStart = s << SectionShift, sectionEnd = sectionStart + SectionFrames;
        for (int r = 0; r < count; r++)
        {
            ulong a = ranges[r].StartPfn, b = ranges[r].EndPfn;
            if (a < sectionStart) a = sectionStart;
            if (b > sectionEnd) b = sectionEnd;
            if (a >= b)
                continue;
            if (a - sectionStart < lo) lo = a - sectionStart;
            if (b - sectionStart > hi) hi = b - sectionStart;
        }
        if (hi == 0)
        {
            first = 0;
            frames = 0;
            return;
        }
        first = (uint)lo;
        frames = (uint)(hi - lo);
    }

    internal static ulong AlignUp(ulong v, ulong a) => (v + a - 1) & ~(a - 1);
}
