using System.Collections.Generic;
using Kernel.Memory.Physical;
using Xunit;

namespace Kernel.Tests.Memory.Physical;

/// <summary>Taking every frame of a QEMU-like 256 MiB map (no Normal zone) through the per-CPU
/// fast path, as the in-guest buddy suite does: exhaustion answers 0, and all comes back.</summary>
public unsafe class ExhaustionTests
{
    [Fact]
    public void EveryFrameThenZeroThenAllBack()
    {
        using var f = BuddyFixture.AllFree((0x1000, 0x9f000), (0x100000, 0xffe0000));
        ulong free = f.A.FreeFrames;
        var taken = new List<ulong>();
        for (int guard = 0; guard < 100000; guard++)
        {
            ulong page = f.A.AllocatePage();
            if (page == 0) break;
            taken.Add(page);
        }
        Assert.Equal(free, (ulong)taken.Count);
        Assert.Equal(0UL, f.A.AllocatePage());
        foreach (ulong page in taken) Assert.True(f.A.FreePage(page).IsOk);
        f.A.DrainAllPerCpu();
        Assert.Equal(free, f.A.FreeFrames);
        Assert.True(f.A.CheckInvariants().IsOk);
    }
}
