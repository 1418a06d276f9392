// Platform-neutral shared source (kernel and host tests).
// /proc/slabinfo-style text, one line per cache, for the boot log, the shell's `slabinfo` and
// /proc. Columns: name, active objects (handed out), total objects (in slabs), object size
// (what the creator asked for), slot size (with debug metadata and alignment), objects per
// slab, pages per slab, slabs, memory used (KiB of pages), debug letters.
using Kernel.Diagnostics;

namespace Kernel.Memory.Slab;

public static unsafe class SlabInfoText
{
    /// <summary>The shell's and /proc's entry point: slabinfo of the kernel's allocator
    /// (<see cref="Kmem.Current"/>); one line saying so when slab is not up yet.</summary>
    public static void Write(ref TextBuilder t)
    {
        if (Kmem.Current == null || !Kmem.Current->IsInitialized)
        {
            t.Append("slabinfo: slab allocator not initialised\n");
            return;
        }
        Write(ref t, Kmem.Current);
    }

    public static void Write(ref TextBuilder t, SlabAllocator* a)
    {
        t.Append("# name                active    total  objsize  slotsz obj/slab pg/slab   slabs      KiB debug\n");
        ulong totalBytes = 0;
        byte* letters = stackalloc byte[4];
        for (SlabCache* c = a->FirstCache; c != null; c = c->NextCache)
        {
            t.AppendPaddedBytes(c->NameBytes, c->NameLength, 20, true);
            t.AppendDecimal(c->ActiveObjects, 7, ' ');
            t.AppendDecimal(c->TotalObjects, 9, ' ');
            t.AppendDecimal((ulong)c->ObjectSize, 9, ' ');
            t.AppendDecimal((ulong)c->Stride, 8, ' ');
            t.AppendDecimal((ulong)c->ObjectsPerSlab, 9, ' ');
            t.AppendDecimal((ulong)c->Pages, 8, ' ');
            t.AppendDecimal((ulong)c->TotalSlabs, 8, ' ');
            t.AppendDecimal(c->BytesUsed / 1024, 9, ' ');
            t.Append(' ');
            t.AppendBytes(letters, SlabDebugOption.Letters(c->Flags, letters));
            t.Append('\n');
            totalBytes += c->BytesUsed;
        }
        t.Append("# slabs ");
        t.AppendDecimal(totalBytes / 1024);
        t.Append(" KiB, large kmalloc ");
        t.AppendDecimal(a->LargeBlocks);
        t.Append(" blocks ");
        t.AppendDecimal(a->LargePages * 4);
        t.Append(" KiB, reports ");
        t.AppendDecimal(a->Reports);
        t.Append('\n');
    }
}
