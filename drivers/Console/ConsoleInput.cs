// The one queue of bytes typed at the consoles: the serial port's and the keyboard's interrupt
// handlers push (the keyboard as the ANSI bytes a terminal would send), the shell pops. A fixed
// ring: nothing allocates, and when a flood outruns the reader the newest bytes are dropped
// and counted, so no amount of input can hang the kernel. Ctrl-C and Ctrl-\ become signals to
// the console's foreground process group here instead (kernel/Fs/ConsoleForeground.cs).
namespace Kernel.Drivers.Console;

public static unsafe class ConsoleInput
{
    public const int Capacity = 4096;            // a power of two
    struct Ring { public fixed byte Bytes[Capacity]; }
    static Ring s_ring;
    static uint s_head, s_tail;                   // head: next write; tail: next read
    static ulong s_dropped, s_received;

    public static ulong DroppedBytes => s_dropped;
    public static ulong ReceivedBytes => s_received;

    /// <summary>Interrupt context (interrupts off): appends, or drops when full.</summary>
    public static void Push(byte b)
    {
        s_received++;
        if (Kernel.Fs.ConsoleForeground.OnInputByte(b)) return; // Ctrl-C / Ctrl-\ signalled the foreground group
        if (s_head - s_tail >= Capacity) { s_dropped++; return; }
        fixed (byte* r = s_ring.Bytes) r[s_head & (Capacity - 1)] = b;
        s_head++;
    }

    public static void Push(byte* bytes, int count)
    {
        for (int i = 0; i < count; i++) Push(bytes[i]);
    }

    /// <summary>Any context: the oldest byte, or false when the queue is empty.</summary>
    public static bool TryPop(out byte b)
    {
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        bool any = s_head != s_tail;
        b = 0;
        if (any)
        {
            fixed (byte* r = s_ring.Bytes) b = r[s_tail & (Capacity - 1)];
            s_tail++;
        }
        Kernel.Platform.Interrupts.Restore(token);
        return any;
    }

    /// <summary>Drops everything queued (tests).</summary>
    public static void Discard()
    {
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        s_tail = s_head;
        Kernel.Platform.Interrupts.Restore(token);
    }
}
