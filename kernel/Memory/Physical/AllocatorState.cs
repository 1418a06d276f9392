// Platform-neutral shared source (kernel and host tests).
// The allocator's settings and event counters. Lives in the metadata block (not in the
// BuddyAllocator value) so that copies of the BuddyAllocator handle share one state.
namespace Kernel.Memory.Physical;

public unsafe struct AllocatorState
{
    /// <summary>Slots in <see cref="FreeErrors"/>: one per <see cref="FreeStatus"/> value.</summary>
    public const int ErrorKinds = 8;

    // Settings.
    /// <summary>Fill freed frames with <see cref="PagePoison.Pattern"/>, check and zero them
    /// on allocation (Linux page poisoning / init_on_free).</summary>
    public bool PoisonOnFree;
    /// <summary>True once any frame was poisoned: allocation must then look at Poisoned bits.</summary>
    public bool PoisonUsed;
    /// <summary>Per-CPU batch/high set by hand (SetPerCpuLimits): AddFreeRange leaves them.</summary>
    public bool PerCpuLimitsFixed;

    // Events.
    /// <summary>Rejected frees per <see cref="FreeStatus"/> (index 0 unused).</summary>
    public fixed ulong FreeErrors[ErrorKinds];
    public FreeStatus LastError;
    public ulong LastErrorPfn;
    /// <summary>Allocations that found no memory in any allowed zone.</summary>
    public ulong AllocationFailures;
    /// <summary>Poisoned frames found modified on allocation (a write after free).</summary>
    public ulong PoisonCorruptions;
    public ulong LastPoisonPfn;
    /// <summary>Per-CPU refills and drains (each moves up to one batch).</summary>
    public ulong PerCpuRefills;
    public ulong PerCpuDrains;

    public ulong TotalFreeErrors
    {
        get
        {
            ulong n = 0;
            for (int i = 1; i < ErrorKinds; i++)
                n += FreeErrors[i];
            return n;
        }
    }
}
