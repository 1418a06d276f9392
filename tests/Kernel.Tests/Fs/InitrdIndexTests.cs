using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using Kernel.Fs;
using Xunit;

namespace Kernel.Tests.Fs;

public unsafe class InitrdIndexTests : IDisposable
{
    private readonly InitrdIndex* _index = (InitrdIndex*)NativeMemory.AllocZeroed((nuint)sizeof(InitrdIndex));
    private byte* _archive;

    public void Dispose()
    {
        NativeMemory.Free(_index);
        if (_archive != null) NativeMemory.Free(_archive);
    }

    private CpioStatus Build(byte[] a)
    {
        _archive = (byte*)NativeMemory.Alloc((nuint)a.Length);
        a.AsSpan().CopyTo(new Span<byte>(_archive, a.Length));
        return _index->Build(_archive, (ulong)a.Length);
    }

    private int Find(string path)
    {
        byte[] b = Encoding.ASCII.GetBytes(path);
        fixed (byte* p = b) return _index->Find(p, b.Length);
    }

    private List<string> Children(int dir)
    {
        var names = new List<string>();
        int from = 0;
        int child;
        while ((child = _index->NextChild(dir, from, out byte* name, out int length)) >= 0)
        {
            names.Add(Encoding.ASCII.GetString(name, length));
            from = child + 1;
        }
        return names;
    }

    [Fact]
    public void EntrySizeMatchesItsStorage() => Assert.Equal(48, sizeof(InitrdIndex.Entry));

    [Fact]
    public void NormalisesNamesAndFindsThem()
    {
        byte[] a = new CpioBuilder().Directory(".").Directory("./bin").File("./bin/hello", "x").Directory("etc/")
            .File("/etc/motd", "hello").Trailer().ToArray();
        Assert.Equal(CpioStatus.Ok, Build(a));
        Assert.Equal(4, _index->Count); // "." is the root, which always exists
        Assert.Equal(InitrdIndex.RootEntry, Find(""));
        Assert.True(Find("bin/hello") >= 0);
        Assert.True(Find("etc") >= 0);
        Assert.True(_index->IsDirectory(Find("etc")));
        Assert.False(_index->IsDirectory(Find("etc/motd")));
        Assert.Equal(5UL, _index->Get(Find("etc/motd"))->Size);
        Assert.Equal(-1, Find("bin/hell"));
        Assert.Equal(-1, Find("bin/hello/x"));
    }

    [Fact]
    public void ListsDirectChildrenOnly()
    {
        byte[] a = new CpioBuilder().Directory("bin").File("bin/a", "").File("bin/b", "").Directory("bin/sub").File("bin/sub/c", "")
            .File("top", "").Trailer().ToArray();
        Assert.Equal(CpioStatus.Ok, Build(a));
        Assert.Equal(new[] { "bin", "top" }, Children(InitrdIndex.RootEntry));
        Assert.Equal(new[] { "a", "b", "sub" }, Children(Find("bin")));
        Assert.Equal(new[] { "c" }, Children(Find("bin/sub")));
        Assert.Empty(Children(Find("top")));
    }

    [Fact]
    public void DropsNamesThatAreNotNormal()
    {
        byte[] a = new CpioBuilder().File("a/../b", "").File("a//b", "").File("ok", "").Trailer().ToArray();
        Assert.Equal(CpioStatus.Ok, Build(a));
        Assert.Equal(1, _index->Count);
        Assert.Equal(2, _index->Dropped);
    }

    [Fact]
    public void KeepsWhatCameBeforeDamage()
    {
        byte[] a = new CpioBuilder().File("one", "1").File("two", "2").Trailer().ToArray();
        Assert.Equal(CpioStatus.Truncated, Build(a.AsSpan(0, a.Length - 140).ToArray()));
        Assert.Equal(1, _index->Count);
    }
}
