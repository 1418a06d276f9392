// Frames that back user pages, with a map count in their page descriptor (owner bit UserPage,
// the count in Private: Linux's _mapcount/_refcount in one word). A fresh frame is mapped
// once; fork shares it (Get), each unmap drops one mapping (Put) and the last one frees it, so
// a frame shared copy-on-write is freed exactly once. The shared zero page is one frame for
// everybody, never counted and never freed.
using Kernel.Boot.Memory;
using Kernel.Memory;
using Kernel.Memory.Physical;

namespace Kernel.Tasks.Vm;

public static unsafe class UserFrames
{
    static ulong s_zeroPage;
    static ulong s_live;

    /// <summary>The shared zero frame (allocated at first use, kept for ever).</summary>
    public static ulong ZeroPage
    {
        get
        {
            if (s_zeroPage == 0) s_zeroPage = PhysicalPages.AllocateZeroed();
            return s_zeroPage;
        }
    }

    /// <summary>User frames in use (each counted once however many mappings it has).</summary>
    public static ulong Live => s_live;

    static PageDescriptor* Descriptor(ulong frame) => PhysicalPages.Buddy->Descriptor(frame >> 12);

    /// <summary>A zeroed frame mapped once, or 0 when memory is out.</summary>
    public static ulong AllocateZeroed()
    {
        ulong frame = PhysicalPages.AllocateZeroed();
        return frame == 0 ? 0 : MappedOnce(frame);
    }

    /// <summary>A new frame holding a copy of <paramref name="source"/>'s bytes, or 0.</summary>
    public static ulong AllocateCopy(ulong source)
    {
        ulong frame = PhysicalPages.Allocate();
        if (frame == 0) return 0;
        Runtime.Bytes.Copy(PhysicalMap.ToVirtual(frame), PhysicalMap.ToVirtual(source), 4096);
        return MappedOnce(frame);
    }

    /// <summary>Marks a new frame as a user page with one mapping.</summary>
    static ulong MappedOnce(ulong frame)
    {
        PageDescriptor* d = Descriptor(frame);
        d->Flags |= FrameFlags.UserPage;
        d->Private = 1;
        s_live++;
        return frame;
    }

    /// <summary>One more mapping of <paramref name="frame"/> (fork).</summary>
    public static void Get(ulong frame)
    {
        if (frame == s_zeroPage) return;
        Descriptor(frame)->Private++;
    }

    /// <summary>One mapping fewer; the last one frees the frame.</summary>
    public static void Put(ulong frame)
    {
        if (frame == s_zeroPage) return;
        PageDescriptor* d = Descriptor(frame);
        if ((d->Flags & FrameFlags.UserPage) == 0 || d->Private == 0)
        {
            Diagnostics.Log.Error($"user frames: put of frame {frame:x} that is not a mapped user frame");
            return;
        }
        if (--d->Private != 0) return;
        d->Flags &= ~FrameFlags.UserPage;
        s_live--;
        PhysicalPages.Free(frame);
    }

    /// <summary>Mapped exactly once (a write may take it over instead of copying it).</summary>
    public static bool IsExclusive(ulong frame) => frame != s_zeroPage && Descriptor(frame)->Private == 1;

    public static uint MapCount(ulong frame) => frame == s_zeroPage ? 0 : Descriptor(frame)->Private;
}
