// Platform-neutral shared source (kernel and host tests).
// The checked paths of debug caches (slab_debug=F,Z,P,U; Linux's meanings and byte values).
// Debug caches have no sheaves: every alloc and free comes here, one object at a time, inside
// the caller's interrupt-save section.
//   F  on free: the pointer is an object start of this cache and not already free (the slab's
//      free list is walked); every free pointer is checked where it is followed.
//   Z  red zones: 0xbb while the object is free, 0xcc while in use; kmalloc caches also paint
//      the unused tail of the class (past the requested size). Checked on alloc and free.
//   P  free objects poisoned 0x6b with a last byte 0xa5, padding 0x5a; checked on alloc
//      (a changed byte is a write after free). Not for caches with a constructor.
//   U  the caller chain of the last alloc and the last free of each object.
// A problem is reported (cache, object, offset, byte found, owners) and repaired where that is
// safe; a bad free is refused, never half done.
using Kernel.Memory.Physical;
using Kernel.Platform;

namespace Kernel.Memory.Slab;

public static unsafe class SlabDebug
{
    public const byte PoisonFree = 0x6b;
    public const byte PoisonEnd = 0xa5;
    public const byte PoisonInUse = 0x5a;
    public const byte RedInactive = 0xbb;
    public const byte RedActive = 0xcc;

    static bool PoisonsObjects(SlabCache* c) => (c->Flags & SlabFlags.Poison) != 0 && c->Constructor == null;

    // ---- painting ------------------------------------------------------------------------------------

    static void Fill(byte* p, byte value, ulong n)
    {
        for (ulong i = 0; i < n; i++)
            p[i] = value;
    }

    /// <summary>First byte in [p, p+n) that is not <paramref name="value"/>, or -1.</summary>
    static long FindOther(byte* p, byte value, ulong n)
    {
        for (ulong i = 0; i < n; i++)
        {
            if (p[i] != value)
                return (long)i;
        }
        return -1;
    }

    /// <summary>Bytes after the object that belong to the right red zone: from the requested
    /// size (kmalloc) or the object size to the end of the rounded object plus 8.</summary>
    static uint RightRedStart(SlabCache* c, byte* obj)
    {
        if (c->OrigSizeOffset != 0)
        {
            ulong orig = *(ulong*)(obj - c->ObjectOffset + c->OrigSizeOffset);
            if (orig <= c->ObjectSize)
                return (uint)orig;
        }
        return c->ObjectSize;
    }

    static void PaintRedZones(SlabCache* c, byte* obj, byte value)
    {
        Fill(obj - c->ObjectOffset, value, c->ObjectOffset);
        uint start = RightRedStart(c, obj);
        Fill(obj + start, value, c->InUseBytes + 8 - start);
    }

    static void PoisonObject(SlabCache* c, byte* obj)
    {
        Fill(obj, PoisonFree, c->ObjectSize - 1);
        obj[c->ObjectSize - 1] = PoisonEnd;
    }

    /// <summary>A fresh slab's object: free red zones, poison, padding, no owners.</summary>
    internal static void PrepareNewObject(SlabCache* c, byte* obj)
    {
        if ((c->Flags & SlabFlags.RedZone) != 0)
        {
            if (c->OrigSizeOffset != 0)
                *(ulong*)(obj - c->ObjectOffset + c->OrigSizeOffset) = c->ObjectSize;
            PaintRedZones(c, obj, RedInactive);
        }
        if (PoisonsObjects(c))
            PoisonObject(c, obj);
        if ((c->Flags & SlabFlags.Poison) != 0)
            Fill(obj - c->ObjectOffset + c->MetaEnd, PoisonInUse, c->Stride - c->MetaEnd);
        if (c->TrackOffset != 0)
            Fill(obj - c->ObjectOffset + c->TrackOffset, 0, 2 * (ulong)sizeof(SlabTrack));
    }

    /// <summary>The bytes after the last slot of a slab (P).</summary>
    internal static void PaintSlabTail(SlabCache* c, byte* slab)
    {
        if ((c->Flags & SlabFlags.Poison) != 0)
        {
            uint used = c->ObjectsPerSlab * c->Stride;
            Fill(slab + used, PoisonInUse, c->SlabBytes - used);
        }
    }

    // ---- reports ------------------------------------------------------------------------------------

    internal static void Report(SlabCache* c, SlabError kind, byte* obj, long offset, byte found, byte expected)
    {
        SlabReport r;
        r.Kind = kind;
        r.Cache = c;
        r.Object = (ulong)obj;
        r.Offset = offset;
        r.Found = found;
        r.Expected = expected;
        r.Allocated = r.Freed = null;
        if (c->TrackOffset != 0)
        {
            SlabTrack* t = (SlabTrack*)(obj - c->ObjectOffset + c->TrackOffset);
            r.Allocated = t;
            r.Freed = t + 1;
        }
        c->Errors++;
        c->Allocator->Count(&r);
    }

    /// <summary>Checks [p, p+n) holds <paramref name="value"/>; reports the first other byte
    /// (offset from <paramref name="obj"/>) and repaints the range. True when intact.</summary>
    static bool Expect(SlabCache* c, SlabError kind, byte* obj, byte* p, ulong n, byte value)
    {
        long bad = FindOther(p, value, n);
        if (bad < 0)
            return true;
        Report(c, kind, obj, (long)(p - obj) + bad, p[bad], value);
        Fill(p, value, n);
        return false;
    }

    static void CheckRedZones(SlabCache* c, byte* obj, byte value)
    {
        Expect(c, SlabError.WriteBeforeStart, obj, obj - c->ObjectOffset, c->ObjectOffset, value);
        uint start = RightRedStart(c, obj);
        Expect(c, SlabError.WritePastEnd, obj, obj + start, c->InUseBytes + 8 - start, value);
    }

    /// <summary>Records the caller chain. Not inlined, like Alloc, Free and the sheaves' slow
    /// paths, so the platform hook can skip a fixed number of allocator frames.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static void Track(SlabCache* c, byte* obj, int which)
    {
        SlabTrack* t = (SlabTrack*)(obj - c->ObjectOffset + c->TrackOffset) + which;
        delegate*<ulong*, int, int> capture = c->Allocator->Hooks.CaptureCallers;
        t->Count = capture == null ? 0u : (uint)capture(t->Callers, SlabTrack.Depth);
        for (uint i = t->Count; i < SlabTrack.Depth; i++)
            t->Callers[i] = 0;
        t->Cpu = (uint)CpuLocal.CurrentCpu;
    }

    // ---- the checked paths ------------------------------------------------------------------------------

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal static void* Alloc(SlabCache* c, ulong requested)
    {
        byte* obj = SlabPages.TakeOne(c);
        if (obj == null)
            return null;
        if ((c->Flags & SlabFlags.RedZone) != 0)
        {
            CheckRedZones(c, obj, RedInactive);
            if (c->OrigSizeOffset != 0)
                *(ulong*)(obj - c->ObjectOffset + c->OrigSizeOffset) = c->ObjectSize;
            PaintRedZones(c, obj, RedActive);
        }
        if (PoisonsObjects(c))
        {
            if (Expect(c, SlabError.WriteAfterFree, obj, obj, c->ObjectSize - 1, PoisonFree))
                Expect(c, SlabError.WriteAfterFree, obj, obj + c->ObjectSize - 1, 1, PoisonEnd);
            else
                obj[c->ObjectSize - 1] = PoisonEnd;
        }
        if ((c->Flags & SlabFlags.Poison) != 0)
            Expect(c, SlabError.PaddingOverwritten, obj, obj - c->ObjectOffset + c->MetaEnd, c->Stride - c->MetaEnd, PoisonInUse);
        if (c->TrackOffset != 0)
            Track(c, obj, 0);
        if (c->OrigSizeOffset != 0 && requested != KmemCache.NotKmalloc)
            SetRequestedSize(c, obj, requested);
        return obj;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal static void Free(SlabCache* c, void* pointer)
    {
        byte* obj = (byte*)pointer;
        if (!OwnsObject(c, obj))
            return;
        if ((c->Flags & SlabFlags.ConsistencyChecks) != 0 && IsOnFreeList(c, obj))
        {
            Report(c, SlabError.DoubleFree, obj, -1, 0, 0);
            return;
        }
        if ((c->Flags & SlabFlags.RedZone) != 0)
        {
            // Without F, a red zone still in its free colour means the object is already free.
            if ((c->Flags & SlabFlags.ConsistencyChecks) == 0 && FindOther(obj - c->ObjectOffset, RedInactive, c->ObjectOffset) < 0
                && FindOther(obj + c->InUseBytes, RedInactive, 8) < 0)
            {
                Report(c, SlabError.DoubleFree, obj, -1, 0, 0);
                return;
            }
            CheckRedZones(c, obj, RedActive);
            if (c->OrigSizeOffset != 0)
                *(ulong*)(obj - c->ObjectOffset + c->OrigSizeOffset) = c->ObjectSize;
            PaintRedZones(c, obj, RedInactive);
        }
        if (PoisonsObjects(c))
            PoisonObject(c, obj);
        if (c->TrackOffset != 0)
            Track(c, obj, 1);
        SlabPages.PutOne(c, obj);
    }

    /// <summary>The pointer is the start of an object in a slab of <paramref name="c"/>; otherwise
    /// the problem is reported and false returned.</summary>
    static bool OwnsObject(SlabCache* c, byte* obj)
    {
        ulong phys = PhysicalMap.ToPhysical(obj);
        PageDescriptor* d = c->Allocator->Source.Frames.Lookup(phys >> PageGeometry.PageShift);
        if (d == null || (d->Flags & FrameFlags.SlabPage) == 0)
        {
            c->Allocator->ReportForeign(obj, SlabError.ForeignPointer, c);
            return false;
        }
        if ((SlabCache*)d->Owner != c)
        {
            Report(c, SlabError.WrongCache, obj, -1, 0, 0);
            return false;
        }
        if (!c->IsObjectStart(phys & (c->SlabBytes - 1)))
        {
            Report(c, SlabError.NotObjectStart, obj, -1, 0, 0);
            return false;
        }
        return true;
    }

    /// <summary>Walks the object's slab free list (at most ObjectsPerSlab steps, stopping at a
    /// pointer that leaves the slab).</summary>
    static bool IsOnFreeList(SlabCache* c, byte* obj)
    {
        uint pfn = SlabPages.HeadPfn(c, obj);
        PageDescriptor* d = SlabPages.At(c, pfn);
        uint first = SlabPages.FirstFree(d);
        if (first == SlabPages.NoFreeObject)
            return false;
        byte* b = SlabPages.Base(pfn);
        byte* p = b + first;
        for (uint i = 0; i <= c->ObjectsPerSlab; i++)
        {
            if (p == obj)
                return true;
            ulong* fp = SlabPages.FreePointerOf(c, p);
            ulong next = SlabPages.Decode(c, fp);
            ulong o = next - (ulong)b;
            if (next == 0 || o >= c->SlabBytes || !c->IsObjectStart(o))
                return false;
            p = b + o;
        }
        return false;
    }

    /// <summary>kmalloc with Z: remembers the size asked for and paints the rest of the class as
    /// red zone, so a write past the requested size is caught.</summary>
    internal static void SetRequestedSize(SlabCache* c, byte* obj, ulong size)
    {
        if (size > c->ObjectSize)
            return;
        *(ulong*)(obj - c->ObjectOffset + c->OrigSizeOffset) = size;
        Fill(obj + size, RedActive, c->InUseBytes + 8 - size);
    }

    internal static ulong RequestedSize(SlabCache* c, byte* obj) => *(ulong*)(obj - c->ObjectOffset + c->OrigSizeOffset);
}
