// Byte copy and fill used by the runtime and the kernel. Plain loops: the compiler keeps them
// small and they never allocate, so the panic path can use them too.
namespace Kernel.Runtime;

public static unsafe class Bytes
{
    public static void Zero(void* dst, ulong n) => Fill(dst, 0, n);

    public static void Fill(void* dst, byte value, ulong n)
    {
        byte* d = (byte*)dst;
        ulong pattern = value * 0x0101010101010101UL;
        while (n >= 8 && ((ulong)d & 7) == 0) { *(ulong*)d = pattern; d += 8; n -= 8; }
        while (n-- > 0) *d++ = value;
    }

    public static void Copy(void* dst, void* src, ulong n)
    {
        byte* d = (byte*)dst;
        byte* s = (byte*)src;
        if (d == s || n == 0) return;
        if (d < s || d >= s + n)
        {
            while (n >= 8) { *(ulong*)d = *(ulong*)s; d += 8; s += 8; n -= 8; }
            while (n-- > 0) *d++ = *s++;
        }
        else
        {
            d += n; s += n;
            while (n >= 8) { d -= 8; s -= 8; n -= 8; *(ulong*)d = *(ulong*)s; }
            while (n-- > 0) *--d = *--s;
        }
    }

    public static int Compare(void* a, void* b, ulong n)
    {
        byte* x = (byte*)a, y = (byte*)b;
        for (ulong i = 0; i < n; i++)
            if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
        return 0;
    }
}
