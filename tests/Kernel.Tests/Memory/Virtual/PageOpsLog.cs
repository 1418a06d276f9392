using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Kernel.Memory.Virtual;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>VmPageOps that record which pages each callback was asked about, so tests can
/// check that the page layer would be told about exactly the pages that changed.</summary>
public sealed unsafe class PageOpsLog : IDisposable
{
    public readonly List<ulong> Unmapped = new();
    public readonly List<ulong> Protected = new();
    public readonly List<ulong> Discarded = new();
    public readonly List<(ulong From, ulong To, ulong Length)> Moves = new();
    GCHandle _self;

    public PageOpsLog() => _self = GCHandle.Alloc(this);

    public VmPageOps Ops => new VmPageOps
    {
        Context = (void*)GCHandle.ToIntPtr(_self),
        Unmap = &OnUnmap,
        Protect = &OnProtect,
        Move = &OnMove,
        Discard = &OnDiscard,
    };

    public void Clear()
    {
        Unmapped.Clear();
        Protected.Clear();
        Discarded.Clear();
        Moves.Clear();
    }

    static PageOpsLog Of(void* context) => (PageOpsLog)GCHandle.FromIntPtr((IntPtr)context).Target;

    static void AddPages(List<ulong> list, VmArea* vma, ulong start, ulong end)
    {
        if (start < vma->Start || end > vma->End || start >= end)
            throw new InvalidOperationException($"callback range {start:x}-{end:x} outside VMA {vma->Start:x}-{vma->End:x}");
        for (ulong a = start; a < end; a += 4096) list.Add(a);
    }

    static void OnUnmap(void* c, VmArea* vma, ulong start, ulong end) => AddPages(Of(c).Unmapped, vma, start, end);
    static void OnProtect(void* c, VmArea* vma, ulong start, ulong end) => AddPages(Of(c).Protected, vma, start, end);
    static void OnDiscard(void* c, VmArea* vma, ulong start, ulong end) => AddPages(Of(c).Discarded, vma, start, end);
    static void OnMove(void* c, ulong from, ulong to, ulong length) => Of(c).Moves.Add((from, to, length));

    public void Dispose() => _self.Free();
}
