// The kernel log's memory: a fixed ring of bytes holding complete lines ("<6>[   0.001] text\n",
// the level in angle brackets as /dev/kmsg shows it). When full, the oldest whole lines are
// dropped. Nothing here allocates, so interrupt handlers can log.
namespace Kernel.Diagnostics;

public static unsafe class LogBuffer
{
    public const int Size = 64 * 1024;
    static byte* s_ring;
    static ulong s_head;  // total bytes ever written: the next write goes to s_head % Size
    static ulong s_tail;  // the oldest byte still held (always at the start of a line)
    static ulong s_droppedLines;

    struct Storage { public fixed byte Bytes[Size]; }
    static Storage s_storage;

    public static ulong DroppedLines => s_droppedLines;
    public static ulong BytesHeld => s_head - s_tail;

    public static void Append(byte* line, int length)
    {
        if (length <= 0 || length > Size / 2) return;
        if (s_ring == null) fixed (byte* p = s_storage.Bytes) s_ring = p;
        while (s_head - s_tail + (ulong)length > Size) DropOldestLine();
        for (int i = 0; i < length; i++) s_ring[(s_head + (ulong)i) % Size] = line[i];
        s_head += (ulong)length;
    }

    static void DropOldestLine()
    {
        while (s_tail < s_head && s_ring[s_tail % Size] != (byte)'\n') s_tail++;
        if (s_tail < s_head) s_tail++;
        s_droppedLines++;
    }

    /// <summary>Copies the held log (oldest first) into dst; returns the bytes copied.</summary>
    public static int CopyTo(byte* dst, int capacity)
    {
        int n = 0;
        for (ulong i = s_tail; i < s_head && n < capacity; i++) dst[n++] = s_ring[i % Size];
        return n;
    }
}
