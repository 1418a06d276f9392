// Platform-neutral shared source (kernel and host tests).
// What the slab allocator found wrong, counted per cache and handed to a hook (the kernel logs
// it, host tests collect it). Nothing here panics: a bad free is refused, a corrupt slab is
// fenced off, and the caller goes on.
using Kernel.Diagnostics;

namespace Kernel.Memory.Slab;

public enum SlabError
{
    None = 0,
    /// <summary>A byte of a free object's poison changed: written after free (P).</summary>
    WriteAfterFree,
    /// <summary>The red zone after the object changed: written past the end (Z).</summary>
    WritePastEnd,
    /// <summary>The red zone before the object changed (Z).</summary>
    WriteBeforeStart,
    /// <summary>The object is already free.</summary>
    DoubleFree,
    /// <summary>The pointer is not in any slab or kmalloc block.</summary>
    ForeignPointer,
    /// <summary>The pointer is inside a slab but not at the start of an object.</summary>
    NotObjectStart,
    /// <summary>kmem_cache_free named another cache than the one owning the object.</summary>
    WrongCache,
    /// <summary>A free pointer decoded to an address that is not a free object of its slab.</summary>
    FreePointerCorrupt,
    /// <summary>Padding after the metadata changed (P).</summary>
    PaddingOverwritten,
    /// <summary>destroy found an object still allocated.</summary>
    Leaked,
}

/// <summary>Alloc/free owner record (U): return addresses, innermost first, and the CPU.</summary>
public unsafe struct SlabTrack
{
    public const int Depth = 4;
    public fixed ulong Callers[Depth];
    public uint Cpu;
    public uint Count;      // addresses captured; 0 = never recorded
}

public unsafe struct SlabReport
{
    public SlabError Kind;
    public SlabCache* Cache;
    /// <summary>The object's address (for a foreign pointer: the pointer).</summary>
    public ulong Object;
    /// <summary>Offset of the first bad byte from the object start, or -1.</summary>
    public long Offset;
    public byte Found, Expected;
    /// <summary>Owner records when the cache stores users (U), else null.</summary>
    public SlabTrack* Allocated, Freed;

    public static string Describe(SlabError e)
    {
        switch (e)
        {
            case SlabError.WriteAfterFree: return "write after free (poison overwritten)";
            case SlabError.WritePastEnd: return "write past the end of the object (red zone overwritten)";
            case SlabError.WriteBeforeStart: return "write before the start of the object (left red zone overwritten)";
            case SlabError.DoubleFree: return "double free";
            case SlabError.ForeignPointer: return "free of a pointer the allocator never returned";
            case SlabError.NotObjectStart: return "free of a pointer inside an object, not at its start";
            case SlabError.WrongCache: return "free to a cache that does not own the object";
            case SlabError.FreePointerCorrupt: return "free pointer corrupted (slab fenced off)";
            case SlabError.PaddingOverwritten: return "padding overwritten";
            case SlabError.Leaked: return "object still allocated when its cache was destroyed";
            default: return "no error";
        }
    }

    /// <summary>"slab: BUG cache: what, object X (byte +n is 0x.., expected 0x..)" plus owner lines.
    /// <paramref name="appendOwner"/> turns a track into text (kernel: C# method names); null = hex.</summary>
    public static void Write(ref TextBuilder t, SlabReport* r, delegate*<ref TextBuilder, SlabTrack*, void> appendOwner)
    {
        t.Append("slab: BUG ");
        if (r->Cache != null)
            t.AppendBytes(r->Cache->NameBytes, r->Cache->NameLength);
        else
            t.Append("kmalloc");
        t.Append(": ");
        t.Append(Describe(r->Kind));
        t.Append(", object 0x");
        t.AppendHex(r->Object, 16);
        if (r->Offset >= 0)
        {
            t.Append(" (byte +");
            t.AppendDecimal(r->Offset);
            t.Append(" is 0x");
            t.AppendHex(r->Found, 2);
            t.Append(", expected 0x");
            t.AppendHex(r->Expected, 2);
            t.Append(')');
        }
        t.Append('\n');
        AppendTrack(ref t, "allocated by ", r->Allocated, appendOwner);
        AppendTrack(ref t, "freed by ", r->Freed, appendOwner);
    }

    static void AppendTrack(ref TextBuilder t, string what, SlabTrack* track, delegate*<ref TextBuilder, SlabTrack*, void> appendOwner)
    {
        if (track == null || track->Count == 0)
            return;
        t.Append("  ");
        t.Append(what);
        if (appendOwner != null)
        {
            appendOwner(ref t, track);
        }
        else
        {
            t.Append("0x");
            t.AppendHex(track->Callers[0], 16);
        }
        t.Append(" on cpu ");
        t.AppendDecimal((ulong)track->Cpu);
        t.Append('\n');
    }
}
