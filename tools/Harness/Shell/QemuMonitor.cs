using System;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Harness;

/// <summary>
/// QEMU's human monitor over a Unix socket (-monitor unix:PATH,server=on,wait=off): one
/// command at a time, the reply is everything up to the next "(qemu) " prompt.
/// </summary>
public sealed class QemuMonitor : IDisposable
{
    private const string MonitorPrompt = "(qemu) ";
    private readonly Socket socket;

    private QemuMonitor(Socket socket) { this.socket = socket; }

    /// <summary>Connects, retrying while QEMU creates the socket; reads the greeting.</summary>
    public static QemuMonitor Connect(string path, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (true)
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                s.Connect(new UnixDomainSocketEndPoint(path));
                var m = new QemuMonitor(s);
                m.ReadReply(timeout);
                return m;
            }
            catch (SocketException) when (DateTime.UtcNow < end)
            {
                s.Dispose();
                Thread.Sleep(100);
            }
        }
    }

    private string ReadReply(TimeSpan timeout)
    {
        var sb = new StringBuilder();
        var buffer = new byte[8192];
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        while (!sb.ToString().EndsWith(MonitorPrompt, StringComparison.Ordinal))
        {
            int n = socket.Receive(buffer);
            if (n == 0) throw new SocketException((int)SocketError.ConnectionReset);
            sb.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        string reply = sb.ToString();
        return reply[..^MonitorPrompt.Length];
    }

    /// <summary>Runs one command; returns its reply without the echoed command line.</summary>
    public string Command(string command, TimeSpan? timeout = null)
    {
        socket.Send(Encoding.UTF8.GetBytes(command + "\n"));
        string reply = ReadReply(timeout ?? TimeSpan.FromSeconds(30)).Replace("\r", "");
        // The monitor echoes the command (with terminal escapes); drop through the first newline.
        int nl = reply.IndexOf('\n');
        return nl < 0 ? "" : reply[(nl + 1)..];
    }

    public void Dispose() => socket.Dispose();
}
