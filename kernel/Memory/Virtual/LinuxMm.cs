// Platform-neutral shared source (kernel and host tests).
// The numbers user programs pass to mmap, mprotect, mremap and madvise: Linux x86-64's ABI values
// (include/uapi/asm-generic/mman*.h), so the syscall layer forwards them unchanged. The errno
// values those calls return are Kernel.Syscalls.Errno (kernel/Syscalls/Errno.cs), shared with
// the syscall layer so there is one definition.
namespace Kernel.Memory.Virtual;

public static class Prot
{
    public const int None = 0x0;
    public const int Read = 0x1;
    public const int Write = 0x2;
    public const int Exec = 0x4;
    public const int Sem = 0x8;
    public const int GrowsDown = 0x01000000;
    public const int GrowsUp = 0x02000000;
    public const int Access = Read | Write | Exec;
}

public static class MapFlags
{
    public const int Shared = 0x01;
    public const int Private = 0x02;
    public const int SharedValidate = 0x03;
    public const int TypeMask = 0x0f;
    public const int Fixed = 0x10;
    public const int Anonymous = 0x20;
    public const int GrowsDown = 0x100;
    public const int DenyWrite = 0x800;
    public const int Executable = 0x1000;
    public const int Locked = 0x2000;
    public const int NoReserve = 0x4000;
    public const int Populate = 0x8000;
    public const int NonBlock = 0x10000;
    public const int Stack = 0x20000;
    public const int HugeTlb = 0x40000;
    public const int Sync = 0x80000;
    public const int FixedNoReplace = 0x100000;

    /// <summary>Flags MAP_SHARED_VALIDATE accepts (anything else: EOPNOTSUPP, as Linux's
    /// LEGACY_MAP_MASK plus the validated flags we implement).</summary>
    public const int KnownMask = TypeMask | Fixed | Anonymous | GrowsDown | DenyWrite | Executable
        | Locked | NoReserve | Populate | NonBlock | Stack | HugeTlb | FixedNoReplace;
}

public static class RemapFlags
{
    public const int MayMove = 1;
    public const int Fixed = 2;
    public const int DontUnmap = 4;
}

public static class Advice
{
    public const int Normal = 0;
    public const int Random = 1;
    public const int Sequential = 2;
    public const int WillNeed = 3;
    public const int DontNeed = 4;
    public const int Free = 8;
}
