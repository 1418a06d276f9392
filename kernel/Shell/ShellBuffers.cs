// The shell's two large buffers, taken from vmalloc once when the shell starts (guard pages
// around them): command output (dmesg's 64 KiB log plus room) and a scratch area for commands.
using Kernel.Boot.Memory;
using Kernel.Diagnostics;

namespace Kernel.Shell;

public static unsafe class ShellBuffers
{
    public const int OutputBytes = 96 * 1024;
    public const int ScratchBytes = 64 * 1024;

    static byte* s_output, s_scratch;

    public static byte* Output => s_output;
    public static byte* Scratch => s_scratch;

    public static bool Initialize()
    {
        if (s_output == null) s_output = (byte*)KernelVmalloc.Allocate(OutputBytes);
        if (s_scratch == null) s_scratch = (byte*)KernelVmalloc.Allocate(ScratchBytes);
        if (s_output == null || s_scratch == null) Log.Error("shell: no memory for its buffers");
        return s_output != null && s_scratch != null;
    }
}
