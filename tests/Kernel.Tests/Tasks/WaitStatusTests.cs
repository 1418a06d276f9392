using Kernel.Tasks;
using Xunit;

namespace Kernel.Tests.Tasks;

public class WaitStatusTests
{
    [Theory]
    [InlineData(0, 0x0000)]
    [InlineData(1, 0x0100)]
    [InlineData(255, 0xff00)]
    [InlineData(256, 0x0000)] // exit codes are 8 bits
    [InlineData(-1, 0xff00)]
    public void ExitCodesSitInBits8To15(int code, int status)
    {
        Assert.Equal(status, WaitStatus.Exited(code));
        Assert.True(WaitStatus.IsExited(status));
        Assert.Equal(code & 0xff, WaitStatus.ShellStatus(status));
    }

    [Theory]
    [InlineData(Signals.SIGSEGV, 139)]
    [InlineData(Signals.SIGFPE, 136)]
    [InlineData(Signals.SIGILL, 132)]
    [InlineData(Signals.SIGKILL, 137)]
    public void SignalsSitInTheLowSevenBits(int signal, int shell)
    {
        int status = WaitStatus.Killed(signal);
        Assert.Equal(signal, status);
        Assert.False(WaitStatus.IsExited(status));
        Assert.Equal(signal, WaitStatus.Signal(status));
        Assert.Equal(shell, WaitStatus.ShellStatus(status));
    }

    [Theory]
    [InlineData(0, Signals.SIGFPE)]
    [InlineData(6, Signals.SIGILL)]
    [InlineData(13, Signals.SIGSEGV)]
    [InlineData(14, Signals.SIGSEGV)]
    [InlineData(17, Signals.SIGBUS)]
    [InlineData(19, Signals.SIGFPE)]
    [InlineData(3, Signals.SIGTRAP)]
    public void ExceptionsMapToLinuxSignals(int vector, int signal) => Assert.Equal(signal, Signals.ForException(vector));

    [Fact]
    public void OnlyChldUrgWinchAndContDefaultToIgnore()
    {
        for (int signal = 1; signal <= 64; signal++)
        {
            bool expected = signal is Signals.SIGCHLD or Signals.SIGURG or Signals.SIGWINCH or Signals.SIGCONT;
            Assert.Equal(expected, Signals.DefaultIgnored(signal));
        }
        Assert.Equal(17, Signals.SIGCHLD);
        Assert.Equal(23, Signals.SIGURG);
        Assert.Equal(28, Signals.SIGWINCH);
    }
}
