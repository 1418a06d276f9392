using System;
using Kernel.Boot.Multiboot2;

namespace Kernel.Tests.Support;

/// <summary>Runs the kernel's Multiboot2 parser over a block copied into native memory and
/// keeps the resulting BootInfo (about 11 KiB of native memory) until disposed.</summary>
public sealed unsafe class ParsedBlock : IDisposable
{
    readonly NativeBuffer _block;
    readonly NativeBuffer _info;

    public BootInfo* Info => (BootInfo*)_info.Pointer;
    public Multiboot2Error Error { get; }
    public string Message { get; }

    ParsedBlock(byte[] block, uint magic, ulong? available, int misalign)
    {
        _block = new NativeBuffer(block.Length + misalign + 8);
        byte* p = _block.Pointer + misalign;
        block.AsSpan().CopyTo(new Span<byte>(p, block.Length));
        _info = new NativeBuffer(sizeof(BootInfo));
        // Dirty the destination to prove Parse clears it.
        new Span<byte>(_info.Pointer, _info.Length).Fill(0xAB);
        Error = Multiboot2Parser.Parse(magic, p, available ?? (ulong)block.Length, Info, out string message);
        Message = message;
    }

    public static ParsedBlock Parse(byte[] block, uint magic = Multiboot2BlockBuilder.Magic, ulong? available = null, int misalign = 0)
        => new ParsedBlock(block, magic, available, misalign);

    public static string Ascii(byte* p, int n) => n <= 0 ? "" : System.Text.Encoding.ASCII.GetString(p, n);

    public void Dispose()
    {
        _block.Dispose();
        _info.Dispose();
    }
}
