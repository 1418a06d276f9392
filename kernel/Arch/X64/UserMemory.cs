// copy_from_user / copy_to_user / strncpy_from_user. A user range must lie entirely below
// SyscallGate.UserLimit without wrapping (kernel and non-canonical addresses are refused before
// any access); inside it, an unmapped or protected page faults in boot/syscall.asm and the
// exception table turns the fault into -EFAULT. The kernel never faults on a user pointer.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Arch.X64.Paging;

namespace Kernel.Arch.X64;

public static unsafe class UserMemory
{
    public const long EFAULT = -14;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "copy_user_bytes")]
    static extern long CopyBytes(void* destination, void* source, ulong count);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "strncpy_user")]
    static extern long StrncpyUser(byte* destination, byte* source, ulong max);

    /// <summary>Linux's access_ok: [address, address + length) is inside the user half.</summary>
    public static bool RangeOk(ulong address, ulong length) =>
        length <= SyscallGate.UserLimit && address <= SyscallGate.UserLimit - length;

    public static long CopyFrom(void* kernelDestination, ulong userSource, ulong length)
    {
        if (!RangeOk(userSource, length)) return EFAULT;
        if (length == 0) return 0;
        return CopyBytes(kernelDestination, (void*)userSource, length);
    }

    public static long CopyTo(ulong userDestination, void* kernelSource, ulong length)
    {
        if (!RangeOk(userDestination, length)) return EFAULT;
        if (length == 0) return 0;
        return CopyBytes((void*)userDestination, kernelSource, length);
    }

    /// <summary>Copies a NUL-terminated string of at most max - 1 bytes: its length, -EFAULT, or
    /// max when no NUL came in max bytes (the caller turns that into -ENAMETOOLONG / -E2BIG).</summary>
    public static long StringFrom(byte* kernelDestination, ulong userSource, ulong max)
    {
        if (userSource >= SyscallGate.UserLimit) return EFAULT;
        ulong room = SyscallGate.UserLimit - userSource;
        long n = StrncpyUser(kernelDestination, (byte*)userSource, max < room ? max : room);
        if (n >= 0 && (ulong)n == room && room < max) return EFAULT; // ran into the user limit
        return n;
    }

    /// <summary>
    /// Checks, before a blocking operation, that every page of the range is mapped for user
    /// access (and writable when <paramref name="write"/>), as Linux faults a whole buffer in
    /// before it sleeps: -EFAULT at once instead of after the wait.
    /// </summary>
    public static long CheckAccessible(ulong root, ulong address, ulong length, bool write)
    {
        if (!RangeOk(address, length)) return EFAULT;
        if (length == 0) return 0;
        for (ulong page = address & ~4095UL; page < address + length; page += 4096)
        {
            if (PageTables.Translate(root, page, out ulong _, out PageFlags flags, out PageSize _) != PagingStatus.Ok) return EFAULT;
            if ((flags & PageFlags.User) == 0 || (write && (flags & PageFlags.Writable) == 0)) return EFAULT;
        }
        return 0;
    }
}
