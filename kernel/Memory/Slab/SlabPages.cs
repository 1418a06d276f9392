// Platform-neutral shared source (kernel and host tests).
// Slabs: getting them from the page source, their free lists, their lists in the cache, and
// the batch moves between slabs and sheaves. Callers hold the interrupt-save section.
//
// A slab is 2^Order pages from the page source, naturally aligned (so an address's offset in
// its slab is its physical address modulo SlabBytes). Every frame of it has the SlabPage owner
// bit and Owner = the cache; the head frame's descriptor also holds
//   Private = objects in use (bits 0..15) | offset of the first free object (bits 16..31,
//             0xFFFF = none),  Next/Prev = links in the cache's Partial or Full list.
// A free object holds the next free object's address, hardened as Linux does
// (SLAB_FREELIST_HARDENED): stored = next ^ cache secret ^ byte-swapped address of the slot, so
// a stray write of a plausible pointer, or a leaked stored value, does not steer allocation.
using System.Runtime.CompilerServices;
using Kernel.Memory.Physical;

namespace Kernel.Memory.Slab;

internal static unsafe class SlabPages
{
    internal const uint NoFreeObject = 0xFFFF;
    const uint NoFrame = PageDescriptor.NoFrame;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint InUse(PageDescriptor* d) => d->Private & 0xFFFF;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint FirstFree(PageDescriptor* d) => d->Private >> 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void SetState(PageDescriptor* d, uint inUse, uint firstFree) => d->Private = inUse | (firstFree << 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static PageDescriptor* At(SlabCache* c, uint pfn) => c->Allocator->Source.Frames.At(pfn);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static byte* Base(uint headPfn) => (byte*)PhysicalMap.ToVirtual((ulong)headPfn << PageGeometry.PageShift);

    /// <summary>Head-frame pfn of the slab holding <paramref name="obj"/> (trusted: one of ours).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint HeadPfn(SlabCache* c, void* obj) =>
        (uint)(PhysicalMap.ToPhysical(obj) >> PageGeometry.PageShift) & ~(c->Pages - 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Swab(ulong x) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong* FreePointerOf(SlabCache* c, byte* obj) => (ulong*)(obj - c->ObjectOffset + c->FreePointerOffset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Encode(SlabCache* c, ulong next, ulong* at) => next ^ c->Secret ^ Swab((ulong)at);
    /// <summary>The next free object's address stored at <paramref name="fp"/> (Encode undone).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Decode(SlabCache* c, ulong* fp) => *fp ^ c->Secret ^ Swab((ulong)fp);

    // ---- lists ------------------------------------------------------------------------------------

    internal static void AddHead(SlabCache* c, SlabList* list, uint pfn, PageDescriptor* d)
    {
        d->Prev = NoFrame;
        d->Next = list->Head;
        if (list->Head == NoFrame) list->Tail = pfn;
        else At(c, list->Head)->Prev = pfn;
        list->Head = pfn;
        list->Count++;
    }

    internal static void AddTail(SlabCache* c, SlabList* list, uint pfn, PageDescriptor* d)
    {
        d->Next = NoFrame;
        d->Prev = list->Tail;
        if (list->Tail == NoFrame) list->Head = pfn;
        else At(c, list->Tail)->Next = pfn;
        list->Tail = pfn;
        list->Count++;
    }

    internal static void Remove(SlabCache* c, SlabList* list, uint pfn, PageDescriptor* d)
    {
        if (d->Prev == NoFrame) list->Head = d->Next;
        else At(c, d->Prev)->Next = d->Next;
        if (d->Next == NoFrame) list->Tail = d->Prev;
        else At(c, d->Next)->Prev = d->Prev;
        d->Next = d->Prev = NoFrame;
        list->Count--;
    }

    internal static void InitList(SlabList* list)
    {
        list->Head = list->Tail = NoFrame;
        list->Count = 0;
    }

    // ---- growing and shrinking ----------------------------------------------------------------------

    /// <summary>A new slab, every object free and chained in address order, at the head of the
    /// partial list. Returns its head pfn, or NoFrame when the page source is out of memory.</summary>
    internal static uint Grow(SlabCache* c)
    {
        ulong phys = c->Allocator->Source.AllocatePages(c->Order);
        if (phys == 0)
        {
            c->AllocationFailures++;
            return NoFrame;
        }
        uint pfn = (uint)(phys >> PageGeometry.PageShift);
        for (uint i = 0; i < c->Pages; i++)
        {
            PageDescriptor* f = At(c, pfn + i);
            f->Flags = (f->Flags & ~FrameFlags.OwnerMask) | FrameFlags.SlabPage;
            f->Owner = (ulong)c;
            f->Next = f->Prev = NoFrame;
            f->Private = 0;
        }
        byte* b = Base(pfn);
        bool debug = c->IsDebug;
        ulong next = 0;
        for (int i = (int)c->ObjectsPerSlab - 1; i >= 0; i--)
        {
            byte* obj = b + (uint)i * c->Stride + c->ObjectOffset;
            if (c->Constructor != null)
                c->Constructor(obj);
            if (debug)
                SlabDebug.PrepareNewObject(c, obj);
            ulong* fp = FreePointerOf(c, obj);
            *fp = Encode(c, next, fp);
            next = (ulong)obj;
        }
        if (debug)
            SlabDebug.PaintSlabTail(c, b);
        PageDescriptor* d = At(c, pfn);
        SetState(d, 0, c->ObjectOffset);
        AddHead(c, &c->Partial, pfn, d);
        c->TotalSlabs++;
        c->EmptySlabs++;
        c->SlabsAllocated++;
        return pfn;
    }

    /// <summary>Gives an empty (or fenced-off) slab's pages back. It must be on no list.</summary>
    internal static void Release(SlabCache* c, uint pfn)
    {
        for (uint i = 0; i < c->Pages; i++)
        {
            PageDescriptor* f = At(c, pfn + i);
            f->Flags &= ~(FrameFlags.SlabPage | FrameFlags.SlabCorrupt);
            f->Owner = 0;
            f->Private = 0;
        }
        c->TotalSlabs--;
        c->SlabsFreed++;
        c->Allocator->Source.FreePages((ulong)pfn << PageGeometry.PageShift, c->Order);
    }

    /// <summary>Releases every empty slab beyond <paramref name="keep"/> (they sit at the partial tail).</summary>
    internal static void ShrinkEmpty(SlabCache* c, uint keep)
    {
        uint pfn = c->Partial.Tail;
        while (c->EmptySlabs > keep && pfn != NoFrame)
        {
            PageDescriptor* d = At(c, pfn);
            uint prev = d->Prev;
            if (InUse(d) == 0)
            {
                Remove(c, &c->Partial, pfn, d);
                c->EmptySlabs--;
                Release(c, pfn);
            }
            pfn = prev;
        }
    }

    // ---- objects out of and back into slabs -----------------------------------------------------------

    /// <summary>Pops the first free object of the slab at the partial head (growing the cache when
    /// there is none); moves the slab to the full list when it runs out. Null when out of memory.</summary>
    internal static byte* TakeOne(SlabCache* c)
    {
        uint pfn = c->Partial.Head;
        if (pfn == NoFrame)
        {
            pfn = Grow(c);
            if (pfn == NoFrame)
                return null;
        }
        PageDescriptor* d = At(c, pfn);
        uint inUse = InUse(d);
        if (inUse == 0)
            c->EmptySlabs--;
        byte* b = Base(pfn);
        byte* obj = b + FirstFree(d);
        ulong* fp = FreePointerOf(c, obj);
        ulong next = Decode(c, fp);
        uint nextOffset = NoFreeObject;
        if (next != 0)
        {
            ulong o = next - (ulong)b;
            if (o < c->SlabBytes && c->IsObjectStart(o))
                nextOffset = (uint)o;
            else
                FenceOff(c, d, obj, next);
        }
        SetState(d, inUse + 1, nextOffset);
        if (nextOffset == NoFreeObject)
        {
            Remove(c, &c->Partial, pfn, d);
            AddHead(c, &c->Full, pfn, d);
        }
        c->ObjectsOutOfSlabs++;
        return obj;
    }

    /// <summary>A free pointer that leads outside the slab or into the middle of an object: the
    /// rest of the free list cannot be trusted, so the slab hands out nothing more (its lost
    /// objects stay lost) and goes back to the page source once its objects in use come back.</summary>
    static void FenceOff(SlabCache* c, PageDescriptor* d, byte* obj, ulong decoded)
    {
        d->Flags |= FrameFlags.SlabCorrupt;
        SlabDebug.Report(c, SlabError.FreePointerCorrupt, obj, -1, 0, 0);
    }

    /// <summary>Puts a free object back on its slab's free list; an emptied slab goes to the partial
    /// tail, or back to the page source when the cache already keeps MinEmpty empty slabs.</summary>
    internal static void PutOne(SlabCache* c, byte* obj)
    {
        PutRun(c, HeadPfn(c, obj), &obj, 1);
    }

    /// <summary>Puts objects back on their slabs. Objects of one slab that come in a row (the
    /// usual case: a sheaf is filled from one slab at a time) are chained together and the slab's
    /// state and lists are updated once per run, as Linux's kfree_bulk does with a detached free
    /// list.</summary>
    internal static void Flush(SlabCache* c, void** objects, int count)
    {
        int i = 0;
        while (i < count)
        {
            uint pfn = HeadPfn(c, objects[i]);
            int run = 1;
            while (i + run < count && HeadPfn(c, objects[i + run]) == pfn)
                run++;
            PutRun(c, pfn, (byte**)objects + i, run);
            i += run;
        }
    }

    /// <summary>Chains <paramref name="n"/> free objects of the slab at <paramref name="pfn"/> in
    /// front of its free list (the first of them becomes the first free object), then moves the
    /// slab between lists: full -> partial, partial -> empty (kept at the partial tail, or
    /// released beyond MinEmpty).</summary>
    static void PutRun(SlabCache* c, uint pfn, byte** objects, int n)
    {
        PageDescriptor* d = At(c, pfn);
        byte* b = Base(pfn);
        uint first = FirstFree(d);
        ulong next = first == NoFreeObject ? 0 : (ulong)(b + first);
        for (int k = n - 1; k >= 0; k--)
        {
            ulong* fp = FreePointerOf(c, objects[k]);
            *fp = Encode(c, next, fp);
            next = (ulong)objects[k];
        }
        uint inUse = InUse(d) - (uint)n;
        SetState(d, inUse, (uint)(objects[0] - b));
        c->ObjectsOutOfSlabs -= (ulong)n;
        if (first == NoFreeObject)
        {
            Remove(c, &c->Full, pfn, d);
            if (inUse != 0)
            {
                AddHead(c, &c->Partial, pfn, d);
                return;
            }
        }
        else if (inUse != 0)
        {
            return;
        }
        else
        {
            Remove(c, &c->Partial, pfn, d);
        }
        // Empty now, on no list.
        if ((d->Flags & FrameFlags.SlabCorrupt) != 0 || c->EmptySlabs >= c->MinEmpty)
        {
            Release(c, pfn);
            return;
        }
        AddTail(c, &c->Partial, pfn, d);
        c->EmptySlabs++;
    }

    /// <summary>Fills <paramref name="objects"/> with up to <paramref name="want"/> free objects,
    /// as many as it can from each slab at the partial head before moving on (one descriptor
    /// update per slab, not per object).</summary>
    internal static int Refill(SlabCache* c, void** objects, int want)
    {
        int got = 0;
        while (got < want)
        {
            uint pfn = c->Partial.Head;
            if (pfn == NoFrame)
            {
                pfn = Grow(c);
                if (pfn == NoFrame)
                    break;
            }
            PageDescriptor* d = At(c, pfn);
            uint inUse = InUse(d);
            if (inUse == 0)
                c->EmptySlabs--;
            byte* b = Base(pfn);
            uint off = FirstFree(d);
            int before = got;
            while (got < want && off != NoFreeObject)
            {
                byte* obj = b + off;
                ulong* fp = FreePointerOf(c, obj);
                ulong next = Decode(c, fp);
                objects[got++] = obj;
                off = NoFreeObject;
                if (next != 0)
                {
                    ulong o = next - (ulong)b;
                    if (o < c->SlabBytes && c->IsObjectStart(o))
                        off = (uint)o;
                    else
                        FenceOff(c, d, obj, next);
                }
            }
            SetState(d, inUse + (uint)(got - before), off);
            c->ObjectsOutOfSlabs += (ulong)(got - before);
            if (off == NoFreeObject)
            {
                Remove(c, &c->Partial, pfn, d);
                AddHead(c, &c->Full, pfn, d);
            }
        }
        return got;
    }
}
