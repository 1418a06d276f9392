// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
namespace Kernel.Boot.Multiboot2;

/// <summary>One memory map entry (tag 6), as the loader reported it.</summary>
public struct MemoryRegion
{
    public ulong Base;
    public ulong Length;
    public uint Type; // Multiboot2MemoryType
}

/// <summary>An Elf64_Shdr as copied from tag 9.</summary>
public struct ElfSectionHeader
{
    public uint Name;
    public uint Type;
    public ulong Flags;
    public ulong Address;
    public ulong Offset;
    public ulong Size;
    public uint Link;
    public uint Info;
    public ulong AddressAlign;
    public ulong EntrySize;
}

/// <summary>
/// Everything the kernel keeps from the Multiboot2 information block, copied out (GRUB may
/// place the block in memory we reuse). Filled by <see cref="Multiboot2Parser.Parse"/>; about
/// 11 KiB, so keep it in a static or behind a pointer, not in a stack frame. Strings are
/// NUL-terminated copies with a separate length. Pointers the getters return point into this
/// struct: it must not move while they are used.
/// </summary>
public unsafe struct BootInfo
{
    public const int MaxCommandLine = 1024;
    public const int MaxBootloaderName = 64;
    public const int MaxMemoryRegions = 128;
    public const int MaxModules = 16;
    public const int MaxModuleString = 128;
    public const int MaxElfSections = 64;
    public const int MaxRsdpBytes = 36;

    // ---- Outcome of the walk --------------------------------------------------------
    /// <summary>First error met (also the return value of Parse).</summary>
    public Multiboot2Error Error;
    /// <summary>Offset in the block of the tag (or header) where <see cref="Error"/> was found.</summary>
    public uint ErrorOffset;
    /// <summary>Type of the tag where <see cref="Error"/> was found (0 for header errors).</summary>
    public uint ErrorTagType;
    /// <summary>Number of tag errors (tags dropped); structural errors stop the walk instead.</summary>
    public int TagErrorCount;
    /// <summary>The block's total_size field (0 if it could not be read).</summary>
    public uint TotalSize;
    /// <summary>Tags walked, the end tag included.</summary>
    public int TagCount;
    /// <summary>Tags of a type above <see cref="Multiboot2Tag.HighestKnown"/>: skipped.</summary>
    public int UnknownTagCount;
    /// <summary>Second and later copies of single-instance tags (the first one is kept).</summary>
    public int DuplicateTagCount;
    /// <summary>True when a well-formed end tag closed the walk.</summary>
    public bool SawEndTag;
    /// <summary>Bit n set when a tag of type n (n &lt; 32) was seen, valid or not.</summary>
    public uint TagsSeen;

    // ---- Tag 1: command line, tag 2: boot loader name ------------------------------
    public bool HasCommandLine;
    public bool CommandLineTruncated;
    public int CommandLineLength;
    public fixed byte CommandLine[MaxCommandLine + 1];

    public bool HasBootloaderName;
    public bool BootloaderNameTruncated;
    public int BootloaderNameLength;
    public fixed byte BootloaderName[MaxBootloaderName + 1];

    // ---- Tag 4: basic memory information (KiB) -------------------------------------
    public bool HasBasicMemInfo;
    public uint MemLowerKiB;
    public uint MemUpperKiB;

    // ---- Tag 6: memory map -----------------------------------------------------------
    public bool HasMemoryMap;
    /// <summary>The tag had more than <see cref="MaxMemoryRegions"/> entries; the rest were not kept.</summary>
    public bool MemoryMapTruncated;
    public uint MemoryMapEntrySize;
    public uint MemoryMapEntryVersion;
    /// <summary>Entries the tag holds (may exceed <see cref="MemoryRegionCount"/>).</summary>
    public int MemoryMapEntriesInTag;
    public int MemoryRegionCount;
    public fixed ulong MemoryRegionBase[MaxMemoryRegions];
    public fixed ulong MemoryRegionLength[MaxMemoryRegions];
    public fixed uint MemoryRegionType[MaxMemoryRegions];

    // ---- Tag 3: modules ---------------------------------------------------------------
    public int ModuleCount;
    /// <summary>Valid module tags beyond <see cref="MaxModules"/>, not kept.</summary>
    public int ModulesDropped;
    /// <summary>Some module string was longer than <see cref="MaxModuleString"/> and was cut.</summary>
    public bool ModuleStringTruncated;
    public fixed uint ModuleStart[MaxModules];
    public fixed uint ModuleEnd[MaxModules];
    public fixed short ModuleStringLength[MaxModules];
    public fixed byte ModuleStrings[MaxModules * (MaxModuleString + 1)];

    // ---- Tag 8: framebuffer -------------------------------------------------------------
    public bool HasFramebuffer;
    public byte FramebufferType;   // Multiboot2FramebufferType
    public byte FramebufferBpp;
    public ulong FramebufferAddress;
    public uint FramebufferPitch;
    public uint FramebufferWidth;
    public uint FramebufferHeight;
    /// <summary>Type 1 (RGB) only: bit position and size of each colour field.</summary>
    public byte RedFieldPosition, RedMaskSize;
    public byte GreenFieldPosition, GreenMaskSize;
    public byte BlueFieldPosition, BlueMaskSize;
    /// <summary>Type 0 (indexed) only: palette size (the palette itself is not copied).</summary>
    public ushort PaletteColorCount;

    // ---- Tag 9: ELF section headers -------------------------------------------------------
    public bool HasElfSections;
    public bool ElfSectionsTruncated;
    /// <summary>num, entsize, shndx as in the tag.</summary>
    public uint ElfSectionCountInTag;
    public uint ElfSectionEntrySize;
    public uint ElfStringTableIndex;
    /// <summary>Headers copied (at most <see cref="MaxElfSections"/>).</summary>
    public int ElfSectionCount;
    public fixed byte ElfSectionData[MaxElfSections * Multiboot2Tag.Elf64SectionHeaderSize];

    // ---- Tags 14/15: ACPI RSDP ------------------------------------------------------------
    /// <summary>A valid RSDP was found (signature and checksums verified).</summary>
    public bool HasRsdp;
    /// <summary>Tag it came from: 14 (ACPI 1.0 copy) or 15 (ACPI 2.0+ copy). A valid tag 15 wins.</summary>
    public uint RsdpTag;
    public byte RsdpRevision;
    /// <summary>Bytes copied into <see cref="Rsdp"/>: 20 (v1) or 36 (v2+).</summary>
    public int RsdpLength;
    public uint RsdtAddress;
    /// <summary>0 unless the RSDP is v2+ (from tag 15).</summary>
    public ulong XsdtAddress;
    public fixed byte Rsdp[MaxRsdpBytes];

    // ---- Tag 21: load base, tags 11/12: EFI system table ----------------------------------
    public bool HasLoadBase;
    public uint LoadBaseAddress;
    public bool HasEfi32SystemTable;
    public uint Efi32SystemTable;
    public bool HasEfi64SystemTable;
    public ulong Efi64SystemTable;

    // ---- Accessors --------------------------------------------------------------------------

    /// <summary>True when a tag of <paramref name="type"/> (below 32) was seen.</summary>
    public bool HasTag(uint type)
    {
        return type < 32 && (TagsSeen & (1u << (int)type)) != 0;
    }

    public bool GetMemoryRegion(int i, out MemoryRegion region)
    {
        region = default(MemoryRegion);
        if (i < 0 || i >= MemoryRegionCount)
            return false;
        region.Base = MemoryRegionBase[i];
        region.Length = MemoryRegionLength[i];
        region.Type = MemoryRegionType[i];
        return true;
    }

    /// <summary>Module <paramref name="i"/>: physical start/end and its string (NUL-terminated copy).</summary>
    public bool GetModule(int i, out uint start, out uint end, out byte* text, out int textLength)
    {
        start = 0;
        end = 0;
        text = null;
        textLength = 0;
        if (i < 0 || i >= ModuleCount)
            return false;
        start = ModuleStart[i];
        end = ModuleEnd[i];
        fixed (byte* s = ModuleStrings)
            text = s + i * (MaxModuleString + 1);
        textLength = ModuleStringLength[i];
        return true;
    }

    public bool GetElfSection(int i, out ElfSectionHeader h)
    {
        h = default(ElfSectionHeader);
        if (i < 0 || i >= ElfSectionCount)
            return false;
        fixed (byte* data = ElfSectionData)
        {
            byte* p = data + i * Multiboot2Tag.Elf64SectionHeaderSize;
            h.Name = *(uint*)(p + 0);
            h.Type = *(uint*)(p + 4);
            h.Flags = *(ulong*)(p + 8);
            h.Address = *(ulong*)(p + 16);
            h.Offset = *(ulong*)(p + 24);
            h.Size = *(ulong*)(p + 32);
            h.Link = *(uint*)(p + 40);
            h.Info = *(uint*)(p + 44);
            h.AddressAlign = *(ulong*)(p + 48);
            h.EntrySize = *(ulong*)(p + 56);
        }
        return true;
    }

    public void GetCommandLine(out byte* text, out int length)
    {
        fixed (byte* s = CommandLine)
            text = s;
        length = CommandLineLength;
    }

    public void GetBootloaderName(out byte* text, out int length)
    {
        fixed (byte* s = BootloaderName)
            text = s;
        length = BootloaderNameLength;
    }

    public void GetRsdp(out byte* bytes, out int length)
    {
        fixed (byte* s = Rsdp)
            bytes = s;
        length = RsdpLength;
    }
}
