using System;
using System.Runtime.InteropServices;

namespace Kernel.Tests.Support;

/// <summary>Zeroed, 8-byte aligned native memory that never moves (stands in for kernel
/// memory: a BootInfo, a CommandLine, an info block).</summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    public byte* Pointer { get; private set; }
    public int Length { get; }

    public NativeBuffer(int length)
    {
        Length = length;
        Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), 16);
        NativeMemory.Clear(Pointer, (nuint)Math.Max(length, 1));
    }

    public static NativeBuffer From(byte[] data, int extra = 0)
    {
        var b = new NativeBuffer(data.Length + extra);
        data.AsSpan().CopyTo(new Span<byte>(b.Pointer, data.Length));
        return b;
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

/// <summary>
/// Readable memory followed by an inaccessible guard page (Linux mmap/mprotect). Data placed
/// with <see cref="PlaceAtEnd"/> ends exactly at the guard, so a read one byte past what the
/// code may read faults and kills the test host: an out-of-bounds read cannot go unnoticed.
/// </summary>
public sealed unsafe class GuardedBuffer : IDisposable
{
    const int ProtNone = 0, ProtRead = 1, ProtWrite = 2;
    const int MapPrivate = 0x02, MapAnonymous = 0x20;

    [DllImport("libc", SetLastError = true)]
    static extern IntPtr mmap(IntPtr addr, nuint length, int prot, int flags, int fd, nint offset);
    [DllImport("libc", SetLastError = true)]
    static extern int mprotect(IntPtr addr, nuint length, int prot);
    [DllImport("libc", SetLastError = true)]
    static extern int munmap(IntPtr addr, nuint length);

    readonly IntPtr _base;
    readonly nuint _total;
    public int Capacity { get; }
    byte* _guard;

    public GuardedBuffer(int capacity)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("guard pages use Linux mmap/mprotect");
        const int page = 4096;
        int pages = (capacity + page - 1) / page;
        Capacity = pages * page;
        _total = (nuint)((pages + 1) * page);
        _base = mmap(IntPtr.Zero, _total, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (_base == new IntPtr(-1))
            throw new InvalidOperationException("mmap failed: errno " + Marshal.GetLastPInvokeError());
        _guard = (byte*)_base + Capacity;
        if (mprotect((IntPtr)_guard, page, ProtNone) != 0)
            throw new InvalidOperationException("mprotect failed: errno " + Marshal.GetLastPInvokeError());
    }

    /// <summary>Copies the first <paramref name="readable"/> bytes of <paramref name="data"/>
    /// (zero-filled beyond its end) so that they end at the guard page. <paramref name="readable"/>
    /// must be a multiple of 8 so the returned pointer stays 8-byte aligned.</summary>
    public byte* PlaceAtEnd(ReadOnlySpan<byte> data, int readable)
    {
        if (readable < 0 || readable > Capacity || (readable & 7) != 0)
            throw new ArgumentOutOfRangeException(nameof(readable));
        byte* dst = _guard - readable;
        var span = new Span<byte>(dst, readable);
        span.Clear();
        data.Slice(0, Math.Min(data.Length, readable)).CopyTo(span);
        return dst;
    }

    public void Dispose()
    {
        munmap(_base, _total);
    }
}
