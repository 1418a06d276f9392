// Platform-neutral shared source (kernel and host tests).
// memblock as text, laid out like Linux's memblock debug output (memblock=debug):
//   MEMBLOCK configuration:
//    memory size = 0x000000000ff7e000 reserved size = 0x0000000000a3c000 free size = 0x...
//    memory.cnt  = 0x3
//    memory[0x0]	[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes
//    ...
//    reserved.cnt  = 0x2
//    reserved[0x0]	[...]
// Ends are inclusive, as Linux prints them. A remembered overflow adds a last "status:" line.
using Kernel.Diagnostics;

namespace Kernel.Memory.Physical;

public unsafe partial struct Memblock
{
    public void Dump(ref TextBuilder text)
    {
        text.Append("MEMBLOCK configuration:\n memory size = 0x");
        text.AppendHex(MemoryBytes, 16);
        text.Append(" reserved size = 0x");
        text.AppendHex(ReservedBytes, 16);
        text.Append(" free size = 0x");
        text.AppendHex(FreeBytes, 16);
        text.Append('\n');
        DumpArray(ref text, ref Memory, "memory");
        DumpArray(ref text, ref Reserved, "reserved");
        if (_sticky != MemblockStatus.Ok)
        {
            text.Append(" status: ");
            text.Append(Describe(_sticky));
            text.Append('\n');
        }
    }

    static void DumpArray(ref TextBuilder text, ref MemblockRegionArray array, string name)
    {
        text.Append(' ');
        text.Append(name);
        text.Append(".cnt  = 0x");
        text.AppendHex((ulong)array.Count, 1);
        text.Append('\n');
        for (int i = 0; i < array.Count; i++)
        {
            text.Append(' ');
            text.Append(name);
            text.Append("[0x");
            text.AppendHex((ulong)i, 1);
            text.Append("]\t[0x");
            text.AppendHex(array.Base(i), 16);
            text.Append("-0x");
            text.AppendHex(array.End(i) - 1, 16);
            text.Append("], 0x");
            text.AppendHex(array.Size(i), 16);
            text.Append(" bytes\n");
        }
    }
}
