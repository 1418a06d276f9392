// Where the linker put the kernel's pieces (boot/linker.ld), read once through
// boot/sections.asm. Virtual addresses unless the name says Physical.
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kernel.Boot;

[StructLayout(LayoutKind.Sequential)]
public struct KernelLayout
{
    public const ulong VirtualBase = 0xffffffff80000000;

    public ulong TextStart, TextEnd, RodataStart, RodataEnd, DataStart, DataEnd;
    public ulong PhysicalStart, PhysicalEnd;
    public ulong ExceptionTableStart, ExceptionTableEnd;
    public ulong BootStackGuardPhysical, BootStackTopPhysical, BootPml4Physical;

    static KernelLayout s_current;
    static bool s_loaded;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kernel_layout")]
    static extern unsafe void Read(KernelLayout* layout);

    public static unsafe KernelLayout* Current
    {
        get
        {
            fixed (KernelLayout* l = &s_current)
            {
                if (!s_loaded) { Read(l); s_loaded = true; }
                return l;
            }
        }
    }

    /// <summary>The boot stack's guard page, as the kernel sees it (higher-half alias).</summary>
    public ulong BootStackGuard => BootStackGuardPhysical + VirtualBase;
    public ulong BootStackTop => BootStackTopPhysical + VirtualBase;
}
