using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using Kernel.Tasks.Elf;
using Xunit;

namespace Kernel.Tests.Tasks;

public unsafe class InitialStackTests
{
    const ulong Top = 0x7ffffffff000;
    const ulong Capacity = 8192;

    private sealed class Image : IDisposable
    {
        public readonly byte* Buffer = (byte*)NativeMemory.AllocZeroed((nuint)Capacity);
        public ulong Sp, Used;
        private readonly List<IntPtr> _strings = new();

        public byte* Hold(string s)
        {
            byte[] b = Encoding.ASCII.GetBytes(s);
            var p = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, b.Length));
            b.AsSpan().CopyTo(new Span<byte>(p, b.Length));
            _strings.Add((IntPtr)p);
            return p;
        }

        public ulong Word(ulong address) => *(ulong*)(Buffer + (Capacity - (Top - address)));
        public string String(ulong address)
        {
            var sb = new StringBuilder();
            for (byte* p = Buffer + (Capacity - (Top - address)); *p != 0; p++) sb.Append((char)*p);
            return sb.ToString();
        }
        public byte Byte(ulong address) => Buffer[Capacity - (Top - address)];

        public void Dispose()
        {
            NativeMemory.Free(Buffer);
            foreach (IntPtr p in _strings) NativeMemory.Free((void*)p);
        }
    }

    private static Image Build(string[] args, string[] env, string execfn = "/bin/prog")
    {
        var image = new Image();
        StringList argv = default, envp = default;
        foreach (string a in args) Assert.True(argv.Add(image.Hold(a), a.Length));
        foreach (string e in env) Assert.True(envp.Add(image.Hold(e), e.Length));
        AuxValues aux = default;
        aux.Hwcap = 0x178bfbff; aux.ProgramHeaders = 0x400040; aux.ProgramHeaderSize = 56; aux.ProgramHeaderCount = 7;
        aux.Entry = 0x401000; aux.ClockTicks = 100;
        byte* random = stackalloc byte[16];
        for (int i = 0; i < 16; i++) random[i] = (byte)(0xa0 + i);
        image.Sp = InitialStack.Build(image.Buffer, Capacity, Top, &argv, &envp, image.Hold(execfn), execfn.Length, &aux, random, out image.Used);
        return image;
    }

    [Fact]
    public void LaysOutArgcArgvEnvpAuxvAsLinux()
    {
        using Image s = Build(new[] { "/bin/prog", "one", "two" }, new[] { "HOME=/", "TERM=linux" });
        Assert.NotEqual(0UL, s.Sp);
        Assert.Equal(0UL, s.Sp % 16);
        Assert.Equal(Top - s.Sp, s.Used);
        Assert.Equal(3UL, s.Word(s.Sp));
        Assert.Equal("/bin/prog", s.String(s.Word(s.Sp + 8)));
        Assert.Equal("one", s.String(s.Word(s.Sp + 16)));
        Assert.Equal("two", s.String(s.Word(s.Sp + 24)));
        Assert.Equal(0UL, s.Word(s.Sp + 32));
        Assert.Equal("HOME=/", s.String(s.Word(s.Sp + 40)));
        Assert.Equal("TERM=linux", s.String(s.Word(s.Sp + 48)));
        Assert.Equal(0UL, s.Word(s.Sp + 56));
        // Strings: argv block first, then envp, then execfn, then 8 zero bytes at the very top.
        Assert.True(s.Word(s.Sp + 8) < s.Word(s.Sp + 16) && s.Word(s.Sp + 24) < s.Word(s.Sp + 40));
        Assert.Equal(0UL, s.Word(Top - 8));

        var aux = new Dictionary<ulong, ulong>();
        var order = new List<ulong>();
        for (ulong a = s.Sp + 64; ; a += 16)
        {
            ulong type = s.Word(a), value = s.Word(a + 8);
            order.Add(type);
            if (type == 0) break;
            aux[type] = value;
        }
        Assert.Equal(new ulong[] { 16, 6, 17, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 23, 25, 31, 15, 0 }, order);
        Assert.Equal(4096UL, aux[InitialStack.AtPagesz]);
        Assert.Equal(0x400040UL, aux[InitialStack.AtPhdr]);
        Assert.Equal(56UL, aux[InitialStack.AtPhent]);
        Assert.Equal(7UL, aux[InitialStack.AtPhnum]);
        Assert.Equal(0x401000UL, aux[InitialStack.AtEntry]);
        Assert.Equal(0UL, aux[InitialStack.AtSecure]);
        Assert.Equal("/bin/prog", s.String(aux[InitialStack.AtExecfn]));
        Assert.Equal("x86_64", s.String(aux[InitialStack.AtPlatform]));
        ulong random = aux[InitialStack.AtRandom];
        for (ulong i = 0; i < 16; i++) Assert.Equal((byte)(0xa0 + i), s.Byte(random + i));
        Assert.True(random > s.Sp && random + 16 <= aux[InitialStack.AtPlatform]);
        Assert.True(aux[InitialStack.AtPlatform] + 7 <= s.Word(s.Sp + 8));
    }

    [Fact]
    public void NoArgumentsStillEndsWithNulls()
    {
        using Image s = Build(Array.Empty<string>(), Array.Empty<string>());
        Assert.Equal(0UL, s.Word(s.Sp));
        Assert.Equal(0UL, s.Word(s.Sp + 8));
        Assert.Equal(0UL, s.Word(s.Sp + 16));
        Assert.Equal(InitialStack.AtHwcap, s.Word(s.Sp + 24));
    }

    [Fact]
    public void TooMuchDoesNotFit()
    {
        string big = new string('x', 3000);
        using Image s = Build(new[] { big, big, big }, Array.Empty<string>());
        Assert.Equal(0UL, s.Sp);
    }

    [Fact]
    public void StringListRefusesTheThirtyThird()
    {
        StringList list = default;
        byte b = 0;
        for (int i = 0; i < StringList.MaxStrings; i++) Assert.True(list.Add(&b, 0));
        Assert.False(list.Add(&b, 0));
    }
}
