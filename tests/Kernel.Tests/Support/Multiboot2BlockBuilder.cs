using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Kernel.Tests.Support;

/// <summary>
/// Builds synthetic Multiboot2 information blocks the way a loader lays them out: an 8-byte
/// header (total_size, reserved), then tags at 8-byte aligned offsets, each u32 type, u32 size
/// (size counts the header but not the padding), closed by an end tag (type 0, size 8).
/// Every helper can also produce deliberately malformed tags (wrong sizes etc.).
/// </summary>
public sealed class Multiboot2BlockBuilder
{
    public const uint Magic = 0x36d76289;
    readonly List<byte> _bytes = new List<byte>();

    public Multiboot2BlockBuilder()
    {
        _bytes.AddRange(new byte[8]);
    }

    public int Length => _bytes.Count;

    /// <summary>Adds a tag; <paramref name="sizeOverride"/> writes a lying size field (the
    /// payload and padding are still laid out from the real size).</summary>
    public int Tag(uint type, byte[] payload, uint? sizeOverride = null)
    {
        int offset = _bytes.Count;
        _bytes.AddRange(U32(type));
        _bytes.AddRange(U32(sizeOverride ?? (uint)(8 + payload.Length)));
        _bytes.AddRange(payload);
        Pad();
        return offset;
    }

    public void Pad()
    {
        while (_bytes.Count % 8 != 0)
            _bytes.Add(0);
    }

    public void Raw(params byte[] bytes) => _bytes.AddRange(bytes);

    public Multiboot2BlockBuilder End()
    {
        Tag(0, Array.Empty<byte>());
        return this;
    }

    public Multiboot2BlockBuilder CommandLine(string s) { Tag(1, CString(s)); return this; }
    public Multiboot2BlockBuilder BootloaderName(string s) { Tag(2, CString(s)); return this; }

    public Multiboot2BlockBuilder Module(uint start, uint end, string s)
    {
        Tag(3, Concat(U32(start), U32(end), CString(s)));
        return this;
    }

    public Multiboot2BlockBuilder BasicMemInfo(uint lowerKiB, uint upperKiB)
    {
        Tag(4, Concat(U32(lowerKiB), U32(upperKiB)));
        return this;
    }

    public record struct Region(ulong Base, ulong Length, uint Type);

    /// <summary>Memory map with the given entry size (extra bytes per entry are zero).</summary>
    public Multiboot2BlockBuilder MemoryMap(uint entrySize, uint version, params Region[] regions)
    {
        var payload = new List<byte>();
        payload.AddRange(U32(entrySize));
        payload.AddRange(U32(version));
        foreach (var r in regions)
        {
            var e = new byte[Math.Max(entrySize, 24u)];
            BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(0), r.Base);
            BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(8), r.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(16), r.Type);
            payload.AddRange(e.AsSpan(0, (int)Math.Min(entrySize, (uint)e.Length)).ToArray());
        }
        Tag(6, payload.ToArray());
        return this;
    }

    public Multiboot2BlockBuilder MemoryMap(params Region[] regions) => MemoryMap(24, 0, regions);

    public Multiboot2BlockBuilder FramebufferRgb(ulong addr, uint pitch, uint width, uint height, byte bpp,
        byte rPos = 16, byte rSize = 8, byte gPos = 8, byte gSize = 8, byte bPos = 0, byte bSize = 8)
    {
        Tag(8, Concat(FramebufferCommon(addr, pitch, width, height, bpp, 1), new[] { rPos, rSize, gPos, gSize, bPos, bSize }));
        return this;
    }

    public Multiboot2BlockBuilder FramebufferIndexed(ulong addr, uint pitch, uint width, uint height, byte bpp, ushort colors)
    {
        var palette = new byte[colors * 3];
        for (int i = 0; i < palette.Length; i++) palette[i] = (byte)i;
        Tag(8, Concat(FramebufferCommon(addr, pitch, width, height, bpp, 0), U16(colors), palette));
        return this;
    }

    public Multiboot2BlockBuilder FramebufferEgaText(uint width = 80, uint height = 25)
    {
        Tag(8, FramebufferCommon(0xB8000, width * 2, width, height, 16, 2));
        return this;
    }

    public static byte[] FramebufferCommon(ulong addr, uint pitch, uint width, uint height, byte bpp, byte type)
        => Concat(U64(addr), U32(pitch), U32(width), U32(height), new[] { bpp, type }, U16(0));

    /// <summary>An Elf64_Shdr with recognisable fields.</summary>
    public static byte[] SectionHeader(uint name, uint type, ulong flags, ulong addr, ulong offset, ulong size)
        => Concat(U32(name), U32(type), U64(flags), U64(addr), U64(offset), U64(size), U32(0), U32(0), U64(16), U64(0));

    public Multiboot2BlockBuilder ElfSections(uint num, uint entsize, uint shndx, byte[] headers)
    {
        Tag(9, Concat(U32(num), U32(entsize), U32(shndx), headers));
        return this;
    }

    public Multiboot2BlockBuilder ElfSections(int count, uint shndx = 1)
    {
        var headers = new List<byte>();
        for (int i = 0; i < count; i++)
            headers.AddRange(SectionHeader((uint)i * 8, 1, 6, 0xffffffff80000000UL + (ulong)i * 0x1000, (ulong)i * 0x1000, 0x1000));
        return ElfSections((uint)count, 64, shndx, headers.ToArray());
    }

    public Multiboot2BlockBuilder AcpiOld(byte[] rsdp) { Tag(14, rsdp); return this; }
    public Multiboot2BlockBuilder AcpiNew(byte[] rsdp) { Tag(15, rsdp); return this; }
    public Multiboot2BlockBuilder LoadBase(uint addr) { Tag(21, U32(addr)); return this; }
    public Multiboot2BlockBuilder Efi32(uint ptr) { Tag(11, U32(ptr)); return this; }
    public Multiboot2BlockBuilder Efi64(ulong ptr) { Tag(12, U64(ptr)); return this; }

    /// <summary>Valid RSDP v1 (20 bytes), checksum fixed up.</summary>
    public static byte[] RsdpV1(uint rsdt, byte revision = 0)
    {
        var b = new byte[20];
        Encoding.ASCII.GetBytes("RSD PTR ").CopyTo(b, 0);
        Encoding.ASCII.GetBytes("KTESTS").CopyTo(b, 9);
        b[15] = revision;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), rsdt);
        b[8] = FixSum(b, 20);
        return b;
    }

    /// <summary>Valid RSDP v2 (36 bytes), both checksums fixed up.</summary>
    public static byte[] RsdpV2(uint rsdt, ulong xsdt, byte revision = 2)
    {
        var b = new byte[36];
        Encoding.ASCII.GetBytes("RSD PTR ").CopyTo(b, 0);
        Encoding.ASCII.GetBytes("KTESTS").CopyTo(b, 9);
        b[15] = revision;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), rsdt);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), 36);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(24), xsdt);
        b[8] = FixSum(b, 20);
        b[32] = FixSum(b, 36);
        return b;
    }

    static byte FixSum(byte[] b, int n)
    {
        int sum = 0;
        for (int i = 0; i < n; i++) sum += b[i];
        return (byte)(256 - (sum & 0xFF));
    }

    /// <summary>The block with total_size filled in (or overridden).</summary>
    public byte[] Build(uint? totalSizeOverride = null)
    {
        var a = _bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(a.AsSpan(0), totalSizeOverride ?? (uint)a.Length);
        return a;
    }

    /// <summary>A block with every tag the parser understands, plus an unknown one.</summary>
    public static byte[] Full()
    {
        return new Multiboot2BlockBuilder()
            .CommandLine("test=all loglevel=7 init=\"/bin/sh -c echo\"")
            .BootloaderName("GRUB 2.06")
            .BasicMemInfo(639, 261120)
            .MemoryMap(new Region(0, 0x9fc00, 1), new Region(0x9fc00, 0x400, 2), new Region(0xf0000, 0x10000, 2),
                new Region(0x100000, 0xfee0000, 1), new Region(0xffe0000, 0x20000, 3))
            .Module(0x200000, 0x280000, "/boot/initrd.cpio")
            .Module(0x280000, 0x281000, "extra arg")
            .FramebufferRgb(0xfd000000, 4096, 1024, 768, 32)
            .ElfSections(5)
            .AcpiOld(RsdpV1(0x7fe14d2))
            .AcpiNew(RsdpV2(0x7fe14d2, 0x7fe1500))
            .LoadBase(0x100000)
            .Efi64(0x7f9e018)
            .WithTag(100, new byte[] { 1, 2, 3 })
            .End()
            .Build();
    }

    public Multiboot2BlockBuilder WithTag(uint type, byte[] payload) { Tag(type, payload); return this; }

    public static byte[] CString(string s) => Concat(Encoding.ASCII.GetBytes(s), new byte[] { 0 });
    public static byte[] U16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); return b; }
    public static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
    public static byte[] U64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); return b; }

    public static byte[] Concat(params byte[][] parts)
    {
        var list = new List<byte>();
        foreach (var p in parts) list.AddRange(p);
        return list.ToArray();
    }
}
