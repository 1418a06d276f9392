// Decides which consoles to use from what the boot loader reported: the VGA text screen when
// the machine is in text mode (BIOS boots; GRUB reports an EGA-text framebuffer or none), and
// serial always. A UEFI boot has a graphics framebuffer and no text screen: serial only, for
// now (the framebuffer console arrives with the shell).
using Kernel.Drivers.Vga;

using Kernel.Boot.Multiboot2;

namespace Kernel.Boot;

public static unsafe class BootConsole
{
    const byte FramebufferEgaText = 2;
    const ulong VgaTextPhysical = 0xb8000;

    public static void Select(BootInfo* info)
    {
        bool textMode = info->HasFramebuffer
            ? info->FramebufferType == FramebufferEgaText
            : !info->HasTag(Multiboot2Tag.Efi64SystemTable) && !info->HasTag(Multiboot2Tag.Efi32SystemTable);
        if (!textMode) return;
        ulong physical = info->HasFramebuffer ? info->FramebufferAddress : VgaTextPhysical;
        VgaTextConsole.Enable((ulong)BootData.EarlyPhysicalToVirtual(physical));
    }
}
