// Byte-order reversal, which the JIT inside ILC recognises by this exact name and turns into one
// `bswap` (the slab allocator's hardened free pointers byte-swap an address on every refill and
// flush). The body is the portable fallback, used only if the name is not recognised.
using System.Runtime.CompilerServices;

namespace System.Buffers.Binary;

public static class BinaryPrimitives
{
    [Intrinsic]
    public static ulong ReverseEndianness(ulong value)
    {
        value = (value >> 32) | (value << 32);
        value = ((value & 0xFFFF0000FFFF0000) >> 16) | ((value & 0x0000FFFF0000FFFF) << 16);
        return ((value & 0xFF00FF00FF00FF00) >> 8) | ((value & 0x00FF00FF00FF00FF) << 8);
    }
}
