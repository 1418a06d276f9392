// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
namespace Kernel.Boot.Multiboot2;

/// <summary>
/// Walks and validates a Multiboot2 boot information block and copies what the kernel needs
/// into a <see cref="BootInfo"/>. Reads nothing outside [info, info + min(total_size,
/// available)); every tag read is checked against the tag's own size first. Each step moves
/// at least 8 bytes forward, so the walk ends after at most total_size / 8 tags.
/// </summary>
public static unsafe class Multiboot2Parser
{
    /// <summary>
    /// Parses the block at <paramref name="info"/>. <paramref name="magic"/> is EAX at entry;
    /// <paramref name="available"/> is how many bytes from <paramref name="info"/> may be read.
    /// <paramref name="result"/> is cleared first, then filled as far as parsing got. Returns
    /// the first error (also stored in result->Error) and a one-line description of it.
    /// </summary>
    public static Multiboot2Error Parse(uint magic, byte* info, ulong available, BootInfo* result, out string message)
    {
        if (result == null)
        {
            message = "BootInfo destination pointer is null";
            return Multiboot2Error.NullPointer;
        }
        Clear(result);
        message = "";

        if (magic != Multiboot2Tag.BootloaderMagic)
            return Fail(result, Multiboot2Error.BadMagic, 0, 0, "boot magic is not 0x36d76289: not started by a Multiboot2 loader", ref message);
        if (info == null)
            return Fail(result, Multiboot2Error.NullPointer, 0, 0, "boot information pointer is null", ref message);
        if (((ulong)info & (Multiboot2Tag.Alignment - 1)) != 0)
            return Fail(result, Multiboot2Error.MisalignedBlock, 0, 0, "boot information block is not 8-byte aligned, so neither are its tags", ref message);
        if (available < Multiboot2Tag.InfoHeaderSize)
            return Fail(result, Multiboot2Error.TooSmall, 0, 0, "fewer than 8 readable bytes: no room for the block header", ref message);

        uint total = *(uint*)info;
        result->TotalSize = total;
        if (total < Multiboot2Tag.InfoHeaderSize + Multiboot2Tag.TagHeaderSize)
            return Fail(result, Multiboot2Error.TooSmall, 0, 0, "total_size is below 16: no room for a header and an end tag", ref message);
        if (total > available)
            return Fail(result, Multiboot2Error.TotalSizeTooLarge, 0, 0, "total_size is larger than the readable bytes", ref message);

        uint off = Multiboot2Tag.InfoHeaderSize;
        while (true)
        {
            // Invariant: off <= total and off is a multiple of 8.
            if (total - off < Multiboot2Tag.TagHeaderSize)
                return Fail(result, Multiboot2Error.NoEndTag, off, 0, "block ends without an end tag", ref message);

            byte* tag = info + off;
            uint type = *(uint*)tag;
            uint size = *(uint*)(tag + 4);
            if (size < Multiboot2Tag.TagHeaderSize)
                return Fail(result, Multiboot2Error.BadTagSize, off, type, "tag size is below 8 (a zero-size tag would never advance)", ref message);
            if (size > total - off)
                return Fail(result, Multiboot2Error.TagOverrun, off, type, "tag runs past total_size", ref message);

            bool duplicate = result->HasTag(type);
            result->TagCount++;
            if (type < 32)
                result->TagsSeen |= 1u << (int)type;

            if (type == Multiboot2Tag.End)
            {
                if (size != Multiboot2Tag.TagHeaderSize)
                    return Fail(result, Multiboot2Error.BadEndTag, off, type, "end tag size is not 8", ref message);
                result->SawEndTag = true;
                return result->Error;
            }

            string tagMessage;
            Multiboot2Error e = ParseTag(tag, type, size, duplicate, result, out tagMessage);
            if (e != Multiboot2Error.None)
            {
                result->TagErrorCount++;
                Fail(result, e, off, type, tagMessage, ref message);
            }

            ulong next = (ulong)off + (((ulong)size + 7) & ~7UL);
            if (next > total)
                return Fail(result, Multiboot2Error.NoEndTag, off, type, "last tag's padding runs past total_size: no end tag", ref message);
            off = (uint)next;
        }
    }

    /// <summary>Records the first error; later ones only count. Returns the first error.</summary>
    static Multiboot2Error Fail(BootInfo* r, Multiboot2Error e, uint offset, uint type, string text, ref string message)
    {
        if (r->Error == Multiboot2Error.None)
        {
            r->Error = e;
            r->ErrorOffset = offset;
            r->ErrorTagType = type;
            message = text;
        }
        return r->Error;
    }

    static void Clear(BootInfo* r)
    {
        byte* p = (byte*)r;
        int n = sizeof(BootInfo);
        for (int i = 0; i < n; i++)
            p[i] = 0;
    }

    static Multiboot2Error ParseTag(byte* tag, uint type, uint size, bool duplicate, BootInfo* r, out string message)
    {
        message = "";
        // Cases return when they handled the tag; "break" means a second copy of a tag that
        // may appear once: it is counted and skipped (the first copy wins).
        switch (type)
        {
            case Multiboot2Tag.CommandLine:
                if (duplicate) break;
                r->HasCommandLine = true;
                r->CommandLineLength = CopyString(tag + 8, size - 8, r->CommandLine, BootInfo.MaxCommandLine, out r->CommandLineTruncated);
                return Multiboot2Error.None;

            case Multiboot2Tag.BootloaderName:
                if (duplicate) break;
                r->HasBootloaderName = true;
                r->BootloaderNameLength = CopyString(tag + 8, size - 8, r->BootloaderName, BootInfo.MaxBootloaderName, out r->BootloaderNameTruncated);
                return Multiboot2Error.None;

            case Multiboot2Tag.Module:
                return ParseModule(tag, size, r, out message);

            case Multiboot2Tag.BasicMemInfo:
                if (duplicate) break;
                if (size < Multiboot2Tag.BasicMemInfoSize)
                {
                    message = "basic memory information tag shorter than 16 bytes";
                    return Multiboot2Error.BadTag;
                }
                r->HasBasicMemInfo = true;
                r->MemLowerKiB = *(uint*)(tag + 8);
                r->MemUpperKiB = *(uint*)(tag + 12);
                return Multiboot2Error.None;

            case Multiboot2Tag.MemoryMap:
                if (duplicate) break;
                return ParseMemoryMap(tag, size, r, out message);

            case Multiboot2Tag.Framebuffer:
                if (duplicate) break;
                return Multiboot2Framebuffer.Parse(tag, size, r, out message);

            case Multiboot2Tag.ElfSections:
                if (duplicate) break;
                return ParseElfSections(tag, size, r, out message);

            case Multiboot2Tag.AcpiOld:
            case Multiboot2Tag.AcpiNew:
                if (duplicate) break;
                // A valid new (v2) copy replaces an old one; an old one never replaces anything.
                if (r->HasRsdp && (type == Multiboot2Tag.AcpiOld || r->RsdpTag == Multiboot2Tag.AcpiNew))
                    return Multiboot2Error.None;
                if (!RsdpCopy.Validate(tag + 8, size - 8, type, r, out message))
                    return Multiboot2Error.BadRsdp;
                return Multiboot2Error.None;

            case Multiboot2Tag.LoadBaseAddress:
                if (duplicate) break;
                if (size < Multiboot2Tag.LoadBaseAddressSize)
                {
                    message = "load base address tag shorter than 12 bytes";
                    return Multiboot2Error.BadTag;
                }
                r->HasLoadBase = true;
                r->LoadBaseAddress = *(uint*)(tag + 8);
                return Multiboot2Error.None;

            case Multiboot2Tag.Efi32SystemTable:
                if (duplicate) break;
                if (size < Multiboot2Tag.Efi32SystemTableSize)
                {
                    message = "EFI 32-bit system table tag shorter than 12 bytes";
                    return Multiboot2Error.BadTag;
                }
                r->HasEfi32SystemTable = true;
                r->Efi32SystemTable = *(uint*)(tag + 8);
                return Multiboot2Error.None;

            case Multiboot2Tag.Efi64SystemTable:
                if (duplicate) break;
                if (size < Multiboot2Tag.Efi64SystemTableSize)
                {
                    message = "EFI 64-bit system table tag shorter than 16 bytes";
                    return Multiboot2Error.BadTag;
                }
                r->HasEfi64SystemTable = true;
                r->Efi64SystemTable = *(ulong*)(tag + 8);
                return Multiboot2Error.None;

            default:
                if (type > Multiboot2Tag.HighestKnown)
                    r->UnknownTagCount++;
                // Known types we do not need (boot device, VBE, APM, SMBIOS, network, EFI
                // memory map and handles) are only flagged in TagsSeen.
                return Multiboot2Error.None;
        }
        r->DuplicateTagCount++;
        return Multiboot2Error.None;
    }

    /// <summary>Copies a tag string (up to its NUL or n bytes) into dest[0..max], always
    /// NUL-terminated. Returns the copied length.</summary>
    static int CopyString(byte* src, uint n, byte* dest, int max, out bool truncated)
    {
        int len = 0;
        truncated = false;
        for (uint i = 0; i < n; i++)
        {
            byte b = src[i];
            if (b == 0)
                break;
            if (len == max)
            {
                truncated = true;
                break;
            }
            dest[len++] = b;
        }
        dest[len] = 0;
        return len;
    }

    static Multiboot2Error ParseModule(byte* tag, uint size, BootInfo* r, out string message)
    {
        message = "";
        if (size < Multiboot2Tag.ModuleFixedSize)
        {
            message = "module tag shorter than 16 bytes";
            return Multiboot2Error.BadModule;
        }
        uint start = *(uint*)(tag + 8);
        uint end = *(uint*)(tag + 12);
        if (end < start)
        {
            message = "module ends before it starts (mod_end < mod_start)";
            return Multiboot2Error.BadModule;
        }
        if (r->ModuleCount >= BootInfo.MaxModules)
        {
            r->ModulesDropped++;
            return Multiboot2Error.None;
        }
        int i = r->ModuleCount++;
        r->ModuleStart[i] = start;
        r->ModuleEnd[i] = end;
        bool cut;
        int n = CopyString(tag + 16, size - 16, r->ModuleStrings + i * (BootInfo.MaxModuleString + 1), BootInfo.MaxModuleString, out cut);
        r->ModuleStringLength[i] = (short)n;
        if (cut)
            r->ModuleStringTruncated = true;
        return Multiboot2Error.None;
    }

    static Multiboot2Error ParseMemoryMap(byte* tag, uint size, BootInfo* r, out string message)
    {
        message = "";
        if (size < Multiboot2Tag.MemoryMapFixedSize)
        {
            message = "memory map tag shorter than 16 bytes";
            return Multiboot2Error.BadMemoryMap;
        }
        uint entrySize = *(uint*)(tag + 8);
        uint version = *(uint*)(tag + 12);
        if (entrySize < Multiboot2Tag.MemoryMapEntryMinSize || (entrySize & 7) != 0 || entrySize > Multiboot2Tag.MemoryMapEntryMaxSize)
        {
            message = "memory map entry_size is below 24, above 4096 or not a multiple of 8";
            return Multiboot2Error.BadMemoryMap;
        }
        uint bytes = size - Multiboot2Tag.MemoryMapFixedSize;
        if (bytes % entrySize != 0)
        {
            message = "memory map tag does not hold a whole number of entries";
            return Multiboot2Error.BadMemoryMap;
        }
        // Later entry versions are promised to stay compatible with version 0's first 24
        // bytes, so any version is read that way and only recorded.
        uint count = bytes / entrySize;
        r->HasMemoryMap = true;
        r->MemoryMapEntrySize = entrySize;
        r->MemoryMapEntryVersion = version;
        r->MemoryMapEntriesInTag = (int)count;
        r->MemoryMapTruncated = count > BootInfo.MaxMemoryRegions;
        int keep = r->MemoryMapTruncated ? BootInfo.MaxMemoryRegions : (int)count;
        byte* e = tag + Multiboot2Tag.MemoryMapFixedSize;
        for (int i = 0; i < keep; i++, e += entrySize)
        {
            r->MemoryRegionBase[i] = *(ulong*)e;
            r->MemoryRegionLength[i] = *(ulong*)(e + 8);
            r->MemoryRegionType[i] = *(uint*)(e + 16);
        }
        r->MemoryRegionCount = keep;
        return Multiboot2Error.None;
    }

    static Multiboot2Error ParseElfSections(byte* tag, uint size, BootInfo* r, out string message)
    {
        message = "";
        if (size < Multiboot2Tag.ElfSectionsFixedSize)
        {
            message = "ELF sections tag shorter than 20 bytes";
            return Multiboot2Error.BadElfSections;
        }
        uint num = *(uint*)(tag + 8);
        uint entsize = *(uint*)(tag + 12);
        uint shndx = *(uint*)(tag + 16);
        if (entsize != Multiboot2Tag.Elf64SectionHeaderSize)
        {
            message = "ELF section entsize is not 64 (not an ELF64 kernel)";
            return Multiboot2Error.BadElfSections;
        }
        if ((ulong)num * entsize > size - Multiboot2Tag.ElfSectionsFixedSize)
        {
            message = "ELF section headers (num * entsize) run past the tag";
            return Multiboot2Error.BadElfSections;
        }
        if (num != 0 && shndx >= num)
        {
            message = "ELF section name table index (shndx) is not below num";
            return Multiboot2Error.BadElfSections;
        }
        r->HasElfSections = true;
        r->ElfSectionCountInTag = num;
        r->ElfSectionEntrySize = entsize;
        r->ElfStringTableIndex = shndx;
        r->ElfSectionsTruncated = num > BootInfo.MaxElfSections;
        int keep = r->ElfSectionsTruncated ? BootInfo.MaxElfSections : (int)num;
        int bytes = keep * Multiboot2Tag.Elf64SectionHeaderSize;
        byte* src = tag + Multiboot2Tag.ElfSectionsFixedSize;
        for (int i = 0; i < bytes; i++)
            r->ElfSectionData[i] = src[i];
        r->ElfSectionCount = keep;
        return Multiboot2Error.None;
    }
}
