using System.Text;
using Kernel.Fs.Proc;
using Xunit;

namespace Kernel.Tests.Fs.Proc;

public unsafe class ProcPathTests
{
    private static (bool under, ProcFile file, int pid) Parse(string path, int self = 7)
    {
        byte[] b = Encoding.ASCII.GetBytes(path);
        fixed (byte* p = b)
        {
            bool under = ProcPath.Parse(p, b.Length, self, out ProcFile file, out int pid);
            return (under, file, pid);
        }
    }

    [Theory]
    [InlineData("proc", ProcFile.Root, 0)]
    [InlineData("proc/meminfo", ProcFile.MemInfo, 0)]
    [InlineData("proc/buddyinfo", ProcFile.BuddyInfo, 0)]
    [InlineData("proc/slabinfo", ProcFile.SlabInfo, 0)]
    [InlineData("proc/self", ProcFile.ProcessDirectory, 7)]
    [InlineData("proc/self/maps", ProcFile.Maps, 7)]
    [InlineData("proc/1", ProcFile.ProcessDirectory, 1)]
    [InlineData("proc/42/maps", ProcFile.Maps, 42)]
    [InlineData("proc/9999999", ProcFile.ProcessDirectory, 9999999)]
    public void NamesANode(string path, ProcFile file, int pid) => Assert.Equal((true, file, pid), Parse(path));

    [Theory]
    [InlineData("proc/nothing")]
    [InlineData("proc/0")]           // the kernel task has no directory
    [InlineData("proc/01")]          // no leading zeros, as Linux
    [InlineData("proc/12a")]
    [InlineData("proc/-1")]
    [InlineData("proc/10000000")]    // longer than any pid
    [InlineData("proc/99999999999999999999")]
    [InlineData("proc/1/nothing")]
    [InlineData("proc/1/maps/x")]
    [InlineData("proc/meminfo/x")]
    [InlineData("proc/self/")]
    [InlineData("proc/selfx")]
    [InlineData("proc/meminf")]
    public void UnknownNamesUnderProcAreNone(string path)
    {
        var (under, file, _) = Parse(path);
        Assert.True(under, "lies under proc/");
        Assert.Equal(ProcFile.None, file);
    }

    [Theory]
    [InlineData("")]
    [InlineData("pro")]
    [InlineData("procx")]
    [InlineData("procx/meminfo")]
    [InlineData("bin/proc")]
    [InlineData("etc")]
    public void OtherPathsAreNotProc(string path) => Assert.False(Parse(path).under);

    [Theory]
    [InlineData(ProcFile.Root, 5, "proc")]
    [InlineData(ProcFile.ProcessDirectory, 1, "proc/1")]
    [InlineData(ProcFile.ProcessDirectory, 9999999, "proc/9999999")]
    public void FormatsTheDirectoryPathBack(ProcFile directory, int pid, string expected)
    {
        byte* output = stackalloc byte[16];
        int n = ProcPath.Format(directory, pid, output);
        Assert.Equal(expected, Encoding.ASCII.GetString(output, n));
        var back = Parse(expected, self: 3);
        Assert.Equal(directory, back.file);
    }
}
