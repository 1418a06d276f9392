// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Numbers from the Multiboot2 specification (and GRUB's layout where the two differ:
// see README.md in the folder above).
namespace Kernel.Boot.Multiboot2;

/// <summary>Multiboot2 magic numbers, tag types and fixed layout sizes.</summary>
public static class Multiboot2Tag
{
    /// <summary>EAX at kernel entry when a Multiboot2 loader started us.</summary>
    public const uint BootloaderMagic = 0x36d76289;

    /// <summary>Block header: u32 total_size, u32 reserved.</summary>
    public const int InfoHeaderSize = 8;
    /// <summary>Tag header: u32 type, u32 size (size includes the header, not the padding).</summary>
    public const int TagHeaderSize = 8;
    /// <summary>Tags start at 8-byte aligned offsets; so must the block itself.</summary>
    public const int Alignment = 8;

    // Tag types.
    public const uint End = 0;
    public const uint CommandLine = 1;
    public const uint BootloaderName = 2;
    public const uint Module = 3;
    public const uint BasicMemInfo = 4;
    public const uint BootDevice = 5;
    public const uint MemoryMap = 6;
    public const uint VbeInfo = 7;
    public const uint Framebuffer = 8;
    public const uint ElfSections = 9;
    public const uint Apm = 10;
    public const uint Efi32SystemTable = 11;
    public const uint Efi64SystemTable = 12;
    public const uint Smbios = 13;
    public const uint AcpiOld = 14;
    public const uint AcpiNew = 15;
    public const uint Network = 16;
    public const uint EfiMemoryMap = 17;
    public const uint EfiBootServicesNotTerminated = 18;
    public const uint Efi32ImageHandle = 19;
    public const uint Efi64ImageHandle = 20;
    public const uint LoadBaseAddress = 21;
    /// <summary>Types above this are unknown to us: skipped and counted.</summary>
    public const uint HighestKnown = 21;

    // Fixed parts of the tags we parse (bytes, header included).
    public const int ModuleFixedSize = 16;        // header, u32 mod_start, u32 mod_end, then the string
    public const int BasicMemInfoSize = 16;       // header, u32 mem_lower, u32 mem_upper (KiB)
    public const int MemoryMapFixedSize = 16;     // header, u32 entry_size, u32 entry_version
    public const int MemoryMapEntryMinSize = 24;  // u64 base, u64 length, u32 type, u32 reserved
    public const int MemoryMapEntryMaxSize = 4096; // sanity bound; real loaders use 24
    public const int FramebufferFixedSize = 32;   // header, u64 addr, u32 pitch, width, height, u8 bpp, u8 type, u16 reserved
    public const int FramebufferRgbSize = 38;     // + u8 red pos/size, green pos/size, blue pos/size
    public const int FramebufferIndexedSize = 34; // + u16 palette colour count (then 3-byte colours)
    public const int ElfSectionsFixedSize = 20;   // header, u32 num, u32 entsize, u32 shndx (GRUB layout)
    public const int Elf64SectionHeaderSize = 64;
    public const int LoadBaseAddressSize = 12;    // header, u32 load_base_addr
    public const int Efi32SystemTableSize = 12;   // header, u32 pointer
    public const int Efi64SystemTableSize = 16;   // header, u64 pointer
}

/// <summary>Memory map entry types (tag 6).</summary>
public static class Multiboot2MemoryType
{
    public const uint Available = 1;
    public const uint Reserved = 2;
    public const uint AcpiReclaimable = 3;
    public const uint AcpiNvs = 4;
    public const uint BadRam = 5;
}

/// <summary>Framebuffer types (tag 8).</summary>
public static class Multiboot2FramebufferType
{
    public const byte Indexed = 0;
    public const byte Rgb = 1;
    public const byte EgaText = 2;
}
