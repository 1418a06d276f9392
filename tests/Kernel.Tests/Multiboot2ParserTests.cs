using System;
using System.Text;
using Kernel.Boot.Multiboot2;
using Kernel.Tests.Support;
using Xunit;
using B = Kernel.Tests.Support.Multiboot2BlockBuilder;

namespace Kernel.Tests;

public unsafe class Multiboot2ParserTests
{
    static B.Region R(ulong b, ulong l, uint t) => new B.Region(b, l, t);

    static byte[] Minimal(Action<B> tags)
    {
        var b = new B();
        tags(b);
        return b.End().Build();
    }

    // ---- Well-formed blocks ---------------------------------------------------------------

    [Fact]
    public void FullBlockParsesEveryTag()
    {
        using var p = ParsedBlock.Parse(B.Full());
        var i = p.Info;
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.Equal("", p.Message);
        Assert.True(i->SawEndTag);
        Assert.Equal(0, i->TagErrorCount);
        Assert.Equal(14, i->TagCount); // 13 tags + end
        Assert.Equal(1, i->UnknownTagCount);
        Assert.Equal((uint)B.Full().Length, i->TotalSize);

        i->GetCommandLine(out byte* cl, out int cln);
        Assert.Equal("test=all loglevel=7 init=\"/bin/sh -c echo\"", ParsedBlock.Ascii(cl, cln));
        Assert.Equal(0, cl[cln]);
        i->GetBootloaderName(out byte* ln, out int lnn);
        Assert.Equal("GRUB 2.06", ParsedBlock.Ascii(ln, lnn));

        Assert.True(i->HasBasicMemInfo);
        Assert.Equal(639u, i->MemLowerKiB);
        Assert.Equal(261120u, i->MemUpperKiB);

        Assert.True(i->HasMemoryMap);
        Assert.Equal(5, i->MemoryRegionCount);
        Assert.True(i->GetMemoryRegion(3, out MemoryRegion r));
        Assert.Equal(0x100000UL, r.Base);
        Assert.Equal(0xfee0000UL, r.Length);
        Assert.Equal(Multiboot2MemoryType.Available, r.Type);
        Assert.True(i->GetMemoryRegion(4, out r));
        Assert.Equal(Multiboot2MemoryType.AcpiReclaimable, r.Type);
        Assert.False(i->GetMemoryRegion(5, out _));

        Assert.Equal(2, i->ModuleCount);
        Assert.True(i->GetModule(0, out uint ms, out uint me, out byte* mt, out int mtn));
        Assert.Equal(0x200000u, ms);
        Assert.Equal(0x280000u, me);
        Assert.Equal("/boot/initrd.cpio", ParsedBlock.Ascii(mt, mtn));
        Assert.True(i->GetModule(1, out _, out _, out mt, out mtn));
        Assert.Equal("extra arg", ParsedBlock.Ascii(mt, mtn));

        Assert.True(i->HasFramebuffer);
        Assert.Equal(Multiboot2FramebufferType.Rgb, i->FramebufferType);
        Assert.Equal(0xfd000000UL, i->FramebufferAddress);
        Assert.Equal(4096u, i->FramebufferPitch);
        Assert.Equal(1024u, i->FramebufferWidth);
        Assert.Equal(768u, i->FramebufferHeight);
        Assert.Equal(32, i->FramebufferBpp);
        Assert.Equal(16, i->RedFieldPosition);
        Assert.Equal(8, i->GreenFieldPosition);
        Assert.Equal(0, i->BlueFieldPosition);
        Assert.Equal(8, i->BlueMaskSize);

        Assert.True(i->HasElfSections);
        Assert.Equal(5, i->ElfSectionCount);
        Assert.Equal(1u, i->ElfStringTableIndex);
        Assert.True(i->GetElfSection(2, out ElfSectionHeader h));
        Assert.Equal(16u, h.Name);
        Assert.Equal(0xffffffff80002000UL, h.Address);
        Assert.Equal(0x2000UL, h.Offset);
        Assert.Equal(0x1000UL, h.Size);
        Assert.Equal(16UL, h.AddressAlign);

        Assert.True(i->HasRsdp);
        Assert.Equal(Multiboot2Tag.AcpiNew, i->RsdpTag); // v2 copy wins over v1
        Assert.Equal(36, i->RsdpLength);
        Assert.Equal(2, i->RsdpRevision);
        Assert.Equal(0x7fe14d2u, i->RsdtAddress);
        Assert.Equal(0x7fe1500UL, i->XsdtAddress);
        Assert.True(i->HasTag(Multiboot2Tag.AcpiOld));
        Assert.True(i->HasTag(Multiboot2Tag.AcpiNew));

        Assert.True(i->HasLoadBase);
        Assert.Equal(0x100000u, i->LoadBaseAddress);
        Assert.True(i->HasEfi64SystemTable);
        Assert.Equal(0x7f9e018UL, i->Efi64SystemTable);
        Assert.False(i->HasEfi32SystemTable);
        Assert.False(i->HasTag(Multiboot2Tag.Efi32SystemTable));
        Assert.True(i->HasTag(Multiboot2Tag.End));
    }

    [Fact]
    public void EmptyBlockIsValidAndHasNothing()
    {
        using var p = ParsedBlock.Parse(Minimal(_ => { }));
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.Equal(16u, p.Info->TotalSize);
        Assert.Equal(1, p.Info->TagCount);
        Assert.False(p.Info->HasCommandLine);
        Assert.False(p.Info->HasFramebuffer); // text-mode boot: fine
        Assert.False(p.Info->HasMemoryMap);
        Assert.False(p.Info->HasRsdp);
        Assert.Equal(0, p.Info->CommandLineLength);
        Assert.Equal(0, p.Info->CommandLine[0]);
    }

    [Fact]
    public void OldRsdpAloneAndEfi32()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.AcpiOld(B.RsdpV1(0xE0000)).Efi32(0x1234)));
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.True(p.Info->HasRsdp);
        Assert.Equal(Multiboot2Tag.AcpiOld, p.Info->RsdpTag);
        Assert.Equal(20, p.Info->RsdpLength);
        Assert.Equal(0xE0000u, p.Info->RsdtAddress);
        Assert.Equal(0UL, p.Info->XsdtAddress);
        p.Info->GetRsdp(out byte* rsdp, out int n);
        Assert.Equal("RSD PTR ", ParsedBlock.Ascii(rsdp, 8));
        Assert.Equal(0, RsdpCopy.Checksum(rsdp, n));
        Assert.True(p.Info->HasEfi32SystemTable);
        Assert.Equal(0x1234u, p.Info->Efi32SystemTable);
    }

    [Fact]
    public void NewRsdpBeforeOldStillWins()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.AcpiNew(B.RsdpV2(1, 2)).AcpiOld(B.RsdpV1(3))));
        Assert.Equal(Multiboot2Tag.AcpiNew, p.Info->RsdpTag);
        Assert.Equal(1u, p.Info->RsdtAddress);
    }

    [Fact]
    public void IndexedAndEgaFramebuffers()
    {
        using (var p = ParsedBlock.Parse(Minimal(b => b.FramebufferIndexed(0xa0000, 320, 320, 200, 8, 16))))
        {
            Assert.Equal(Multiboot2Error.None, p.Error);
            Assert.Equal(Multiboot2FramebufferType.Indexed, p.Info->FramebufferType);
            Assert.Equal(16, p.Info->PaletteColorCount);
        }
        using (var p = ParsedBlock.Parse(Minimal(b => b.FramebufferEgaText())))
        {
            Assert.Equal(Multiboot2Error.None, p.Error);
            Assert.Equal(Multiboot2FramebufferType.EgaText, p.Info->FramebufferType);
            Assert.Equal(80u, p.Info->FramebufferWidth);
        }
    }

    [Fact]
    public void LongStringsAreTruncatedAndTerminated()
    {
        string longLine = new string('c', 1500);
        string longName = new string('n', 100);
        string longMod = new string('m', 300);
        using var p = ParsedBlock.Parse(Minimal(b => b.CommandLine(longLine).BootloaderName(longName).Module(1, 2, longMod)));
        var i = p.Info;
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.True(i->CommandLineTruncated);
        Assert.Equal(BootInfo.MaxCommandLine, i->CommandLineLength);
        Assert.Equal(0, i->CommandLine[BootInfo.MaxCommandLine]);
        Assert.True(i->BootloaderNameTruncated);
        Assert.Equal(BootInfo.MaxBootloaderName, i->BootloaderNameLength);
        Assert.True(i->ModuleStringTruncated);
        Assert.True(i->GetModule(0, out _, out _, out byte* t, out int n));
        Assert.Equal(BootInfo.MaxModuleString, n);
        Assert.Equal(0, t[n]);
    }

    [Fact]
    public void StringWithoutNulEndsAtTagEnd()
    {
        var b = new B();
        b.Tag(Multiboot2Tag.CommandLine, Encoding.ASCII.GetBytes("quiet")); // no NUL
        using var p = ParsedBlock.Parse(b.End().Build());
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.Equal(5, p.Info->CommandLineLength);
    }

    [Fact]
    public void MemoryMapOverCapacityIsTruncatedNotSilent()
    {
        var regions = new B.Region[200];
        for (int k = 0; k < regions.Length; k++) regions[k] = R((ulong)k << 20, 1 << 20, 1);
        using var p = ParsedBlock.Parse(Minimal(b => b.MemoryMap(regions)));
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.True(p.Info->MemoryMapTruncated);
        Assert.Equal(BootInfo.MaxMemoryRegions, p.Info->MemoryRegionCount);
        Assert.Equal(200, p.Info->MemoryMapEntriesInTag);
        Assert.True(p.Info->GetMemoryRegion(127, out var last));
        Assert.Equal(127UL << 20, last.Base);
    }

    [Fact]
    public void MemoryMapWithLargerEntriesAndNewerVersion()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.MemoryMap(32, 1, R(0x1000, 0x2000, 1), R(0x100000, 0x300000, 4))));
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.Equal(32u, p.Info->MemoryMapEntrySize);
        Assert.Equal(1u, p.Info->MemoryMapEntryVersion);
        Assert.True(p.Info->GetMemoryRegion(1, out var r));
        Assert.Equal(0x100000UL, r.Base);
        Assert.Equal(Multiboot2MemoryType.AcpiNvs, r.Type);
    }

    [Fact]
    public void MoreThanSixteenModulesAreCounted()
    {
        using var p = ParsedBlock.Parse(Minimal(b => { for (uint k = 0; k < 20; k++) b.Module(k * 0x1000, k * 0x1000 + 0x800, "m"); }));
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.Equal(BootInfo.MaxModules, p.Info->ModuleCount);
        Assert.Equal(4, p.Info->ModulesDropped);
        Assert.False(p.Info->GetModule(16, out _, out _, out _, out _));
    }

    [Fact]
    public void MoreThanSixtyFourElfSectionsAreTruncated()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.ElfSections(70)));
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.True(p.Info->ElfSectionsTruncated);
        Assert.Equal(70u, p.Info->ElfSectionCountInTag);
        Assert.Equal(BootInfo.MaxElfSections, p.Info->ElfSectionCount);
        Assert.True(p.Info->GetElfSection(63, out var h));
        Assert.Equal(63u * 8, h.Name);
    }

    [Fact]
    public void DuplicateSingleTagsKeepTheFirst()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.CommandLine("first").CommandLine("second").LoadBase(1).LoadBase(2)));
        Assert.Equal(Multiboot2Error.None, p.Error);
        Assert.Equal(2, p.Info->DuplicateTagCount);
        Assert.Equal("first", ParsedBlock.Ascii(p.Info->CommandLine, p.Info->CommandLineLength));
        Assert.Equal(1u, p.Info->LoadBaseAddress);
    }

    [Fact]
    public void TrailingBytesAfterEndTagAreIgnored()
    {
        var b = new B().CommandLine("x").End();
        b.Raw(new byte[16]);
        using var p = ParsedBlock.Parse(b.Build());
        Assert.Equal(Multiboot2Error.None, p.Error);
    }

    // ---- Structural errors -----------------------------------------------------------------

    static void AssertError(ParsedBlock p, Multiboot2Error expected)
    {
        Assert.Equal(expected, p.Error);
        Assert.Equal(expected, p.Info->Error);
        Assert.False(string.IsNullOrEmpty(p.Message), "an error needs a message");
        Assert.Equal(Multiboot2Errors.IsStructural(expected), !p.Info->SawEndTag || p.Info->TagErrorCount == 0);
    }

    [Fact]
    public void BadMagic()
    {
        using var p = ParsedBlock.Parse(B.Full(), magic: 0x2BADB002); // Multiboot1's magic
        AssertError(p, Multiboot2Error.BadMagic);
        Assert.Equal(0u, p.Info->TotalSize); // nothing read
        Assert.Equal(0, p.Info->TagCount);
    }

    [Fact]
    public void NullPointers()
    {
        var info = new NativeBuffer(sizeof(BootInfo));
        try
        {
            Assert.Equal(Multiboot2Error.NullPointer, Multiboot2Parser.Parse(B.Magic, null, 100, (BootInfo*)info.Pointer, out string m));
            Assert.NotEmpty(m);
            fixed (byte* blk = B.Full())
                Assert.Equal(Multiboot2Error.NullPointer, Multiboot2Parser.Parse(B.Magic, blk, 100, null, out m));
        }
        finally { info.Dispose(); }
    }

    [Fact]
    public void MisalignedBlock()
    {
        using var p = ParsedBlock.Parse(B.Full(), misalign: 4);
        AssertError(p, Multiboot2Error.MisalignedBlock);
        using var ok = ParsedBlock.Parse(B.Full(), misalign: 8);
        Assert.Equal(Multiboot2Error.None, ok.Error);
    }

    [Fact]
    public void TotalSizeBelowSixteen()
    {
        byte[] blk = Minimal(_ => { });
        using var p = ParsedBlock.Parse(blk.AsSpan(0, 8).ToArray().Also(a => a[0] = 8));
        AssertError(p, Multiboot2Error.TooSmall);
        Assert.Equal(8u, p.Info->TotalSize);
        using var z = ParsedBlock.Parse(new B().Build(totalSizeOverride: 0));
        AssertError(z, Multiboot2Error.TooSmall);
    }

    [Fact]
    public void AvailableBelowHeader()
    {
        using var p = ParsedBlock.Parse(Minimal(_ => { }), available: 4);
        AssertError(p, Multiboot2Error.TooSmall);
        Assert.Equal(0u, p.Info->TotalSize);
    }

    [Fact]
    public void TotalSizeLargerThanAvailable()
    {
        byte[] blk = B.Full();
        using var p = ParsedBlock.Parse(blk, available: (ulong)blk.Length - 8);
        AssertError(p, Multiboot2Error.TotalSizeTooLarge);
        Assert.Equal(0, p.Info->TagCount);
        using var huge = ParsedBlock.Parse(new B().End().Build(totalSizeOverride: 0xFFFFFFF8));
        AssertError(huge, Multiboot2Error.TotalSizeTooLarge);
    }

    [Fact]
    public void TruncatedTotalSizeLosesEndTag()
    {
        byte[] full = B.Full();
        // total_size cuts the block right before the end tag.
        byte[] blk = (byte[])full.Clone();
        BitConverter.GetBytes((uint)(full.Length - 8)).CopyTo(blk, 0);
        using var p = ParsedBlock.Parse(blk);
        AssertError(p, Multiboot2Error.NoEndTag);
        Assert.True(p.Info->HasMemoryMap); // what was parsed before the error stays
        Assert.True(p.Info->HasCommandLine);
        Assert.Equal((uint)(full.Length - 8), p.Info->ErrorOffset);
    }

    [Fact]
    public void TotalSizeCutsATag()
    {
        var b = new B().CommandLine("abc");
        int mm = b.Length;
        b.MemoryMap(R(0, 0x1000, 1), R(0x1000, 0x1000, 1)).End();
        byte[] blk = b.Build(totalSizeOverride: (uint)(mm + 24));
        using var p = ParsedBlock.Parse(blk);
        AssertError(p, Multiboot2Error.TagOverrun);
        Assert.Equal((uint)mm, p.Info->ErrorOffset);
        Assert.Equal(Multiboot2Tag.MemoryMap, p.Info->ErrorTagType);
        Assert.True(p.Info->HasCommandLine);
        Assert.False(p.Info->HasMemoryMap);
    }

    [Fact]
    public void TagSizeOverrunsBlock()
    {
        var b = new B();
        b.Tag(Multiboot2Tag.CommandLine, B.CString("hi"), sizeOverride: 4000);
        using var p = ParsedBlock.Parse(b.End().Build());
        AssertError(p, Multiboot2Error.TagOverrun);
        Assert.Equal(8u, p.Info->ErrorOffset);
        using var q = ParsedBlock.Parse(Minimal(x => x.Tag(5, new byte[4], sizeOverride: 0xFFFFFFFF)));
        AssertError(q, Multiboot2Error.TagOverrun);
    }

    [Fact]
    public void MissingEndTag()
    {
        using var p = ParsedBlock.Parse(new B().CommandLine("quiet").Build());
        AssertError(p, Multiboot2Error.NoEndTag);
        Assert.True(p.Info->HasCommandLine);
    }

    [Fact]
    public void PaddingOfLastTagPastTotalSize()
    {
        var b = new B();
        b.Tag(Multiboot2Tag.LoadBaseAddress, B.U32(7)); // size 12, padded to 16
        using var p = ParsedBlock.Parse(b.Build(totalSizeOverride: 20));
        AssertError(p, Multiboot2Error.NoEndTag);
        Assert.True(p.Info->HasLoadBase);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(4u)]
    [InlineData(7u)]
    public void ZeroOrTinyTagSize(uint size)
    {
        var b = new B().CommandLine("a");
        b.Tag(Multiboot2Tag.BootDevice, new byte[8], sizeOverride: size);
        using var p = ParsedBlock.Parse(b.End().Build());
        AssertError(p, Multiboot2Error.BadTagSize);
        Assert.Equal(24u, p.Info->ErrorOffset); // header 8 + command line tag padded to 16
        Assert.Equal(1, p.Info->TagCount);
    }

    [Fact]
    public void EndTagWithWrongSize()
    {
        var b = new B();
        b.Tag(Multiboot2Tag.End, new byte[8]);
        using var p = ParsedBlock.Parse(b.Build());
        AssertError(p, Multiboot2Error.BadEndTag);
    }

    // ---- Tag content errors: tag dropped, walk continues --------------------------------------

    static void AssertTagError(ParsedBlock p, Multiboot2Error expected, uint tagType)
    {
        AssertError(p, expected);
        Assert.True(p.Info->SawEndTag, "the walk must go on after a bad tag");
        Assert.Equal(1, p.Info->TagErrorCount);
        Assert.Equal(tagType, p.Info->ErrorTagType);
        Assert.True(p.Info->HasLoadBase, "tags after the bad one are still parsed");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(16u)]
    [InlineData(20u)]
    [InlineData(28u)]
    [InlineData(0xFFFFFFF8u)]
    [InlineData(8192u)]
    public void BadMemoryMapEntrySize(uint entrySize)
    {
        var b = new B();
        var payload = B.Concat(B.U32(entrySize), B.U32(0), new byte[48]);
        b.Tag(Multiboot2Tag.MemoryMap, payload);
        using var p = ParsedBlock.Parse(b.LoadBase(1).End().Build());
        AssertTagError(p, Multiboot2Error.BadMemoryMap, Multiboot2Tag.MemoryMap);
        Assert.False(p.Info->HasMemoryMap);
        Assert.Equal(0, p.Info->MemoryRegionCount);
    }

    [Fact]
    public void MemoryMapWithPartialEntry()
    {
        var b = new B();
        b.Tag(Multiboot2Tag.MemoryMap, B.Concat(B.U32(24), B.U32(0), new byte[24 + 8]));
        using var p = ParsedBlock.Parse(b.LoadBase(1).End().Build());
        AssertTagError(p, Multiboot2Error.BadMemoryMap, Multiboot2Tag.MemoryMap);
    }

    [Fact]
    public void MemoryMapTagTooShort()
    {
        var b = new B();
        b.Tag(Multiboot2Tag.MemoryMap, B.U32(24));
        using var p = ParsedBlock.Parse(b.LoadBase(1).End().Build());
        AssertTagError(p, Multiboot2Error.BadMemoryMap, Multiboot2Tag.MemoryMap);
    }

    [Fact]
    public void ModuleEndBeforeStart()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.Module(0x200000, 0x100000, "bad").Module(1, 1, "ok").LoadBase(1)));
        AssertTagError(p, Multiboot2Error.BadModule, Multiboot2Tag.Module);
        Assert.Equal(1, p.Info->ModuleCount); // the good one after it is kept
        Assert.True(p.Info->GetModule(0, out _, out _, out byte* t, out int n));
        Assert.Equal("ok", ParsedBlock.Ascii(t, n));
    }

    [Fact]
    public void ModuleTagTooShort()
    {
        var b = new B();
        b.Tag(Multiboot2Tag.Module, B.U32(5));
        using var p = ParsedBlock.Parse(b.LoadBase(1).End().Build());
        AssertTagError(p, Multiboot2Error.BadModule, Multiboot2Tag.Module);
    }

    [Fact]
    public void ElfSectionsWrongEntsize()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.ElfSections(2, 40, 0, new byte[80]).LoadBase(1)));
        AssertTagError(p, Multiboot2Error.BadElfSections, Multiboot2Tag.ElfSections);
        Assert.False(p.Info->HasElfSections);
    }

    [Fact]
    public void ElfSectionsCountPastTag()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.ElfSections(3, 64, 0, new byte[128]).LoadBase(1)));
        AssertTagError(p, Multiboot2Error.BadElfSections, Multiboot2Tag.ElfSections);
        using var q = ParsedBlock.Parse(Minimal(b => b.ElfSections(0x04000001, 64, 0, new byte[128]).LoadBase(1)));
        AssertTagError(q, Multiboot2Error.BadElfSections, Multiboot2Tag.ElfSections);
    }

    [Fact]
    public void ElfSectionsBadStringIndex()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.ElfSections(2, 5).LoadBase(1)));
        AssertTagError(p, Multiboot2Error.BadElfSections, Multiboot2Tag.ElfSections);
    }

    [Fact]
    public void RsdpBadChecksum()
    {
        byte[] rsdp = B.RsdpV1(0x1000);
        rsdp[16] ^= 1;
        using var p = ParsedBlock.Parse(Minimal(b => b.AcpiOld(rsdp).LoadBase(1)));
        AssertTagError(p, Multiboot2Error.BadRsdp, Multiboot2Tag.AcpiOld);
        Assert.False(p.Info->HasRsdp);
        Assert.Equal(0, p.Info->RsdpLength);
    }

    [Fact]
    public void RsdpBadExtendedChecksumFallsBackToOld()
    {
        byte[] v2 = B.RsdpV2(0x1000, 0x2000);
        v2[30] ^= 0x40; // only the extended checksum covers byte 30
        using var p = ParsedBlock.Parse(Minimal(b => b.AcpiNew(v2).AcpiOld(B.RsdpV1(0x3000)).LoadBase(1)));
        AssertTagError(p, Multiboot2Error.BadRsdp, Multiboot2Tag.AcpiNew);
        Assert.True(p.Info->HasRsdp);
        Assert.Equal(Multiboot2Tag.AcpiOld, p.Info->RsdpTag);
        Assert.Equal(0x3000u, p.Info->RsdtAddress);
    }

    [Fact]
    public void RsdpBadSignatureOrTooShortOrBadLength()
    {
        byte[] sig = B.RsdpV1(0x1000);
        sig[0] = (byte)'X';
        sig[8] = 0;
        sig[8] = (byte)(256 - (SumOf(sig, 20) & 0xFF)); // checksum right, signature wrong
        using (var p = ParsedBlock.Parse(Minimal(b => b.AcpiOld(sig).LoadBase(1))))
            AssertTagError(p, Multiboot2Error.BadRsdp, Multiboot2Tag.AcpiOld);

        using (var p = ParsedBlock.Parse(Minimal(b => b.AcpiNew(B.RsdpV1(0x1000)).LoadBase(1))))
            AssertTagError(p, Multiboot2Error.BadRsdp, Multiboot2Tag.AcpiNew); // v1-sized copy in tag 15

        byte[] len = B.RsdpV2(1, 2);
        BitConverter.GetBytes(1000u).CopyTo(len, 20);
        using (var p = ParsedBlock.Parse(Minimal(b => b.AcpiNew(len).LoadBase(1))))
            AssertTagError(p, Multiboot2Error.BadRsdp, Multiboot2Tag.AcpiNew);
    }

    static int SumOf(byte[] b, int n) { int s = 0; for (int k = 0; k < n; k++) s += b[k]; return s; }

    [Theory]
    [InlineData(1, 0u, 1024u, 32, 20)]   // RGB tag too short for the colour fields
    [InlineData(3, 4096u, 1024u, 32, 0)] // unknown framebuffer type
    [InlineData(1, 100u, 1024u, 32, 0)]  // pitch smaller than a row
    [InlineData(1, 4096u, 1024u, 0, 0)]  // bpp 0
    public void BadFramebuffer(int type, uint pitch, uint width, int bpp, int payloadCut)
    {
        byte[] payload = B.Concat(B.FramebufferCommon(0xfd000000, pitch == 0 ? 4096 : pitch, width, 768, (byte)bpp, (byte)type),
            new byte[] { 16, 8, 8, 8, 0, 8 });
        if (payloadCut > 0) payload = payload.AsSpan(0, payloadCut + 6).ToArray();
        var b = new B();
        b.Tag(Multiboot2Tag.Framebuffer, payload);
        using var p = ParsedBlock.Parse(b.LoadBase(1).End().Build());
        AssertTagError(p, Multiboot2Error.BadFramebuffer, Multiboot2Tag.Framebuffer);
        Assert.False(p.Info->HasFramebuffer);
    }

    [Fact]
    public void FramebufferColourFieldOutsidePixelAndPaletteOverrun()
    {
        using (var p = ParsedBlock.Parse(Minimal(b => b.FramebufferRgb(0xfd000000, 4096, 1024, 768, 16, rPos: 11, rSize: 8).LoadBase(1))))
            AssertTagError(p, Multiboot2Error.BadFramebuffer, Multiboot2Tag.Framebuffer);
        var blk = new B();
        blk.Tag(Multiboot2Tag.Framebuffer, B.Concat(B.FramebufferCommon(0xa0000, 320, 320, 200, 8, 0), B.U16(256), new byte[30]));
        using (var p = ParsedBlock.Parse(blk.LoadBase(1).End().Build()))
            AssertTagError(p, Multiboot2Error.BadFramebuffer, Multiboot2Tag.Framebuffer);
    }

    [Fact]
    public void ShortFixedSizeTags()
    {
        foreach (uint type in new[] { Multiboot2Tag.BasicMemInfo, Multiboot2Tag.Efi32SystemTable, Multiboot2Tag.Efi64SystemTable })
        {
            var b = new B();
            b.Tag(type, new byte[2]);
            using var p = ParsedBlock.Parse(b.LoadBase(1).End().Build());
            AssertTagError(p, Multiboot2Error.BadTag, type);
        }
        var lb = new B();
        lb.Tag(Multiboot2Tag.LoadBaseAddress, new byte[2]);
        using var q = ParsedBlock.Parse(lb.End().Build());
        Assert.Equal(Multiboot2Error.BadTag, q.Error);
        Assert.False(q.Info->HasLoadBase);
    }

    [Fact]
    public void FirstErrorIsReportedAndLaterOnesCounted()
    {
        using var p = ParsedBlock.Parse(Minimal(b => b.Module(2, 1, "x").ElfSections(1, 32, 0, new byte[32]).LoadBase(1)));
        Assert.Equal(Multiboot2Error.BadModule, p.Error);
        Assert.Equal(2, p.Info->TagErrorCount);
    }

    [Fact]
    public void ErrorNamesAreDistinct()
    {
        var seen = new System.Collections.Generic.HashSet<string>();
        foreach (Multiboot2Error e in Enum.GetValues<Multiboot2Error>())
        {
            string n = Multiboot2Errors.Name(e);
            Assert.Equal(e.ToString(), n);
            Assert.True(seen.Add(n));
        }
    }
}

static class ArrayExtensions
{
    public static T[] Also<T>(this T[] a, Action<T[]> f) { f(a); return a; }
}
