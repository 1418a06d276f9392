// The allocation patterns, each written once over any IAllocator and counted in alloc+free
// pairs (Ops per call):
//   Churn          alloc + free of one size, again and again (the fast path);
//   RandomSizes    a working set of 256 blocks: free a random one, allocate 8..1024 bytes;
//   AllocNFreeN    allocate 1000 blocks of 64 bytes, then free them in order;
//   ProducerConsumer  a FIFO of 512 messages (64/128/192 bytes): the producer allocates and
//                  fills the newest, the consumer frees the oldest (freed long after, in order).
// Single-threaded: the kernel's allocator is per CPU and the kernel runs one CPU.
using System;

namespace SlabBench;

public static unsafe class Scenarios
{
    public const int Ops = 4096;
    public const int WorkingSet = 256;
    public const int Burst = 1000;
    public const int Queue = 512;

    static readonly ushort[] s_sizes = MakeSizes();

    static ushort[] MakeSizes()
    {
        var rng = new Random(42);
        var s = new ushort[Ops];
        for (int i = 0; i < s.Length; i++) s[i] = (ushort)rng.Next(8, 1025);
        return s;
    }

    public static void Churn<T>(nuint size) where T : struct, IAllocator
    {
        T a = default;
        for (int i = 0; i < Ops; i++)
        {
            byte* p = (byte*)a.Alloc(size);
            *p = (byte)i;
            a.Free(p);
        }
    }

    static class State<T> where T : struct, IAllocator
    {
        public static void** Ring;
        public static void** Fifo;
        public static int Head;
        public static void** Burst;
    }

    public static void Setup<T>() where T : struct, IAllocator
    {
        T a = default;
        if (State<T>.Ring != null) return;
        State<T>.Ring = (void**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(WorkingSet * sizeof(void*)));
        for (int i = 0; i < WorkingSet; i++) State<T>.Ring[i] = a.Alloc(s_sizes[i]);
        State<T>.Fifo = (void**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(Queue * sizeof(void*)));
        for (int i = 0; i < Queue; i++) State<T>.Fifo[i] = a.Alloc(64);
        State<T>.Burst = (void**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(Burst * sizeof(void*)));
    }

    public static void RandomSizes<T>() where T : struct, IAllocator
    {
        T a = default;
        void** ring = State<T>.Ring;
        ushort[] sizes = s_sizes;
        for (int i = 0; i < Ops; i++)
        {
            int k = (i * 167) & (WorkingSet - 1);          // a fixed scramble of the slots
            a.Free(ring[k]);
            byte* p = (byte*)a.Alloc(sizes[i]);
            *p = (byte)i;
            ring[k] = p;
        }
    }

    public static void AllocNFreeN<T>() where T : struct, IAllocator
    {
        T a = default;
        void** b = State<T>.Burst;
        for (int i = 0; i < Burst; i++)
        {
            byte* p = (byte*)a.Alloc(64);
            *p = (byte)i;
            b[i] = p;
        }
        for (int i = 0; i < Burst; i++)
            a.Free(b[i]);
    }

    public static void ProducerConsumer<T>() where T : struct, IAllocator
    {
        T a = default;
        void** q = State<T>.Fifo;
        int head = State<T>.Head;
        for (int i = 0; i < Ops; i++)
        {
            a.Free(q[head]);                                 // consumer: the oldest message
            ulong* m = (ulong*)a.Alloc((nuint)(64 + (i % 3) * 64));
            m[0] = (ulong)i;                                 // producer: a new message
            m[7] = (ulong)i;
            q[head] = m;
            head = (head + 1) & (Queue - 1);
        }
        State<T>.Head = head;
    }
}
