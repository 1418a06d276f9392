// Platform-neutral shared source: compiled into the kernel AND into tests/Kernel.Tests.
namespace Kernel.Boot.Multiboot2;

/// <summary>
/// Tag 8. Common part (GRUB layout, 32 bytes): header, u64 framebuffer_addr, u32 pitch,
/// u32 width, u32 height, u8 bpp, u8 type, u16 reserved. Then, for type 0 (indexed):
/// u16 palette colour count and 3-byte colours; for type 1 (RGB): u8 position and u8 size
/// of the red, green and blue fields; type 2 (EGA text) has nothing more.
/// A boot without this tag is normal (text mode): BootInfo.HasFramebuffer stays false.
/// </summary>
public static unsafe class Multiboot2Framebuffer
{
    public static Multiboot2Error Parse(byte* tag, uint size, BootInfo* r, out string message)
    {
        message = "";
        if (size < Multiboot2Tag.FramebufferFixedSize)
        {
            message = "framebuffer tag shorter than 32 bytes";
            return Multiboot2Error.BadFramebuffer;
        }
        ulong address = *(ulong*)(tag + 8);
        uint pitch = *(uint*)(tag + 16);
        uint width = *(uint*)(tag + 20);
        uint height = *(uint*)(tag + 24);
        byte bpp = tag[28];
        byte type = tag[29];

        if (type > Multiboot2FramebufferType.EgaText)
        {
            message = "framebuffer type is not 0 (indexed), 1 (RGB) or 2 (EGA text)";
            return Multiboot2Error.BadFramebuffer;
        }
        if (bpp == 0 || (ulong)pitch * 8 < (ulong)width * bpp)
        {
            message = "framebuffer bpp is 0 or pitch is smaller than width * bpp / 8";
            return Multiboot2Error.BadFramebuffer;
        }

        ushort colors = 0;
        if (type == Multiboot2FramebufferType.Indexed)
        {
            if (size < Multiboot2Tag.FramebufferIndexedSize)
            {
                message = "indexed framebuffer tag has no palette size";
                return Multiboot2Error.BadFramebuffer;
            }
            colors = *(ushort*)(tag + 32);
            if ((uint)Multiboot2Tag.FramebufferIndexedSize + 3u * colors > size)
            {
                message = "framebuffer palette runs past the tag";
                return Multiboot2Error.BadFramebuffer;
            }
        }
        else if (type == Multiboot2FramebufferType.Rgb)
        {
            if (size < Multiboot2Tag.FramebufferRgbSize)
            {
                message = "RGB framebuffer tag has no colour field description";
                return Multiboot2Error.BadFramebuffer;
            }
            for (int i = 0; i < 6; i += 2)
            {
                if (tag[32 + i] + tag[33 + i] > bpp)
                {
                    message = "RGB framebuffer colour field lies outside the pixel (position + size > bpp)";
                    return Multiboot2Error.BadFramebuffer;
                }
            }
            r->RedFieldPosition = tag[32];
            r->RedMaskSize = tag[33];
            r->GreenFieldPosition = tag[34];
            r->GreenMaskSize = tag[35];
            r->BlueFieldPosition = tag[36];
            r->BlueMaskSize = tag[37];
        }

        r->HasFramebuffer = true;
        r->FramebufferAddress = address;
        r->FramebufferPitch = pitch;
        r->FramebufferWidth = width;
        r->FramebufferHeight = height;
        r->FramebufferBpp = bpp;
        r->FramebufferType = type;
        r->PaletteColorCount = colors;
        return Multiboot2Error.None;
    }
}
