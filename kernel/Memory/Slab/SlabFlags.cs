// Platform-neutral shared source (kernel and host tests).
// Cache flags, and the parser of the `slab_debug=` command-line value (Linux letters).
namespace Kernel.Memory.Slab;

[System.Flags]
public enum SlabFlags : uint
{
    None = 0,
    /// <summary>F: check every free (object start, owning cache, double free) and every free pointer.</summary>
    ConsistencyChecks = 1 << 0,
    /// <summary>Z: red zones left and right of each object (0xbb while free, 0xcc while in use).</summary>
    RedZone = 1 << 1,
    /// <summary>P: poison free objects (0x6b, last byte 0xa5) and padding (0x5a); checked on allocation.</summary>
    Poison = 1 << 2,
    /// <summary>U: remember who allocated and who freed each object (return addresses).</summary>
    StoreUser = 1 << 3,
    /// <summary>Every debug option: such a cache bypasses the per-CPU sheaves.</summary>
    DebugMask = ConsistencyChecks | RedZone | Poison | StoreUser,

    /// <summary>Align objects to a cache line (64 bytes).</summary>
    HwCacheAlign = 1 << 8,
    /// <summary>A kmalloc size class: with red zones the requested size is kept and checked.</summary>
    Kmalloc = 1 << 9,
}

public static unsafe class SlabDebugOption
{
    /// <summary>
    /// Parses a `slab_debug` value the Linux way: no value (or an empty one) turns on F, Z, P
    /// and U; otherwise each letter turns on its option (case-insensitive), '-' means none. Text
    /// after a ',' (Linux: a cache list) is ignored: the options apply to every cache.
    /// Returns false (and the letters it understood) when an unknown letter appears.
    /// </summary>
    public static bool Parse(byte* text, int length, out SlabFlags flags)
    {
        flags = SlabFlags.None;
        if (text == null || length == 0)
        {
            flags = SlabFlags.DebugMask;
            return true;
        }
        bool ok = true;
        for (int i = 0; i < length; i++)
        {
            byte c = text[i];
            if (c == (byte)',')
                break;
            if (c >= (byte)'a' && c <= (byte)'z')
                c = (byte)(c - 32);
            switch (c)
            {
                case (byte)'F': flags |= SlabFlags.ConsistencyChecks; break;
                case (byte)'Z': flags |= SlabFlags.RedZone; break;
                case (byte)'P': flags |= SlabFlags.Poison; break;
                case (byte)'U': flags |= SlabFlags.StoreUser; break;
                case (byte)'-': flags = SlabFlags.None; break;
                default: ok = false; break;
            }
        }
        return ok;
    }

    /// <summary>The flags as Linux letters ("FZPU", "-" for none) into buffer (at least 4 bytes).</summary>
    public static int Letters(SlabFlags flags, byte* buffer)
    {
        int n = 0;
        if ((flags & SlabFlags.ConsistencyChecks) != 0) buffer[n++] = (byte)'F';
        if ((flags & SlabFlags.RedZone) != 0) buffer[n++] = (byte)'Z';
        if ((flags & SlabFlags.Poison) != 0) buffer[n++] = (byte)'P';
        if ((flags & SlabFlags.StoreUser) != 0) buffer[n++] = (byte)'U';
        if (n == 0) buffer[n++] = (byte)'-';
        return n;
    }
}
