using System;
using System.Collections.Generic;
using System.Text;

namespace Kernel.Tests.Fs;

/// <summary>Writes cpio newc archives for the tests (what GNU cpio -H newc produces).</summary>
public sealed class CpioBuilder
{
    private readonly List<byte> _bytes = new();
    private uint _inode = 100;

    public CpioBuilder File(string name, string content, uint mode = 0x81a4) => Entry(name, Encoding.ASCII.GetBytes(content), mode);
    public CpioBuilder Directory(string name) => Entry(name, Array.Empty<byte>(), 0x41ed);

    public CpioBuilder Entry(string name, byte[] data, uint mode, string magic = "070701", uint? nameSizeOverride = null)
    {
        byte[] nameBytes = Encoding.ASCII.GetBytes(name + "\0");
        var header = new StringBuilder(magic);
        uint[] fields = { _inode++, mode, 0, 0, 1, 1700000000, (uint)data.Length, 0, 0, 0, 0, nameSizeOverride ?? (uint)nameBytes.Length, 0 };
        foreach (uint f in fields) header.Append(f.ToString("x8"));
        _bytes.AddRange(Encoding.ASCII.GetBytes(header.ToString()));
        _bytes.AddRange(nameBytes);
        Pad();
        _bytes.AddRange(data);
        Pad();
        return this;
    }

    public CpioBuilder Trailer() => Entry("TRAILER!!!", Array.Empty<byte>(), 0);

    private void Pad()
    {
        while (_bytes.Count % 4 != 0) _bytes.Add(0);
    }

    public byte[] ToArray() => _bytes.ToArray();
}
