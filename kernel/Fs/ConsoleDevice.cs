// stdin/stdout/stderr: the kernel console. Output goes to serial and the screen through
// KernelConsole. Input is a small line discipline (canonical mode) over the console input
// queue that the serial and keyboard interrupts fill (drivers/Console/ConsoleInput): bytes are
// echoed, Backspace/DEL erase, Enter (CR or LF) ends a line, Ctrl-D hands over what is typed
// (an empty line then reads as end of file). Ctrl-C and Ctrl-\ go to the foreground process
// group as SIGINT / SIGQUIT when typed (ConsoleForeground; the next read drops the partial
// line and echoes ^C); only without a foreground group does Ctrl-C reach this line discipline,
// which then drops the line and sends SIGINT to the reading process (read returns -EINTR). A read waits until a line is complete or a signal is deliverable (-EINTR): it yields
// to other tasks, or halts with interrupts on until the next one.
using Kernel.Arch.X64;
using Kernel.Diagnostics;
using Kernel.Drivers.Console;
using Kernel.Drivers.Serial;
using Kernel.Tasks;
using Kernel.Syscalls;

namespace Kernel.Fs;

public static unsafe class ConsoleDevice
{
    const int LineCapacity = 1024;
    struct LineBuffer { public fixed byte Bytes[LineCapacity]; }
    static LineBuffer s_line;
    static int s_length;      // bytes typed so far
    static int s_ready;       // bytes of s_line that a read may take (a completed line)
    static bool s_endOfFile;  // Ctrl-D on an empty line
    static bool s_interrupt;  // Ctrl-C: the reader gets SIGINT

    public static void Write(byte* text, int length) => KernelConsole.Write(text, length);

    /// <summary>Waits for a line (or Ctrl-D) and takes up to <paramref name="max"/> bytes of it.</summary>
    public static int Read(byte* destination, int max)
    {
        while (s_ready == 0 && !s_endOfFile && !s_interrupt)
        {
            EchoSignalKey();
            if (SignalSend.Interrupting(Scheduler.Current)) return -Errno.EINTR;
            if (Poll()) continue;
            if (!Scheduler.Yield()) WaitForInterrupt();
        }
        if (s_interrupt)
        {
            s_interrupt = false;
            ProcessLifecycle.Kill(Scheduler.Current->Pid, Signals.SIGINT);
            return -Errno.EINTR; // the signal ends the process at the syscall's return
        }
        if (s_ready == 0)
        {
            s_endOfFile = false;
            return 0;
        }
        int n = s_ready < max ? s_ready : max;
        fixed (byte* line = s_line.Bytes)
        {
            for (int i = 0; i < n; i++) destination[i] = line[i];
            for (int i = n; i < s_length; i++) line[i - n] = line[i];
        }
        s_ready -= n;
        s_length -= n;
        return n;
    }

    /// <summary>A signal key went to the foreground group (ConsoleForeground): the partial line
    /// goes, as with ISIG in canonical mode, and the key is echoed now that a reader runs.</summary>
    static void EchoSignalKey()
    {
        byte key = ConsoleForeground.TakeTyped();
        if (key == 0) return;
        s_length = s_ready;
        Echo(key == ConsoleForeground.Interrupt ? "^C\n" : "^\\\n");
    }

    /// <summary>
    /// Nothing else to run: let the interrupts in (a syscall runs with them off) and halt until
    /// one arrives. STI's one-instruction shadow covers the HLT, so none is missed in between.
    /// </summary>
    static void WaitForInterrupt()
    {
        Cpu.EnableInterrupts();
        Cpu.Halt();
        Cpu.DisableInterrupts();
    }

    /// <summary>Takes what the input queue holds; true if anything arrived.</summary>
    static bool Poll()
    {
        bool any = false;
        SerialInput.Drain(); // the UART's FIFO, in case its interrupt is not on
        while (s_ready == 0 && !s_endOfFile && !s_interrupt && ConsoleInput.TryPop(out byte b))
        {
            any = true;
            Accept(b);
        }
        return any;
    }

    static void Accept(byte b)
    {
        fixed (byte* line = s_line.Bytes)
        {
            if (b == '\r') b = (byte)'\n';
            if (b == 0x7f || b == 0x08)
            {
                if (s_length > s_ready) { s_length--; Echo("\b \b"); }
                return;
            }
            if (b == 0x03)
            {
                s_length = s_ready;
                s_interrupt = true;
                Echo("^C\n");
                return;
            }
            if (b == 0x04)
            {
                if (s_length == s_ready) s_endOfFile = true;
                else s_ready = s_length;
                return;
            }
            if (s_length == LineCapacity) return; // full: drop until Enter frees it
            line[s_length++] = b;
            Echo(b);
            if (b == '\n' || s_length == LineCapacity) s_ready = s_length;
        }
    }

    static void Echo(byte b) => KernelConsole.Write(&b, 1);
    static void Echo(string s) => KernelConsole.Write(s);
}
