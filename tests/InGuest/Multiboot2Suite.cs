// The Multiboot2 parser in the guest, on blocks built in stack memory: well-formed ones and the
// malformed ones of tests/Kernel.Tests/Multiboot2ParserTests.cs (the fuzz test stays on the
// host). Parses into its own BootInfo, never BootData's.
using Kernel.Boot.Multiboot2;
using Kernel.Diagnostics.Testing;

namespace Kernel.Tests.InGuest;

public static unsafe class Multiboot2Suite
{
    public const string Name = "multiboot";

    const int BlockBytes = 1024;

    // About 11 KiB: kept out of the stack frames.
    static BootInfo s_info;

    public static void Register(TestSuite suite)
    {
        suite.Add("full_block", &FullBlock);
        suite.Add("empty_block", &EmptyBlock);
        suite.Add("rsdp_new_wins", &RsdpNewWins);
        suite.Add("bad_magic", &BadMagic);
        suite.Add("misaligned_block", &MisalignedBlock);
        suite.Add("total_size_too_small", &TotalSizeTooSmall);
        suite.Add("total_size_past_available", &TotalSizePastAvailable);
        suite.Add("tag_overrun", &TagOverrun);
        suite.Add("missing_end_tag", &MissingEndTag);
        suite.Add("zero_size_tag", &ZeroSizeTag);
        suite.Add("bad_mmap_entry_size", &BadMmapEntrySize);
        suite.Add("module_end_before_start", &ModuleEndBeforeStart);
        suite.Add("bad_rsdp_checksum", &BadRsdpChecksum);
        suite.Add("bad_elf_entsize", &BadElfEntsize);
        suite.Add("bad_framebuffer", &BadFramebuffer);
    }

    static BootInfo* Info
    {
        get { fixed (BootInfo* p = &s_info) return p; }
    }

    /// <summary>Writes a block: header, tags (8-byte aligned), end tag, total_size.</summary>
    struct BlockWriter
    {
        public byte* Start;
        public int Length;
        int _capacity;
        int _tag;

        public BlockWriter(byte* start, int capacity)
        {
            Start = start;
            _capacity = capacity;
            for (int i = 0; i < capacity; i++)
                start[i] = 0;
            Length = 8;
            _tag = -1;
        }

        public void U8(byte v)
        {
            if (Length < _capacity)
                Start[Length] = v;
            Length++;
        }

        public void U16(uint v) { U8((byte)v); U8((byte)(v >> 8)); }
        public void U32(uint v) { U16(v & 0xFFFF); U16(v >> 16); }
        public void U64(ulong v) { U32((uint)v); U32((uint)(v >> 32)); }

        public void Text(string s)
        {
            for (int i = 0; i < s.Length; i++)
                U8((byte)s[i]);
            U8(0);
        }

        public void Begin(uint type)
        {
            _tag = Length;
            U32(type);
            U32(0);
        }

        /// <summary>Closes the tag: writes its size (or <paramref name="sizeOverride"/>) and pads.</summary>
        public void End(uint sizeOverride = 0)
        {
            uint size = sizeOverride != 0 ? sizeOverride : (uint)(Length - _tag);
            *(uint*)(Start + _tag + 4) = size;
            while ((Length & 7) != 0)
                U8(0);
        }

        public void EndTag()
        {
            Begin(Multiboot2Tag.End);
            End();
        }

        /// <summary>Writes total_size (the real length unless overridden); returns the length.</summary>
        public uint Finish(uint totalOverride = 0)
        {
            *(uint*)Start = totalOverride != 0 ? totalOverride : (uint)Length;
            return (uint)Length;
        }

        public void Rsdp(uint tag, uint rsdt, ulong xsdt, bool breakChecksum)
        {
            Begin(tag);
            int at = Length;
            Text("RSD PTR"); // 7 letters + NUL; the NUL becomes the signature's trailing space
            Start[at + 7] = (byte)' ';
            U8(0); // checksum, computed below
            for (int i = 0; i < 6; i++)
                U8((byte)'K'); // OEM id
            U8(tag == Multiboot2Tag.AcpiNew ? (byte)2 : (byte)0);
            U32(rsdt);
            if (tag == Multiboot2Tag.AcpiNew)
            {
                U32(36);
                U64(xsdt);
                U8(0);
                U8(0);
                U8(0);
                U8(0);
            }
            Start[at + 8] = (byte)(0 - RsdpCopy.Checksum(Start + at, 20));
            if (tag == Multiboot2Tag.AcpiNew)
            {
                Start[at + 32] = (byte)(0 - RsdpCopy.Checksum(Start + at, 36));
            }
            if (breakChecksum)
                Start[at + 16] ^= 1;
            End();
        }
    }

    static byte* AlignedBlock(byte* raw)
    {
        return (byte*)(((ulong)raw + 7) & ~7UL);
    }

    static Multiboot2Error Parse(ref BlockWriter w, uint total)
    {
        string message;
        Multiboot2Error e = Multiboot2Parser.Parse(Multiboot2Tag.BootloaderMagic, w.Start, total, Info, out message);
        KTest.Assert(e == Multiboot2Error.None || message.Length > 0, "an error comes with a message");
        return e;
    }

    static void ExpectError(Multiboot2Error expected, Multiboot2Error actual)
    {
        KTest.ExpectEqual((long)expected, (long)actual, "parser error");
        KTest.ExpectEqual((long)expected, (long)Info->Error, "BootInfo.Error");
    }

    static void FullBlock()
    {
        byte* raw = stackalloc byte[BlockBytes + 8];
        var w = new BlockWriter(AlignedBlock(raw), BlockBytes);
        w.Begin(Multiboot2Tag.CommandLine); w.Text("test=all init=\"/bin/sh\""); w.End();
        w.Begin(Multiboot2Tag.BootloaderName); w.Text("GRUB 2.06"); w.End();
        w.Begin(Multiboot2Tag.BasicMemInfo); w.U32(639); w.U32(261120); w.End();
        w.Begin(Multiboot2Tag.MemoryMap); w.U32(24); w.U32(0);
        w.U64(0); w.U64(0x9fc00); w.U32(1); w.U32(0);
        w.U64(0x100000); w.U64(0xfee0000); w.U32(1); w.U32(0);
        w.U64(0xffe0000); w.U64(0x20000); w.U32(3); w.U32(0);
        w.End();
        w.Begin(Multiboot2Tag.Module); w.U32(0x200000); w.U32(0x280000); w.Text("/boot/initrd.cpio"); w.End();
        w.Begin(Multiboot2Tag.Framebuffer); w.U64(0xfd000000); w.U32(4096); w.U32(1024); w.U32(768);
        w.U8(32); w.U8(1); w.U16(0); w.U8(16); w.U8(8); w.U8(8); w.U8(8); w.U8(0); w.U8(8); w.End();
        w.Begin(Multiboot2Tag.ElfSections); w.U32(2); w.U32(64); w.U32(1);
        for (int s = 0; s < 2; s++)
        {
            w.U32((uint)s * 8); w.U32(1); w.U64(6); w.U64(0xffffffff80000000UL + (ulong)s * 0x1000);
            w.U64(0); w.U64(0x1000); w.U32(0); w.U32(0); w.U64(16); w.U64(0);
        }
        w.End();
        w.Rsdp(Multiboot2Tag.AcpiOld, 0x7fe14d2, 0, false);
        w.Begin(Multiboot2Tag.LoadBaseAddress); w.U32(0x100000); w.End();
        w.Begin(Multiboot2Tag.Efi64SystemTable); w.U64(0x7f9e018); w.End();
        w.Begin(100); w.U32(5); w.End(); // unknown: skipped
        w.EndTag();
        KTest.Assert(w.Length <= BlockBytes, "test block fits its buffer");
        uint total = w.Finish();

        ExpectError(Multiboot2Error.None, Parse(ref w, total));
        BootInfo* i = Info;
        KTest.Assert(i->SawEndTag, "end tag seen");
        KTest.ExpectEqual(12L, (long)i->TagCount, "tags walked (11 + end)");
        KTest.ExpectEqual(1L, (long)i->UnknownTagCount, "unknown tags");
        byte* p;
        int n;
        i->GetCommandLine(out p, out n);
        KTest.ExpectBytes(p, n, "test=all init=\"/bin/sh\"", "command line");
        i->GetBootloaderName(out p, out n);
        KTest.ExpectBytes(p, n, "GRUB 2.06", "boot loader");
        KTest.ExpectEqual(261120UL, (ulong)i->MemUpperKiB, "mem_upper");
        KTest.ExpectEqual(3L, (long)i->MemoryRegionCount, "memory regions");
        MemoryRegion r;
        KTest.Assert(i->GetMemoryRegion(1, out r), "region 1");
        KTest.ExpectEqual(0x100000UL, r.Base, "region 1 base");
        KTest.ExpectEqual(0xfee0000UL, r.Length, "region 1 length");
        KTest.ExpectEqual(3UL, (ulong)i->MemoryRegionType[2], "region 2 type");
        uint ms, me;
        KTest.Assert(i->GetModule(0, out ms, out me, out p, out n), "module 0");
        KTest.ExpectEqual(0x280000UL, (ulong)me, "module end");
        KTest.ExpectBytes(p, n, "/boot/initrd.cpio", "module string");
        KTest.Assert(i->HasFramebuffer, "framebuffer");
        KTest.ExpectEqual(0xfd000000UL, i->FramebufferAddress, "framebuffer address");
        KTest.ExpectEqual(16L, (long)i->RedFieldPosition, "red position");
        ElfSectionHeader h;
        KTest.Assert(i->GetElfSection(1, out h), "section 1");
        KTest.ExpectEqual(0xffffffff80001000UL, h.Address, "section 1 address");
        KTest.ExpectEqual(16UL, h.AddressAlign, "section 1 alignment");
        KTest.Assert(i->HasRsdp, "RSDP");
        KTest.ExpectEqual(20L, (long)i->RsdpLength, "RSDP v1 length");
        KTest.ExpectEqual(0x7fe14d2UL, (ulong)i->RsdtAddress, "RSDT");
        KTest.ExpectEqual(0x100000UL, (ulong)i->LoadBaseAddress, "load base");
        KTest.ExpectEqual(0x7f9e018UL, i->Efi64SystemTable, "EFI system table");
    }

    static void EmptyBlock()
    {
        byte* raw = stackalloc byte[64];
        var w = new BlockWriter(AlignedBlock(raw), 48);
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.None, Parse(ref w, total));
        KTest.ExpectEqual(16UL, (ulong)Info->TotalSize, "total_size");
        KTest.Assert(!Info->HasFramebuffer && !Info->HasMemoryMap && !Info->HasCommandLine, "nothing present");
        KTest.ExpectEqual(0L, (long)Info->CommandLine[0], "empty command line string");
    }

    static void RsdpNewWins()
    {
        byte* raw = stackalloc byte[256];
        var w = new BlockWriter(AlignedBlock(raw), 240);
        w.Rsdp(Multiboot2Tag.AcpiNew, 0x1000, 0x2000, false);
        w.Rsdp(Multiboot2Tag.AcpiOld, 0x3000, 0, false);
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.None, Parse(ref w, total));
        KTest.ExpectEqual((ulong)Multiboot2Tag.AcpiNew, (ulong)Info->RsdpTag, "RSDP source tag");
        KTest.ExpectEqual(36L, (long)Info->RsdpLength, "RSDP length");
        KTest.ExpectEqual(0x2000UL, Info->XsdtAddress, "XSDT");
    }

    static void BadMagic()
    {
        byte* raw = stackalloc byte[64];
        var w = new BlockWriter(AlignedBlock(raw), 48);
        w.EndTag();
        uint total = w.Finish();
        string message;
        Multiboot2Error e = Multiboot2Parser.Parse(0x2BADB002, w.Start, total, Info, out message);
        ExpectError(Multiboot2Error.BadMagic, e);
        KTest.ExpectEqual(0L, (long)Info->TagCount, "nothing walked");
    }

    static void MisalignedBlock()
    {
        byte* raw = stackalloc byte[80];
        var w = new BlockWriter(AlignedBlock(raw) + 4, 48);
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.MisalignedBlock, Parse(ref w, total));
    }

    static void TotalSizeTooSmall()
    {
        byte* raw = stackalloc byte[64];
        var w = new BlockWriter(AlignedBlock(raw), 48);
        w.EndTag();
        w.Finish(8);
        ExpectError(Multiboot2Error.TooSmall, Parse(ref w, 16));
        ExpectError(Multiboot2Error.TooSmall, Parse(ref w, 4)); // header itself unreadable
    }

    static void TotalSizePastAvailable()
    {
        byte* raw = stackalloc byte[64];
        var w = new BlockWriter(AlignedBlock(raw), 48);
        w.Begin(Multiboot2Tag.LoadBaseAddress); w.U32(1); w.End();
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.TotalSizeTooLarge, Parse(ref w, total - 8));
        KTest.Assert(!Info->HasLoadBase, "nothing parsed");
    }

    static void TagOverrun()
    {
        byte* raw = stackalloc byte[128];
        var w = new BlockWriter(AlignedBlock(raw), 112);
        w.Begin(Multiboot2Tag.LoadBaseAddress); w.U32(1); w.End();
        w.Begin(Multiboot2Tag.CommandLine); w.Text("hi"); w.End(4000);
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.TagOverrun, Parse(ref w, total));
        KTest.ExpectEqual(24UL, (ulong)Info->ErrorOffset, "offset of the bad tag");
        KTest.Assert(Info->HasLoadBase, "tags before it are kept");
        KTest.Assert(!Info->HasCommandLine, "the bad tag is not used");
    }

    static void MissingEndTag()
    {
        byte* raw = stackalloc byte[64];
        var w = new BlockWriter(AlignedBlock(raw), 48);
        w.Begin(Multiboot2Tag.CommandLine); w.Text("quiet"); w.End();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.NoEndTag, Parse(ref w, total));
        KTest.Assert(Info->HasCommandLine, "what came before is kept");
        KTest.Assert(!Info->SawEndTag, "no end tag");
    }

    static void ZeroSizeTag()
    {
        byte* raw = stackalloc byte[64];
        var w = new BlockWriter(AlignedBlock(raw), 48);
        w.Begin(Multiboot2Tag.BootDevice); w.U32(0); w.U32(0); w.End(0xFFFFFFFF);
        *(uint*)(w.Start + 12) = 0; // size field of the first tag: 0
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.BadTagSize, Parse(ref w, total));
    }

    static void BadMmapEntrySize()
    {
        byte* raw = stackalloc byte[128];
        var w = new BlockWriter(AlignedBlock(raw), 112);
        w.Begin(Multiboot2Tag.MemoryMap); w.U32(0xFFFFFFF8); w.U32(0);
        w.U64(0); w.U64(0x1000); w.U32(1); w.U32(0);
        w.End();
        w.Begin(Multiboot2Tag.LoadBaseAddress); w.U32(7); w.End();
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.BadMemoryMap, Parse(ref w, total));
        KTest.Assert(!Info->HasMemoryMap, "bad map dropped");
        KTest.Assert(Info->SawEndTag && Info->HasLoadBase, "walk continued past the bad tag");

        *(uint*)(w.Start + 16) = 0; // entry_size 0
        ExpectError(Multiboot2Error.BadMemoryMap, Parse(ref w, total));
    }

    static void ModuleEndBeforeStart()
    {
        byte* raw = stackalloc byte[128];
        var w = new BlockWriter(AlignedBlock(raw), 112);
        w.Begin(Multiboot2Tag.Module); w.U32(0x200000); w.U32(0x100000); w.Text("bad"); w.End();
        w.Begin(Multiboot2Tag.Module); w.U32(1); w.U32(1); w.Text("ok"); w.End();
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.BadModule, Parse(ref w, total));
        KTest.ExpectEqual(1L, (long)Info->ModuleCount, "good module kept");
        KTest.ExpectEqual((long)Multiboot2Tag.Module, (long)Info->ErrorTagType, "error tag type");
    }

    static void BadRsdpChecksum()
    {
        byte* raw = stackalloc byte[128];
        var w = new BlockWriter(AlignedBlock(raw), 112);
        w.Rsdp(Multiboot2Tag.AcpiOld, 0x1000, 0, true);
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.BadRsdp, Parse(ref w, total));
        KTest.Assert(!Info->HasRsdp, "bad RSDP not kept");
    }

    static void BadElfEntsize()
    {
        byte* raw = stackalloc byte[192];
        var w = new BlockWriter(AlignedBlock(raw), 176);
        w.Begin(Multiboot2Tag.ElfSections); w.U32(2); w.U32(40); w.U32(0);
        for (int i = 0; i < 80; i++) w.U8(0);
        w.End();
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.BadElfSections, Parse(ref w, total));
        KTest.Assert(!Info->HasElfSections, "ELF32-sized sections rejected");

        *(uint*)(w.Start + 16) = 3;  // num
        *(uint*)(w.Start + 20) = 64; // entsize: 3 * 64 does not fit 80 bytes
        ExpectError(Multiboot2Error.BadElfSections, Parse(ref w, total));
    }

    static void BadFramebuffer()
    {
        byte* raw = stackalloc byte[128];
        var w = new BlockWriter(AlignedBlock(raw), 112);
        // RGB type but the tag stops before the colour fields.
        w.Begin(Multiboot2Tag.Framebuffer); w.U64(0xfd000000); w.U32(4096); w.U32(1024); w.U32(768);
        w.U8(32); w.U8(1); w.U16(0); w.End();
        w.EndTag();
        uint total = w.Finish();
        ExpectError(Multiboot2Error.BadFramebuffer, Parse(ref w, total));
        KTest.Assert(!Info->HasFramebuffer, "framebuffer dropped");
    }
}
