// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
// Only primitives, pointers, unmanaged structs and string literals may be used here.
namespace Kernel.Drivers.Framebuffer;

/// <summary>The 16 console colours (VGA / Linux console values): 0-7 normal, 8-15 bright.</summary>
public static class ConsolePalette
{
    public const byte DefaultForeground = 7;
    public const byte DefaultBackground = 0;

    /// <summary>0xRRGGBB of colour <paramref name="index"/> (taken modulo 16).</summary>
    public static uint Rgb(int index)
    {
        switch (index & 15)
        {
            case 0: return 0x000000;
            case 1: return 0xAA0000;
            case 2: return 0x00AA00;
            case 3: return 0xAA5500;
            case 4: return 0x0000AA;
            case 5: return 0xAA00AA;
            case 6: return 0x00AAAA;
            case 7: return 0xAAAAAA;
            case 8: return 0x555555;
            case 9: return 0xFF5555;
            case 10: return 0x55FF55;
            case 11: return 0xFFFF55;
            case 12: return 0x5555FF;
            case 13: return 0xFF55FF;
            case 14: return 0x55FFFF;
            default: return 0xFFFFFF;
        }
    }
}
