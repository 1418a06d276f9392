// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
namespace Kernel.Boot.Multiboot2;

/// <summary>
/// Outcome of <see cref="Multiboot2Parser.Parse"/>. Structural errors (the block itself cannot
/// be walked) stop the walk; tag errors (one tag's content is wrong) drop that tag's data,
/// and the walk goes on. Either way the first error is returned and everything parsed so far
/// stays in the <see cref="BootInfo"/>.
/// </summary>
public enum Multiboot2Error
{
    None = 0,

    // Structural: nothing (or nothing more) can be trusted.
    NullPointer = 1,
    BadMagic = 2,
    MisalignedBlock = 3,
    TooSmall = 4,
    TotalSizeTooLarge = 5,
    BadTagSize = 6,
    TagOverrun = 7,
    NoEndTag = 8,
    BadEndTag = 9,

    // Tag content: that tag is dropped, the walk continues.
    BadMemoryMap = 20,
    BadModule = 21,
    BadElfSections = 22,
    BadRsdp = 23,
    BadFramebuffer = 24,
    BadTag = 25,
}

public static class Multiboot2Errors
{
    /// <summary>True for errors that stopped the walk (the boot data is incomplete).</summary>
    public static bool IsStructural(Multiboot2Error e)
    {
        return e != Multiboot2Error.None && (int)e < 20;
    }

    /// <summary>Short name for logs ("TagOverrun").</summary>
    public static string Name(Multiboot2Error e)
    {
        switch (e)
        {
            case Multiboot2Error.None: return "None";
            case Multiboot2Error.NullPointer: return "NullPointer";
            case Multiboot2Error.BadMagic: return "BadMagic";
            case Multiboot2Error.MisalignedBlock: return "MisalignedBlock";
            case Multiboot2Error.TooSmall: return "TooSmall";
            case Multiboot2Error.TotalSizeTooLarge: return "TotalSizeTooLarge";
            case Multiboot2Error.BadTagSize: return "BadTagSize";
            case Multiboot2Error.TagOverrun: return "TagOverrun";
            case Multiboot2Error.NoEndTag: return "NoEndTag";
            case Multiboot2Error.BadEndTag: return "BadEndTag";
            case Multiboot2Error.BadMemoryMap: return "BadMemoryMap";
            case Multiboot2Error.BadModule: return "BadModule";
            case Multiboot2Error.BadElfSections: return "BadElfSections";
            case Multiboot2Error.BadRsdp: return "BadRsdp";
            case Multiboot2Error.BadFramebuffer: return "BadFramebuffer";
            case Multiboot2Error.BadTag: return "BadTag";
            default: return "Unknown";
        }
    }
}
