// Until the shell exists: a prompt on the serial console that echoes each line typed. It
// accepts any bytes, keeps at most a screenful per line, and never blocks the kernel on bad
// input. Ctrl-C cancels the line.
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Drivers.Serial;

namespace Kernel.Boot;

public static unsafe class EchoPrompt
{
    const int MaxLine = 256;

    public static void Run()
    {
        byte* line = stackalloc byte[MaxLine];
        int length = 0;
        KernelConsole.Write("No shell yet: lines you type are echoed back.\n> ");
        while (true)
        {
            if (!Uart16550.TryReadByte(out byte b))
            {
                Cpu.Pause();
                continue;
            }
            if (b == 3) { KernelConsole.Write("^C\n> "); length = 0; continue; }
            if (b == (byte)'\r' || b == (byte)'\n')
            {
                KernelConsole.Write("\necho: ");
                KernelConsole.Write(line, length);
                KernelConsole.Write("\n> ");
                length = 0;
                continue;
            }
            if ((b == 127 || b == 8) && length > 0) { length--; KernelConsole.Write("\b \b"); continue; }
            if (b < 32 || b > 126 || length == MaxLine) continue;
            line[length++] = b;
            KernelConsole.Write(&b, 1);
        }
    }
}
