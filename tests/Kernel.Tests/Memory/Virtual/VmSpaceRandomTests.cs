using System;
using System.Collections.Generic;
using System.Linq;
using Kernel.Memory.Virtual;
using Kernel.Syscalls;
using Xunit;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>Long seeded runs of mmap / munmap / mprotect / brk / mremap / madvise on a small
/// address space, each step checked against the page-granular model: same result, same VMAs
/// (the model's maximal runs), the page layer told about exactly the pages that changed, and
/// the full invariant check (tree, gaps, merging, page total).</summary>
public sealed unsafe class VmSpaceRandomTests
{
    const ulong Page = 4096;
    const ulong MinAddr = 16 * Page;
    const ulong TaskSize = 640 * Page;
    const ulong MmapBase = 600 * Page;
    const ulong Guard = 4 * Page;

    [Theory]
    [InlineData(11, 40_000)]
    [InlineData(12, 40_000)]
    [InlineData(13, 40_000)]
    public void RandomOperationsMatchThePageModel(int seed, int steps)
    {
        using var nodes = new HostVmaNodes();
        using var log = new PageOpsLog();
        VmSpace* space = (VmSpace*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)sizeof(VmSpace));
        try
        {
            space->Initialize(nodes.Allocator, log.Ops);
            space->Tree.Initialize(nodes.Allocator, Guard);
            space->TaskSize = TaskSize;
            space->MmapMinAddr = MinAddr;
            space->MmapBase = MmapBase;
            space->StartBrk = space->Brk = 40 * Page;
            var model = new VmSpaceModel(MinAddr, TaskSize, MmapBase, Guard) { StartBrk = 40 * Page, Brk = 40 * Page };
            var rng = new Random(seed);
            var outcomes = new Dictionary<string, int>();
            int maxCount = 0;
            for (int step = 0; step < steps; step++)
            {
                string op = "";
                try
                {
                    log.Clear();
                    model.Unmapped.Clear();
                    model.Protected.Clear();
                    op = Step(space, model, rng);
                    string key = op.Substring(0, Math.Max(0, op.IndexOf('('))) + (op.Contains("= -") ? " err" : " ok");
                    outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
                    maxCount = Math.Max(maxCount, space->MapCount);
                    Assert.Equal(model.Unmapped.OrderBy(x => x), log.Unmapped.OrderBy(x => x));
                    Assert.Equal(model.Protected.OrderBy(x => x), log.Protected.OrderBy(x => x));
                    Check(space, model);
                }
                catch (Exception ex) when (ex is not TestFailureException)
                {
                    throw new TestFailureException($"seed {seed} step {step} op {op}: {ex.Message}", ex);
                }
            }
            // The run must have exercised every operation both ways, on a busy address space.
            foreach (var name in new[] { "mmap ok", "mmap err", "munmap ok", "mprotect ok", "mprotect err", "brk ok", "mremap ok", "mremap err", "madvise ok", "madvise err" })
                Assert.True(outcomes.GetValueOrDefault(name) > steps / 400, $"{name}: {outcomes.GetValueOrDefault(name)} ({string.Join(", ", outcomes)})");
            Assert.True(maxCount >= 20, $"at most {maxCount} VMAs");
            space->Destroy();
            Assert.Equal(0, nodes.Live);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(space);
        }
    }

    static ulong RandomAddress(Random rng) => (ulong)rng.Next(0, (int)(TaskSize / Page) + 8) * Page;
    static ulong RandomLength(Random rng) => rng.Next(4) == 0 ? (ulong)rng.Next(1, 40) * Page : (ulong)rng.Next(1, 8) * Page - (ulong)rng.Next(2) * 100;
    static int RandomProt(Random rng) => rng.Next(8) == 0 ? Prot.None : new[] { Prot.Read, Prot.Read | Prot.Write, Prot.Read | Prot.Exec }[rng.Next(3)];

    static string Step(VmSpace* space, VmSpaceModel model, Random rng)
    {
        int kind = rng.Next(100);
        if (kind < 30)
        {
            ulong hint = rng.Next(3) == 0 ? 0 : RandomAddress(rng);
            ulong length = RandomLength(rng);
            int prot = RandomProt(rng);
            int type = rng.Next(6) == 0 ? MapFlags.Shared : MapFlags.Private;
            int flags = type;
            int fixedKind = rng.Next(4);
            if (fixedKind == 1) flags |= MapFlags.Fixed;
            if (fixedKind == 2) flags |= MapFlags.FixedNoReplace;
            bool anonymous = type == MapFlags.Shared || rng.Next(5) != 0;
            if (anonymous) flags |= MapFlags.Anonymous;
            if (anonymous && type == MapFlags.Private && rng.Next(10) == 0) flags |= MapFlags.GrowsDown;
            if (rng.Next(10) == 0) flags |= MapFlags.NoReserve;
            if (fixedKind != 0 && (hint < MinAddr || hint + Page * 40 > TaskSize)) hint = MinAddr + (ulong)rng.Next(500) * Page;
            VmFile file = new VmFile { Handle = (ulong)rng.Next(1, 4), Inode = 7, Device = 3, Readable = true };
            ulong offset = (ulong)rng.Next(8) * Page;
            long got = space->Mmap(hint, length, prot, flags, anonymous ? null : &file, offset);
            long want = model.Mmap(hint, length, prot, flags, anonymous ? 0 : file.Handle, offset,
                a => space->Tree.FindContaining(a)->File);
            Assert.Equal(want, got);
            return $"mmap({hint:x}, {length:x}, {prot}, {flags:x}) = {Show(got)}";
        }
        if (kind < 50)
        {
            ulong start = RandomAddress(rng), length = RandomLength(rng);
            int got = space->Munmap(start, length);
            if (got == 0) model.Unmap(start, start + ((length + Page - 1) & ~(Page - 1)));
            Assert.Equal(start + length > TaskSize ? -Errno.EINVAL : 0, got);
            return $"munmap({start:x}, {length:x}) = {got}";
        }
        if (kind < 72)
        {
            ulong start = RandomAddress(rng), length = RandomLength(rng);
            int prot = RandomProt(rng);
            int got = space->Mprotect(start, length, prot);
            Assert.Equal(model.Mprotect(start, length, prot), got);
            return $"mprotect({start:x}, {length:x}, {prot}) = {got}";
        }
        if (kind < 82)
        {
            ulong requested = model.StartBrk + (ulong)rng.Next(-4, 60) * Page + (ulong)rng.Next(3) * 1000;
            ulong got = space->SetBrk(requested);
            Assert.Equal(model.SetBrk(requested), got);
            Assert.Equal(model.Brk, space->Brk);
            return $"brk({requested:x}) = {got:x}";
        }
        if (kind < 95)
        {
            VmArea* some = space->Tree.Find(RandomAddress(rng));
            if (some == null) return "mremap skipped";
            ulong old = some->Start + (ulong)rng.Next((int)(some->Pages)) * Page;
            ulong oldLength = (ulong)rng.Next(0, 6) * Page;
            ulong newLength = (ulong)rng.Next(1, 10) * Page;
            int flags = 0;
            ulong target = 0;
            switch (rng.Next(5))
            {
                case 0: break;
                case 1: flags = RemapFlags.MayMove; break;
                case 2: flags = RemapFlags.MayMove; break;
                case 3: flags = RemapFlags.MayMove | RemapFlags.Fixed; target = MinAddr + (ulong)rng.Next(560) * Page; break;
                case 4: flags = RemapFlags.MayMove | RemapFlags.DontUnmap; newLength = oldLength == 0 ? Page : oldLength; oldLength = newLength; target = RandomAddress(rng) % (TaskSize - newLength); break;
            }
            long got = space->Mremap(old, oldLength, newLength, flags, target);
            long want = model.Mremap(old, oldLength, newLength, flags, target);
            Assert.Equal(want, got);
            return $"mremap({old:x}, {oldLength:x}, {newLength:x}, {flags}, {target:x}) = {Show(got)}";
        }
        {
            ulong start = RandomAddress(rng), length = RandomLength(rng);
            int got = space->Madvise(start, length, Advice.DontNeed);
            Assert.Equal(start + length > TaskSize ? -Errno.ENOMEM : model.Madvise(start, length), got);
            return $"madvise({start:x}, {length:x}) = {got}";
        }
    }

    static string Show(long result) => result < 0 ? result.ToString() : result.ToString("x");

    static void Check(VmSpace* space, VmSpaceModel model)
    {
        VmaViolation v = space->Validate(out ulong where);
        Assert.True(v == VmaViolation.None, $"{v} at 0x{where:x}");
        var areas = model.Areas();
        Assert.Equal(areas.Count, space->MapCount);
        VmArea* a = space->Tree.First;
        ulong pages = 0;
        foreach (var (start, end, first) in areas)
        {
            Assert.Equal((start, end), (a->Start, a->End));
            Assert.Equal(first.Prot, a->Protection);
            Assert.Equal(first.Flags, a->Flags);
            Assert.Equal(first.File, a->File);
            if (first.File != 0) Assert.Equal(first.Offset * Page, a->FileOffset);
            pages += (end - start) / Page;
            a = a->Next;
        }
        Assert.Equal(pages, space->TotalPages);
    }
}
