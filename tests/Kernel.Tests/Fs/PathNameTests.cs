using System.Text;
using Kernel.Fs;
using Xunit;

namespace Kernel.Tests.Fs;

public unsafe class PathNameTests
{
    private static string Normalize(string basePath, string path)
    {
        byte[] b = Encoding.ASCII.GetBytes(basePath), p = Encoding.ASCII.GetBytes(path);
        byte[] output = new byte[PathName.MaxLength];
        fixed (byte* bp = b) fixed (byte* pp = p) fixed (byte* o = output)
        {
            int n = PathName.Normalize(bp, b.Length, pp, p.Length, o);
            return n < 0 ? "<too long>" : Encoding.ASCII.GetString(o, n);
        }
    }

    [Theory]
    [InlineData("", "/", "")]
    [InlineData("", "/bin/hello", "bin/hello")]
    [InlineData("", "//bin///hello/", "bin/hello")]
    [InlineData("", "/./bin/./hello", "bin/hello")]
    [InlineData("", "/bin/../etc/motd", "etc/motd")]
    [InlineData("", "/../../..", "")]
    [InlineData("", "/a/b/../../../c", "c")]
    [InlineData("etc", "motd", "etc/motd")]
    [InlineData("etc", "../bin/hello", "bin/hello")]
    [InlineData("etc", "/bin", "bin")]
    [InlineData("a/b", "..", "a")]
    [InlineData("", "...", "...")]
    [InlineData("", ".hidden/..x", ".hidden/..x")]
    public void Normalizes(string basePath, string path, string expected) => Assert.Equal(expected, Normalize(basePath, path));

    [Fact]
    public void TooLongIsRefused()
    {
        Assert.Equal("<too long>", Normalize("", "/" + new string('a', PathName.MaxLength)));
        Assert.Equal(new string('a', 4000), Normalize("", "/" + new string('a', 4000)));
    }
}
