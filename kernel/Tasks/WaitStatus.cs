// Platform-neutral shared source (kernel and host tests).
// Linux's wait status: a normal exit puts the code in bits 8..15, a death by signal puts the
// signal in bits 0..6 (bit 7: core dumped, never set here). The shell's convention for "how
// did it end" as one number: the exit code, or 128 + the signal.
namespace Kernel.Tasks;

public static class WaitStatus
{
    public static int Exited(int code) => (code & 0xff) << 8;
    public static int Killed(int signal) => signal & 0x7f;

    public static bool IsExited(int status) => (status & 0x7f) == 0;
    public static int ExitCode(int status) => (status >> 8) & 0xff;
    public static int Signal(int status) => status & 0x7f;

    public static int ShellStatus(int status) => IsExited(status) ? ExitCode(status) : 128 + Signal(status);
}

public static class Signals
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
        SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
        SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGURG = 23, SIGWINCH = 28;

    /// <summary>Signals whose default action does nothing here: SIGCHLD, SIGURG, SIGWINCH ignore;
    /// SIGCONT continues, and nothing is ever stopped. Every other default terminates.</summary>
    public static bool DefaultIgnored(int signal) =>
        signal == SIGCHLD || signal == SIGURG || signal == SIGWINCH || signal == SIGCONT;

    /// <summary>The signal Linux sends for a CPU exception in user mode (arch/x86/kernel/traps.c).</summary>
    public static int ForException(int vector) => vector switch
    {
        0 => SIGFPE,    // #DE
        1 => SIGTRAP,   // #DB
        3 => SIGTRAP,   // #BP
        4 => SIGSEGV,   // #OF
        5 => SIGSEGV,   // #BR
        6 => SIGILL,    // #UD
        10 => SIGSEGV,  // #TS
        11 => SIGBUS,   // #NP
        12 => SIGBUS,   // #SS
        13 => SIGSEGV,  // #GP
        14 => SIGSEGV,  // #PF
        16 => SIGFPE,   // #MF
        17 => SIGBUS,   // #AC
        19 => SIGFPE,   // #XM
        _ => SIGKILL,
    };

    public static string Name(int signal) => signal switch
    {
        SIGHUP => "SIGHUP", SIGINT => "SIGINT", SIGQUIT => "SIGQUIT", SIGILL => "SIGILL", SIGTRAP => "SIGTRAP",
        SIGABRT => "SIGABRT", SIGBUS => "SIGBUS", SIGFPE => "SIGFPE", SIGKILL => "SIGKILL", SIGUSR1 => "SIGUSR1",
        SIGSEGV => "SIGSEGV", SIGUSR2 => "SIGUSR2", SIGPIPE => "SIGPIPE", SIGALRM => "SIGALRM", SIGTERM => "SIGTERM",
        SIGSTOP => "SIGSTOP", SIGCHLD => "SIGCHLD", SIGCONT => "SIGCONT", SIGURG => "SIGURG", SIGWINCH => "SIGWINCH",
        _ => "SIG?",
    };
}
