// The interactive shell on the kernel's consoles: bytes typed on the serial line or the PS/2
// keyboard (both arrive as terminal bytes in the console input queue) go through the line
// editor (Editing/); a finished line runs through the command table (ShellCommands); output
// goes to serial and screen at once. Waiting for input halts the CPU until an interrupt.
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Drivers.Console;
using Kernel.Drivers.Serial;
using Kernel.Shell.Editing;

namespace Kernel.Shell;

public static unsafe class Shell
{
    public const string Prompt = "kernel> ";
    const int EchoBytes = 2048;          // the editor's longest reaction: a full redraw or a listing

    static LineEditor s_editor;

    public static void Run()
    {
        if (!ShellBuffers.Initialize()) Panic.Halt("shell: out of memory at start");
        CommandTable table = ShellCommands.Table;
        s_editor.SetPrompt(Prompt);
        s_editor.SetCompletion(&ShellCommands.NameAt);
        byte* echo = stackalloc byte[EchoBytes];
        byte* line = stackalloc byte[LineEditor.MaxLength];
        var reaction = new TextBuilder(echo, EchoBytes);
        var output = new TextBuilder(ShellBuffers.Output, ShellBuffers.OutputBytes);

        KernelConsole.Write("\nKernel shell. Type help for the commands.\n");
        s_editor.BeginLine(ref reaction);
        Flush(ref reaction);
        while (true)
        {
            byte b = ReadByte();
            LineResult result = s_editor.Feed(b, ref reaction);
            Flush(ref reaction);
            switch (result)
            {
                case LineResult.LineReady:
                    int length = s_editor.CopyLine(line, LineEditor.MaxLength);
                    table.Execute(line, length, ref output);
                    Flush(ref output);
                    s_editor.BeginLine(ref reaction);
                    break;
                case LineResult.Cancelled:
                    s_editor.BeginLine(ref reaction);
                    break;
                case LineResult.ClearScreen:
                    KernelConsole.Write("\x1b[H\x1b[2J");
                    s_editor.Redraw(ref reaction);
                    break;
            }
            Flush(ref reaction);
        }
    }

    static void Flush(ref TextBuilder text)
    {
        if (text.Length > 0) KernelConsole.Write(text.Buffer, text.Length);
        if (text.Truncated) KernelConsole.Write("\n(output truncated)\n");
        text.Clear();
    }

    /// <summary>The next input byte; lets runnable processes have the CPU, else halts between
    /// interrupts while there is none. Serial
    /// bytes normally arrive by IRQ 4; every 50 ticks the port is also polled, so a UART whose
    /// interrupt is not wired still works, only slower.</summary>
    static byte ReadByte()
    {
        ulong lastPoll = Timer.Ticks;
        while (true)
        {
            if (ConsoleInput.TryPop(out byte b)) return b;
            if (Timer.Ticks - lastPoll >= 50 || !Timer.Running)
            {
                lastPoll = Timer.Ticks;
                ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
                SerialInput.Drain();
                Kernel.Platform.Interrupts.Restore(token);
                continue;
            }
            if (Tasks.Scheduler.Yield()) continue; // background processes (run -b) run meanwhile
            Cpu.Halt();
        }
    }
}
