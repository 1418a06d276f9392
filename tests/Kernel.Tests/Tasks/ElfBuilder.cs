using System;
using System.Collections.Generic;

namespace Kernel.Tests.Tasks;

/// <summary>Writes small ELF64 x86-64 executables for the loader tests: a header, program
/// headers right after it, and segment data where each header says.</summary>
public sealed class ElfBuilder
{
    public sealed class Header
    {
        public uint Type = 1, Flags = 5;
        public ulong Offset, Vaddr, FileSize, MemSize, Align = 0x1000;
    }

    public ushort Type = 2, Machine = 62, HeaderSize = 64, PhEntSize = 56;
    public byte Class = 2, Data = 1, IdentVersion = 1, OsAbi = 0;
    public uint Version = 1;
    public ulong Entry = 0x401000;
    public ulong? PhOff;
    public int? PhNumOverride;
    public readonly List<Header> Headers = new();
    public int FileSize = 0x3000;

    /// <summary>A typical static program: read-only headers page, text, data + bss, GNU_STACK.</summary>
    public static ElfBuilder Typical()
    {
        var b = new ElfBuilder();
        b.Headers.Add(new Header { Flags = 4, Offset = 0, Vaddr = 0x400000, FileSize = 0x200, MemSize = 0x200 });
        b.Headers.Add(new Header { Flags = 5, Offset = 0x1000, Vaddr = 0x401000, FileSize = 0x800, MemSize = 0x800 });
        b.Headers.Add(new Header { Flags = 6, Offset = 0x2000, Vaddr = 0x402000, FileSize = 0x100, MemSize = 0x3000 });
        b.Headers.Add(new Header { Type = 0x6474e551, Flags = 6, Align = 16 });
        return b;
    }

    public byte[] Build()
    {
        var f = new byte[FileSize];
        f[0] = 0x7f; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F';
        f[4] = Class; f[5] = Data; f[6] = IdentVersion; f[7] = OsAbi;
        W16(f, 16, Type); W16(f, 18, Machine); W32(f, 20, Version); W64(f, 24, Entry);
        ulong phoff = PhOff ?? 64;
        W64(f, 32, phoff); W16(f, 52, HeaderSize); W16(f, 54, PhEntSize);
        W16(f, 56, (ushort)(PhNumOverride ?? Headers.Count));
        for (int i = 0; i < Headers.Count && phoff < (ulong)f.Length; i++)
        {
            int at = (int)phoff + i * 56;
            if (at + 56 > f.Length) break;
            Header h = Headers[i];
            W32(f, at, h.Type); W32(f, at + 4, h.Flags); W64(f, at + 8, h.Offset); W64(f, at + 16, h.Vaddr);
            W64(f, at + 24, h.Vaddr); W64(f, at + 32, h.FileSize); W64(f, at + 40, h.MemSize); W64(f, at + 48, h.Align);
        }
        // Recognisable segment bytes.
        for (int i = 0x1000; i < f.Length; i++) f[i] = (byte)(i * 13);
        return f;
    }

    static void W16(byte[] f, int at, ushort v) { if (at + 2 <= f.Length) BitConverter.TryWriteBytes(f.AsSpan(at), v); }
    static void W32(byte[] f, int at, uint v) { if (at + 4 <= f.Length) BitConverter.TryWriteBytes(f.AsSpan(at), v); }
    static void W64(byte[] f, int at, ulong v) { if (at + 8 <= f.Length) BitConverter.TryWriteBytes(f.AsSpan(at), v); }
}
