// Where kernel text goes: the serial port and, when present, the VGA text screen or the
// framebuffer console. Writes are
// synchronous and never allocate, so the log and the panic path can both use them.
using Kernel.Drivers.Serial;
using Kernel.Drivers.Vga;

namespace Kernel.Diagnostics;

public static unsafe class KernelConsole
{
    public static void Write(byte* text, int length)
    {
        Uart16550.Write(text, length);
        VgaTextConsole.Write(text, length);
        Kernel.Drivers.Framebuffer.FramebufferScreen.Write(text, length);
    }

    public static void Write(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            byte b = text[i] < 128 ? (byte)text[i] : (byte)'?';
            Write(&b, 1);
        }
    }

    /// <summary>Formats on the stack and writes, e.g. Print($"free {n} pages\n").</summary>
    public static void Print(ref LogLine line)
    {
        byte* buffer = stackalloc byte[LogLine.Capacity];
        var text = new TextBuilder(buffer, LogLine.Capacity);
        line.CopyTo(ref text);
        Write(buffer, text.Length);
    }

    /// <summary>The panic path's writer: same devices, no state beyond theirs.</summary>
    public static void WriteEmergency(string text) => Write(text);
}
