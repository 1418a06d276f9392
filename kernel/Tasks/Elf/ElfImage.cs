// Platform-neutral shared source (kernel and host tests).
// Validation of a static ELF64 x86-64 executable (ET_EXEC, or ET_DYN without an interpreter:
// static PIE, loaded at DynamicBase). Every header field is checked against the file before
// it is trusted; the result is the list of PT_LOAD segments to map, the entry point, the
// program headers' address for AT_PHDR and the stack's executability (PT_GNU_STACK).
// Errors follow Linux: -ENOEXEC for "not something this loader runs", -EINVAL for a
// malformed image; Message says which rule failed.
using Kernel.Syscalls;

namespace Kernel.Tasks.Elf;

public unsafe struct ElfSegment
{
    public ulong VirtualAddress, MemorySize, FileOffset, FileSize;
    public uint Flags; // PF_X 1, PF_W 2, PF_R 4
}

public unsafe struct ElfImage
{
    public const int MaxSegments = 16, MaxProgramHeaders = 64;
    public const ushort TypeExecutable = 2, TypeShared = 3, MachineX8664 = 62;
    public const uint PtLoad = 1, PtInterp = 3, PtPhdr = 6, PtGnuStack = 0x6474e551;
    public const uint FlagExecute = 1, FlagWrite = 2, FlagRead = 4;
    public const ulong HeaderSize = 64, ProgramHeaderSize = 56;
    /// <summary>The lowest address a segment may use (page 0 stays unmapped) and the end of the user half.</summary>
    public const ulong LowestAddress = 0x1000, UserLimit = 0x00007ffffffff000;
    /// <summary>Where a static PIE's address 0 goes (Linux puts ET_DYN at 2/3 of the address space).</summary>
    public const ulong DynamicBase = 0x0000555555554000;

    public ulong Entry;
    public ulong ProgramHeaderAddress;  // AT_PHDR (0 when no segment holds the headers)
    public ushort ProgramHeaderCount;
    public ulong LoadBias;
    public bool ExecutableStack;
    public int SegmentCount;
    fixed byte _segments[MaxSegments * 40];
    public string Message;

    public ElfSegment* Segment(int i)
    {
        fixed (byte* s = _segments) return (ElfSegment*)s + i;
    }

    int Fail(int error, string message)
    {
        Message = message;
        return error;
    }

    static ushort U16(byte* p) => (ushort)(p[0] | p[1] << 8);
    static uint U32(byte* p) => (uint)(p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24);
    static ulong U64(byte* p) => U32(p) | (ulong)U32(p + 4) << 32;

    /// <summary>Checks <paramref name="file"/> (<paramref name="size"/> bytes); 0 or a negative errno.</summary>
    public int Parse(byte* file, ulong size)
    {
        this = default;
        Message = "ok";
        if (file == null || size < 4) return Fail(-Errno.ENOEXEC, "file too short to be an ELF executable");
        if (file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') return Fail(-Errno.ENOEXEC, "not an ELF file (bad magic)");
        if (size < HeaderSize) return Fail(-Errno.ENOEXEC, "truncated ELF header");
        if (file[4] != 2) return Fail(-Errno.ENOEXEC, "not a 64-bit ELF file (EI_CLASS)");
        if (file[5] != 1) return Fail(-Errno.ENOEXEC, "not a little-endian ELF file (EI_DATA)");
        if (file[6] != 1) return Fail(-Errno.ENOEXEC, "unknown ELF identification version (EI_VERSION)");
        if (file[7] != 0 && file[7] != 3) return Fail(-Errno.ENOEXEC, "OS ABI is neither System V nor Linux (EI_OSABI)");
        ushort type = U16(file + 16);
        if (type != TypeExecutable && type != TypeShared) return Fail(-Errno.ENOEXEC, "not an executable (e_type is neither ET_EXEC nor ET_DYN)");
        if (U16(file + 18) != MachineX8664) return Fail(-Errno.ENOEXEC, "not an x86-64 program (e_machine)");
        if (U32(file + 20) != 1) return Fail(-Errno.ENOEXEC, "unknown ELF version (e_version)");
        ulong entry = U64(file + 24);
        ulong phoff = U64(file + 32);
        if (U16(file + 52) != HeaderSize) return Fail(-Errno.ENOEXEC, "bad ELF header size (e_ehsize)");
        if (U16(file + 54) != ProgramHeaderSize) return Fail(-Errno.ENOEXEC, "bad program header size (e_phentsize)");
        ushort phnum = U16(file + 56);
        if (phnum == 0) return Fail(-Errno.ENOEXEC, "no program headers (e_phnum is 0)");
        if (phnum > MaxProgramHeaders) return Fail(-Errno.ENOEXEC, "too many program headers (e_phnum over 64)");
        ulong tableSize = phnum * ProgramHeaderSize;
        if (phoff > size || size - phoff < tableSize) return Fail(-Errno.ENOEXEC, "program headers beyond the end of the file");
        if ((phoff & 7) != 0) return Fail(-Errno.EINVAL, "program headers misaligned (e_phoff)");

        LoadBias = type == TypeShared ? DynamicBase : 0;
        ProgramHeaderCount = phnum;
        ulong phdrVirtual = 0;
        bool hasPhdr = false;
        ulong previousEnd = 0;
        for (int i = 0; i < phnum; i++)
        {
            byte* ph = file + phoff + (ulong)i * ProgramHeaderSize;
            uint pType = U32(ph), pFlags = U32(ph + 4);
            ulong offset = U64(ph + 8), vaddr = U64(ph + 16), fileSize = U64(ph + 32), memSize = U64(ph + 40), align = U64(ph + 48);
            if (pType == PtInterp) return Fail(-Errno.ENOEXEC, "dynamically linked (PT_INTERP): only static programs run here");
            if (pType == PtGnuStack) { ExecutableStack = (pFlags & FlagExecute) != 0; continue; }
            if (pType == PtPhdr) { phdrVirtual = vaddr; hasPhdr = true; continue; }
            if (pType != PtLoad || memSize == 0) continue;
            if (fileSize > memSize) return Fail(-Errno.EINVAL, "PT_LOAD with p_filesz larger than p_memsz");
            if (offset > size || size - offset < fileSize) return Fail(-Errno.EINVAL, "PT_LOAD data beyond the end of the file");
            if (align > 1 && (align & (align - 1)) != 0) return Fail(-Errno.EINVAL, "PT_LOAD alignment is not a power of two");
            if ((vaddr & 0xfff) != (offset & 0xfff)) return Fail(-Errno.EINVAL, "PT_LOAD address and file offset differ modulo the page size");
            if (vaddr > UserLimit - LoadBias) return Fail(-Errno.EINVAL, "PT_LOAD outside the user address space");
            ulong start = vaddr + LoadBias;
            if (start < LowestAddress || memSize > UserLimit - start) return Fail(-Errno.EINVAL, "PT_LOAD outside the user address space");
            if (start < previousEnd) return Fail(-Errno.EINVAL, "PT_LOAD segments overlap or are not in ascending order");
            if (SegmentCount == MaxSegments) return Fail(-Errno.ENOEXEC, "too many PT_LOAD segments");
            previousEnd = start + memSize;
            ElfSegment* s = Segment(SegmentCount++);
            s->VirtualAddress = start;
            s->MemorySize = memSize;
            s->FileOffset = offset;
            s->FileSize = fileSize;
            s->Flags = pFlags;
            if (!hasPhdr && offset <= phoff && phoff - offset < fileSize && fileSize - (phoff - offset) >= tableSize)
                phdrVirtual = vaddr + (phoff - offset);
        }
        if (SegmentCount == 0) return Fail(-Errno.ENOEXEC, "no PT_LOAD segment: nothing to run");
        if (phdrVirtual != 0) ProgramHeaderAddress = phdrVirtual + LoadBias;
        Entry = entry + LoadBias;
        if (entry > UserLimit - LoadBias || !InExecutableSegment(Entry)) return Fail(-Errno.ENOEXEC, "entry point is not inside an executable PT_LOAD segment");
        return 0;
    }

    bool InExecutableSegment(ulong address)
    {
        for (int i = 0; i < SegmentCount; i++)
        {
            ElfSegment* s = Segment(i);
            if ((s->Flags & FlagExecute) != 0 && address >= s->VirtualAddress && address - s->VirtualAddress < s->MemorySize) return true;
        }
        return false;
    }
}
