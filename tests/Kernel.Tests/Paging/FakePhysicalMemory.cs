using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Kernel.Arch.X64.Paging;
using Kernel.Memory;
using Xunit;

namespace Kernel.Tests.Paging;

/// <summary>
/// Tests that point Kernel.Memory.PhysicalMap somewhere must not run while another test moves
/// it: this collection runs alone (no other test class in parallel with it).
/// </summary>
[CollectionDefinition("PhysicalMap", DisableParallelization = true)]
public sealed class PhysicalMapCollection { }

/// <summary>
/// A fake RAM for page-table tests: a block of 4 KiB-aligned host memory whose "physical"
/// addresses are the host addresses themselves (PhysicalMap offset 0), and a FrameSource that
/// hands out its frames. It counts frames in use, can be told to fail after N more allocations,
/// poisons freed frames (0xCC: a table read after it was freed looks like garbage) and records
/// double or foreign frees.
/// </summary>
public sealed unsafe class FakePhysicalMemory : IDisposable
{
    public const int FrameSize = 4096;

    [ThreadStatic] static FakePhysicalMemory s_current;

    readonly byte* _block;
    readonly int _frameCount;
    readonly Stack<ulong> _free = new();
    readonly HashSet<ulong> _inUse = new();

    /// <summary>Allocations that still succeed before the source reports out of memory
    /// (-1: unlimited).</summary>
    public int AllocationsLeft = -1;
    public int Allocations, Frees;
    public readonly List<string> Errors = new();

    public FakePhysicalMemory(int frames = 4096)
    {
        _frameCount = frames;
        _block = (byte*)NativeMemory.AlignedAlloc((nuint)(frames * FrameSize), FrameSize);
        for (int i = frames - 1; i >= 0; i--)
            _free.Push((ulong)_block + (ulong)i * FrameSize);
        PhysicalMap.SetOffset(0);
        s_current = this;
    }

    public int InUse => _inUse.Count;
    public bool Owns(ulong frame) => _inUse.Contains(frame);

    public FrameSource Source
    {
        get
        {
            FrameSource s;
            s.AllocateZeroedFrame = &Allocate;
            s.FreeFrame = &Free;
            return s;
        }
    }

    /// <summary>A source that allocates but never frees (FreeFrame null: tables are kept).</summary>
    public FrameSource KeepingSource
    {
        get
        {
            FrameSource s;
            s.AllocateZeroedFrame = &Allocate;
            s.FreeFrame = null;
            return s;
        }
    }

    /// <summary>A zeroed root table (PML4) from this memory.</summary>
    public ulong NewRoot()
    {
        ulong root = Allocate();
        Assert.NotEqual(0UL, root);
        return root;
    }

    static ulong Allocate()
    {
        FakePhysicalMemory m = s_current;
        if (m.AllocationsLeft == 0 || m._free.Count == 0)
            return 0;
        if (m.AllocationsLeft > 0)
            m.AllocationsLeft--;
        ulong frame = m._free.Pop();
        new Span<byte>((void*)frame, FrameSize).Clear();
        m._inUse.Add(frame);
        m.Allocations++;
        return frame;
    }

    static void Free(ulong frame)
    {
        FakePhysicalMemory m = s_current;
        if (!m._inUse.Remove(frame))
        {
            m.Errors.Add($"free of 0x{frame:x}, which is not in use");
            return;
        }
        // Tables must come back empty: Unmap frees only tables it emptied.
        ulong* t = (ulong*)frame;
        for (int i = 0; i < 512; i++)
            if (t[i] != 0)
            {
                m.Errors.Add($"frame 0x{frame:x} freed with entry {i} = 0x{t[i]:x}");
                break;
            }
        new Span<byte>((void*)frame, FrameSize).Fill(0xCC);
        m._free.Push(frame);
        m.Frees++;
    }

    public void Dispose()
    {
        if (s_current == this)
            s_current = null;
        NativeMemory.AlignedFree(_block);
    }
}
