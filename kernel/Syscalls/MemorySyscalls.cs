// brk, mmap, munmap, mprotect, mremap, madvise: the arguments go unchanged to the process's
// VmSpace, which answers with Linux's values and errno; the page work happens through UserPages.
// File mappings are private copies of initrd files (pages copied at fault time).
using Kernel.Fs;
using Kernel.Memory.Virtual;
using Kernel.Tasks;
using Kernel.Tasks.Vm;

namespace Kernel.Syscalls;

public static unsafe class MemorySyscalls
{
    public static long Brk(ulong address)
    {
        Process* p = Scheduler.Current;
        return (long)p->Vm.SetBrk(address);
    }

    public static long Mmap(ulong address, ulong length, ulong prot, ulong flags, int fd, ulong offset)
    {
        Process* p = Scheduler.Current;
        if ((offset & 4095) != 0) return -Errno.EINVAL; // sys_mmap checks the offset before the descriptor
        int f = (int)flags;
        VmFile file = default;
        VmFile* filePointer = null;
        if ((f & MapFlags.Anonymous) == 0)
        {
            FileTable* files = &p->Files;
            FileKind kind = files->Kind(fd);
            if (kind == FileKind.None) return -Errno.EBADF;
            if (kind != FileKind.File) return -Errno.ENODEV;
            int entry = files->Entry(fd);
            InitrdIndex.Entry* e = Initrd.Index->Get(entry);
            file.Handle = (ulong)entry + 1;
            file.Inode = e->Inode;
            file.Device = 0x00100000 | 1; // like a tmpfs device (0:x)
            file.Readable = true;
            file.Writable = false;
            filePointer = &file;
        }
        long result = p->Vm.Mmap(address, length, (int)prot & Prot.Access, f, filePointer, offset);
        if (result < 0) return result;
        ulong start = (ulong)result;
        bool sharedAnonymous = (f & MapFlags.Anonymous) != 0 && (f & MapFlags.TypeMask) != MapFlags.Private;
        // Shared anonymous memory is populated at once: its frames are its object, so a fork
        // shares every page of it (there is no shmem object to look pages up in later).
        if ((f & MapFlags.Populate) != 0 || sharedAnonymous)
        {
            FaultResult r = UserPages.Populate(p, start, start + ((length + 4095) & ~4095UL));
            if (r == FaultResult.OutOfMemory && sharedAnonymous)
            {
                p->Vm.Munmap(start, length);
                return -Errno.ENOMEM;
            }
        }
        return result;
    }

    public static long Munmap(ulong address, ulong length) => Scheduler.Current->Vm.Munmap(address, length);

    public static long Mprotect(ulong address, ulong length, ulong prot)
    {
        if (prot > uint.MaxValue) return -Errno.EINVAL; // unknown bits, whatever VmSpace would say
        return Scheduler.Current->Vm.Mprotect(address, length, (int)prot);
    }

    public static long Mremap(ulong oldAddress, ulong oldLength, ulong newLength, ulong flags, ulong newAddress) =>
        Scheduler.Current->Vm.Mremap(oldAddress, oldLength, newLength, (int)flags, newAddress);

    public static long Madvise(ulong address, ulong length, ulong advice) =>
        Scheduler.Current->Vm.Madvise(address, length, (int)advice);
}
