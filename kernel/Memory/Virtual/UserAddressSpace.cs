// Platform-neutral shared source (kernel and host tests).
// A process's address space until VMAs arrive: its own PML4 whose kernel half (slots 256..511)
// is copied from the kernel's (those PDPTs were all created at boot, so later kernel mappings
// show everywhere), and user pages in [Start, End) mapped eagerly, each with a frame of its
// own. Everything goes through the page-table API; Destroy gives back every user frame and
// every page-table page of the user half, then the PML4.
using Kernel.Arch.X64.Paging;

namespace Kernel.Memory.Virtual;

public unsafe struct UserAddressSpace
{
    public const ulong Start = 0x1000, End = 0x00007ffffffff000;
    const ulong PageBytes = 4096;

    public ulong Root;
    /// <summary>User pages mapped (each owns its frame).</summary>
    public ulong Pages;

    public bool IsCreated => Root != 0;

    public static PagingStatus Create(ulong kernelRoot, in FrameSource frames, out UserAddressSpace space)
    {
        space = default;
        PagingStatus status = PageTables.CreateRoot(kernelRoot, in frames, out ulong root);
        if (status == PagingStatus.Ok) space.Root = root;
        return status;
    }

    /// <summary>
    /// Makes sure the page at <paramref name="page"/> is mapped with at least
    /// <paramref name="flags"/> (User implied): a new zeroed frame, or, for a page another
    /// segment already mapped, the union of both permissions (writable if either is,
    /// executable if either is).
    /// </summary>
    public PagingStatus EnsurePage(ulong page, PageFlags flags, in FrameSource frames)
    {
        if ((page & (PageBytes - 1)) != 0) return PagingStatus.Unaligned;
        if (page < Start || page >= End) return PagingStatus.InvalidArgument;
        flags |= PageFlags.User | PageFlags.Present;
        if (PageTables.Translate(Root, page, out ulong _, out PageFlags old, out PageSize _) == PagingStatus.Ok)
        {
            PageFlags merged = (old | flags) & ~PageFlags.NoExecute;
            if ((old & PageFlags.NoExecute) != 0 && (flags & PageFlags.NoExecute) != 0) merged |= PageFlags.NoExecute;
            merged &= ~(PageFlags.Accessed | PageFlags.Dirty);
            return merged == (old & ~(PageFlags.Accessed | PageFlags.Dirty)) ? PagingStatus.Ok : PageTables.Protect(Root, page, PageBytes, merged, in frames);
        }
        if (frames.AllocateZeroedFrame == null) return PagingStatus.OutOfMemory;
        ulong frame = frames.AllocateZeroedFrame();
        if (frame == 0) return PagingStatus.OutOfMemory;
        PagingStatus status = PageTables.Map(Root, page, frame, PageSize.Size4K, flags, in frames);
        if (status != PagingStatus.Ok)
        {
            frames.FreeFrame(frame);
            return status;
        }
        Pages++;
        return PagingStatus.Ok;
    }

    /// <summary>Maps [start, end) (rounded out to pages) with <paramref name="flags"/>.</summary>
    public PagingStatus EnsureRange(ulong start, ulong end, PageFlags flags, in FrameSource frames)
    {
        for (ulong page = start & ~(PageBytes - 1); page < end; page += PageBytes)
        {
            PagingStatus status = EnsurePage(page, flags, in frames);
            if (status != PagingStatus.Ok) return status;
        }
        return PagingStatus.Ok;
    }

    /// <summary>Copies kernel bytes into mapped user pages through the direct map (no user
    /// access from ring 0, so SMAP does not apply). NotMapped if a page is missing.</summary>
    public PagingStatus Write(ulong address, byte* source, ulong length)
    {
        while (length > 0)
        {
            PagingStatus status = PageTables.Translate(Root, address, out ulong phys, out PageFlags _, out PageSize _);
            if (status != PagingStatus.Ok) return status;
            ulong chunk = PageBytes - (address & (PageBytes - 1));
            if (chunk > length) chunk = length;
            byte* destination = (byte*)PhysicalMap.ToVirtual(phys);
            for (ulong i = 0; i < chunk; i++) destination[i] = source[i];
            address += chunk;
            source += chunk;
            length -= chunk;
        }
        return PagingStatus.Ok;
    }

    static delegate*<ulong, void> s_freeFrame;
    static ulong s_freed;

    static void FreeLeaf(ulong virt, ulong phys, PageSize size)
    {
        s_freeFrame(phys);
        s_freed++;
    }

    /// <summary>Unmaps the whole user half, returning each frame and table page, then the PML4.
    /// The caller must not be running on this address space (CR3 elsewhere).</summary>
    public PagingStatus Destroy(in FrameSource frames)
    {
        if (Root == 0) return PagingStatus.Ok;
        s_freeFrame = frames.FreeFrame;
        s_freed = 0;
        PagingStatus status = PageTables.UnmapRange(Root, 0, 1UL << 47, in frames, &FreeLeaf, out ulong _);
        if (status != PagingStatus.Ok) return status;
        // The kernel half's entries are copies: clear them so the page goes back empty.
        ulong* pml4 = (ulong*)PhysicalMap.ToVirtual(Root);
        for (int i = 256; i < 512; i++) pml4[i] = 0;
        frames.FreeFrame(Root);
        Root = 0;
        Pages = 0;
        return PagingStatus.Ok;
    }
}
