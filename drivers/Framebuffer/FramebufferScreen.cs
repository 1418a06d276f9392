// The framebuffer console on UEFI boots (no VGA text mode there): the linear RGB framebuffer
// GRUB reported, a PC Screen Font embedded at build time (boot/font.asm includes the gunzipped
// console-setup font), and the platform-neutral console in Rendering/. Text written to the
// kernel console goes here as well as to serial.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Arch.X64;
using Kernel.Boot.Multiboot2;

namespace Kernel.Drivers.Framebuffer;

public static unsafe class FramebufferScreen
{
    const byte TypeRgb = 1;

    static PsfFont s_font;
    static PixelSurface s_surface;
    static FramebufferConsole s_console;
    static bool s_ready;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "console_font_start")]
    static extern byte* FontStart();
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "console_font_length")]
    static extern int FontLength();

    public static bool Ready => s_ready;
    public static int Columns => s_ready ? s_console.Columns : 0;
    public static int Rows => s_ready ? s_console.Rows : 0;
    public static FramebufferConsole* Console { get { fixed (FramebufferConsole* c = &s_console) return c; } }

    /// <summary>Sets the console up over GRUB's RGB framebuffer; a message when it cannot.</summary>
    public static string Initialize(BootInfo* info, delegate*<ulong, void*> allocateZeroed)
    {
        if (!info->HasFramebuffer || info->FramebufferType != TypeRgb) return "no RGB framebuffer";
        fixed (PsfFont* font = &s_font)
        fixed (PixelSurface* surface = &s_surface)
        fixed (FramebufferConsole* console = &s_console)
        {
            if (PsfFont.Parse(FontStart(), FontLength(), font, out string fontMessage) != PsfStatus.Ok) return fontMessage;
            ulong bytes = (ulong)info->FramebufferPitch * info->FramebufferHeight;
            byte* pixels = (byte*)DeviceMemory.Map(info->FramebufferAddress, bytes, DeviceCaching.WriteThrough);
            if (pixels == null) return "cannot map the framebuffer";
            if (PixelSurface.Init(surface, pixels, (int)info->FramebufferWidth, (int)info->FramebufferHeight,
                    (int)info->FramebufferPitch, info->FramebufferBpp, info->RedFieldPosition, info->RedMaskSize,
                    info->GreenFieldPosition, info->GreenMaskSize, info->BlueFieldPosition, info->BlueMaskSize,
                    out string surfaceMessage) != SurfaceStatus.Ok) return surfaceMessage;
            long cellBytes = FramebufferConsole.CellBytesFor(surface->Width, surface->Height, font);
            byte* cells = (byte*)allocateZeroed((ulong)cellBytes);
            if (cells == null) return "no memory for the console cells";
            if (FramebufferConsole.Init(console, surface, font, cells, cellBytes, out string consoleMessage) != ConsoleStatus.Ok)
                return consoleMessage;
        }
        s_ready = true;
        return null;
    }

    public static void Write(byte* text, int length)
    {
        if (s_ready) s_console.Write(text, length);
    }

    public static int FontWidth => s_font.Width;
    public static int FontHeight => s_font.Height;
}
