using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Kernel.Diagnostics;
using Kernel.Memory.Virtual;
using Xunit;

namespace Kernel.Tests.Memory.Virtual;

/// <summary>/proc/PID/maps text. The oracle is the host's own Linux: its /proc/self/maps is
/// parsed into VMAs, written back by MapsText, and must come out byte for byte the same.</summary>
public sealed unsafe class MapsTextTests
{
    static readonly Dictionary<ulong, string> Paths = new();

    static void AppendPath(void* context, VmArea* vma, TextBuilder* text)
    {
        string path;
        lock (Paths) path = Paths[vma->File];
        foreach (byte b in Encoding.UTF8.GetBytes(path)) text->AppendByte(b);
    }

    static string Render(VmSpace* space, int capacity = 1 << 20)
    {
        byte* buffer = (byte*)NativeMemory.Alloc((nuint)capacity);
        try
        {
            var text = new TextBuilder(buffer, capacity);
            var paths = new MapsPaths { AppendPath = &AppendPath };
            Assert.True(MapsText.Write(space, &text, 0, in paths, out _));
            return Encoding.UTF8.GetString(buffer, text.Length);
        }
        finally { NativeMemory.Free(buffer); }
    }

    [Fact]
    public void MatchesTheHostKernelByteForByte()
    {
        if (!File.Exists("/proc/self/maps")) return; // not on Linux: nothing to compare with
        string[] lines = File.ReadAllLines("/proc/self/maps");
        using var f = new VmSpaceFixture();
        var expected = new StringBuilder();
        int checkedLines = 0;
        foreach (string line in lines)
        {
            string[] field = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            string[] range = field[0].Split('-');
            ulong start = Convert.ToUInt64(range[0], 16), end = Convert.ToUInt64(range[1], 16);
            string name = field.Length > 5 ? field[5].TrimStart(' ') : "";
            if (end > f.Space->TaskSize) continue;                       // [vsyscall]
            if (name.StartsWith("[") && name != "[heap]" && name != "[stack]" && name != "[vdso]" && name != "[vvar]") continue;
            VmArea* v = f.Space->Tree.NewNode();
            v->Start = start;
            v->End = end;
            v->Protection = (field[1][0] == 'r' ? Prot.Read : 0) | (field[1][1] == 'w' ? Prot.Write : 0) | (field[1][2] == 'x' ? Prot.Exec : 0);
            v->Flags = field[1][3] == 's' ? VmaFlags.Shared : 0;
            v->FileOffset = Convert.ToUInt64(field[2], 16);
            string[] dev = field[3].Split(':');
            v->Device = (Convert.ToUInt32(dev[0], 16) << 20) | Convert.ToUInt32(dev[1], 16);
            v->Inode = ulong.Parse(field[4]);
            if (name == "/dev/zero (deleted)") v->File = VmSpace.SharedAnonymousTag | (ulong)checkedLines + 1;
            else if (name.StartsWith("/") || (name.Length > 0 && !name.StartsWith("[")))
            {
                v->File = (ulong)checkedLines + 1;
                lock (Paths) Paths[v->File] = name;
            }
            else
            {
                v->Flags |= VmaFlags.Anonymous;
                if (name == "[heap]") { f.Space->StartBrk = start; f.Space->Brk = end; }
                if (name == "[stack]") f.Space->StartStack = end - 64;
                if (name == "[vdso]") v->Name = VmaName.Vdso;
                if (name == "[vvar]") v->Name = VmaName.Vvar;
            }
            f.Space->Tree.Insert(v);
            expected.Append(line).Append('\n');
            checkedLines++;
        }
        Assert.True(checkedLines > 10, $"only {checkedLines} lines");
        Assert.Equal(expected.ToString(), Render(f.Space));
        f.Space->Tree.Clear(); // built by hand, not through VmSpace: no page total to check
    }

    [Fact]
    public void AnonymousHeapStackAndSharedLinesLookLikeLinux()
    {
        using var f = new VmSpaceFixture();
        f.Space->StartBrk = f.Space->Brk = 0x555555559000;
        f.Space->SetBrk(0x55555557a000);
        f.MapAnon(0x7ffffffde000, 0x21000, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Fixed | MapFlags.GrowsDown);
        f.Space->StartStack = 0x7fffffffe3f0;
        f.MapAnon(0x7ffff7fc0000, 0x1000, Prot.Read, MapFlags.Shared | MapFlags.Fixed);
        f.MapAnon(0x7ffff7fb0000, 0x2000, Prot.None);
        string pad(string prefix) => prefix + new string(' ', 73 - prefix.Length);
        string want =
            pad("555555559000-55555557a000 rw-p 00000000 00:00 0 ") + "[heap]\n" +
            "7ffff7fb0000-7ffff7fb2000 ---p 00000000 00:00 0 \n" +
            pad("7ffff7fc0000-7ffff7fc1000 r--s 00000000 00:00 0 ") + "/dev/zero (deleted)\n" +
            pad("7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 ") + "[stack]\n";
        Assert.Equal(want, Render(f.Space));
        Assert.Equal(73, want.IndexOf("[heap]"));
    }

    [Fact]
    public void ShortAddressesArePaddedToEightDigits()
    {
        using var f = new VmSpaceFixture();
        f.MapAnon(0x10000, 0x1000, Prot.Read | Prot.Exec);
        Assert.Equal("00010000-00011000 r-xp 00000000 00:00 0 \n", Render(f.Space));
    }

    [Fact]
    public void AFullBufferEndsOnAWholeLineAndResumes()
    {
        using var f = new VmSpaceFixture();
        for (ulong i = 0; i < 50; i++) f.MapAnon(0x10000000 + i * 0x2000, 0x1000);
        string whole = Render(f.Space);
        var pieces = new StringBuilder();
        ulong from = 0;
        byte* buffer = stackalloc byte[500];
        var paths = new MapsPaths();
        for (int rounds = 0; ; rounds++)
        {
            Assert.True(rounds < 100);
            var text = new TextBuilder(buffer, 500);
            bool done = MapsText.Write(f.Space, &text, from, in paths, out from);
            string chunk = Encoding.ASCII.GetString(buffer, text.Length);
            Assert.EndsWith("\n", chunk);
            pieces.Append(chunk);
            if (done) break;
        }
        Assert.Equal(whole, pieces.ToString());
    }
}
