// The console's foreground process group and its signal keys. Ctrl-C (0x03) and Ctrl-\ (0x1c)
// typed at any time send SIGINT / SIGQUIT to every process of the foreground group, from the
// serial or keyboard interrupt that receives the byte (ConsoleInput.Push): only pending bits
// are set (ProcessGroups.Signal), nothing allocates or blocks; the target acts on the signal
// at its next return to ring 3 (a spinning process at the next timer tick). The byte is then
// not queued; the line discipline drops the partial line and echoes ^C at its next read (the
// echo waits for a reader). With no foreground group (the kernel shell between programs) or an
// empty one, the byte is queued as ordinary input. init= and the shell's foreground `run`
// make the program's group the foreground one; TIOCSPGRP changes it (job-control shells).
using Kernel.Tasks;
using Kernel.Syscalls;

namespace Kernel.Fs;

public static unsafe class ConsoleForeground
{
    public const byte Interrupt = 0x03, Quit = 0x1c;

    static int s_group;
    static byte s_typed;   // the last signal key acted on, until the line discipline echoes it

    public static int Group => s_group;
    public static void SetGroup(int pgid) => s_group = pgid;

    /// <summary>Interrupt context: true when <paramref name="b"/> was a signal key that reached
    /// the foreground group (the byte is consumed).</summary>
    public static bool OnInputByte(byte b)
    {
        if (b != Interrupt && b != Quit || s_group <= 0) return false;
        int signal = b == Interrupt ? Signals.SIGINT : Signals.SIGQUIT;
        if (ProcessGroups.Signal(s_group, signal, SignalInfo.SiKernel, 0) != 0) return false;
        s_typed = b;
        return true;
    }

    /// <summary>The signal key typed since the last call, or 0.</summary>
    public static byte TakeTyped()
    {
        ulong token = Kernel.Platform.Interrupts.SaveAndDisable();
        byte b = s_typed;
        s_typed = 0;
        Kernel.Platform.Interrupts.Restore(token);
        return b;
    }

    /// <summary>TIOCSPGRP: 0, -EINVAL (negative), -ESRCH (no such group), -EPERM (a group of
    /// another session).</summary>
    public static int Change(int pgid)
    {
        if (pgid < 0) return -Errno.EINVAL;
        Process* member = ProcessGroups.Member(pgid);
        if (member == null) return -Errno.ESRCH;
        if (member->Sid != Scheduler.Current->Sid) return -Errno.EPERM;
        s_group = pgid;
        return 0;
    }
}
