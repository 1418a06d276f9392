// Process groups and sessions the Linux way, run as init (pid 1, leader of its session and
// group, the console's foreground group): getpgid/getpgrp/getsid, setsid and setpgid with their
// errnos (EPERM, ESRCH, EINVAL, EACCES after the child's execve), fork inheriting both ids,
// kill(0), kill(-pgid) to busy-looping children in their own group, kill(-1), wait4(0) and
// wait4(-pgid), and the console's TIOCGPGRP / TIOCSPGRP.
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static volatile int usr1_hits, usr2_hits;
static void on_usr1(int sig) { (void)sig; usr1_hits++; }
static void on_usr2(int sig) { (void)sig; usr2_hits++; }

static void handle(int sig, void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, NULL);
}

static void nap(void)
{
    struct timespec d = { 0, 10 * 1000 * 1000 };
    nanosleep(&d, NULL);
}

// A child that burns CPU in ring 3 without a syscall: only a signal ends it.
static pid_t spinner(void)
{
    pid_t pid = fork();
    if (pid == 0) for (;;) { }
    return pid;
}

static void ids(void)
{
    pid_t me = getpid();
    CHECK(getpgrp() == me && getpgid(0) == me && getsid(0) == me, "init leads its own group and session");
    CHECK(getpgid(me) == me && getsid(me) == me, "getpgid/getsid by pid");
    CHECK_ERRNO(getpgid(30000), ESRCH, "getpgid(30000)");
    CHECK_ERRNO(getsid(30000), ESRCH, "getsid(30000)");
    CHECK_ERRNO(getpgid(-5), ESRCH, "getpgid(-5)");
    CHECK_ERRNO(setsid(), EPERM, "setsid as a group leader");
    CHECK_ERRNO(setpgid(0, -1), EINVAL, "setpgid pgid -1");
    CHECK_ERRNO(setpgid(30000, 0), ESRCH, "setpgid of no such process");
    CHECK_ERRNO(setpgid(0, 0), EPERM, "setpgid of a session leader");

    pid_t pid = fork();
    if (pid == 0) _exit(getpgrp() == getppid() && getsid(0) == getppid() ? 0 : 1);
    int status = child_status(pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fork inherits the group and session");
}

static void moving(void)
{
    pid_t me = getpid();
    pid_t a = spinner();
    CHECK(setpgid(a, a) == 0 && getpgid(a) == a && getsid(a) == me, "setpgid(child, child): a new group in the same session");
    pid_t b = spinner();
    CHECK(setpgid(b, a) == 0 && getpgid(b) == a, "setpgid(child, existing group of the session)");
    CHECK_ERRNO(setpgid(b, 30000), EPERM, "setpgid into a group that does not exist");
    CHECK(setpgid(b, me) == 0 && getpgid(b) == me, "setpgid back into the parent's group");
    CHECK(setpgid(b, a) == 0, "and into the new group again");

    // The console: foreground group is init's; only groups of the caller's session qualify.
    int group = -1;
    CHECK(ioctl(0, TIOCGPGRP, &group) == 0 && group == me, "TIOCGPGRP: init's group is in the foreground");
    int bad = -1;
    CHECK_ERRNO(ioctl(0, TIOCSPGRP, &bad), EINVAL, "TIOCSPGRP -1");
    bad = 30000;
    CHECK_ERRNO(ioctl(0, TIOCSPGRP, &bad), ESRCH, "TIOCSPGRP to no such group");
    CHECK_ERRNO(ioctl(0, TIOCSPGRP, (void *)8), EFAULT, "TIOCSPGRP unreadable argument");
    CHECK(ioctl(0, TIOCSPGRP, &a) == 0 && ioctl(0, TIOCGPGRP, &group) == 0 && group == a, "TIOCSPGRP to the children's group");
    CHECK(tcsetpgrp(0, me) == 0 && tcgetpgrp(0) == me, "tcsetpgrp back to init's group");
    CHECK(ioctl(0, TIOCSCTTY, 0) == 0 && ioctl(0, TIOCNOTTY, 0) == 0, "TIOCSCTTY / TIOCNOTTY succeed");

    CHECK(kill(-a, SIGTERM) == 0, "kill(-pgid, SIGTERM) to two busy-looping children");
    int first = -1, second = -1;
    pid_t r1 = wait4(-a, &first, 0, NULL), r2 = wait4(-a, &second, 0, NULL);
    CHECK((r1 == a && r2 == b) || (r1 == b && r2 == a), "wait4(-pgid) reaped both members");
    CHECK(WIFSIGNALED(first) && WTERMSIG(first) == SIGTERM && WIFSIGNALED(second) && WTERMSIG(second) == SIGTERM, "both killed by SIGTERM");
    CHECK_ERRNO(wait4(-a, NULL, 0, NULL), ECHILD, "wait4(-pgid) with no members left");
    CHECK_ERRNO(kill(-a, SIGTERM), ESRCH, "kill(-pgid) of an empty group");
    CHECK_ERRNO(kill(-30000, 0), ESRCH, "kill(-30000, 0)");
    CHECK_ERRNO(kill(-a, 65), EINVAL, "kill(-pgid, 65)");
}

static void sessions(void)
{
    pid_t me = getpid();
    pid_t pid = fork();
    if (pid == 0)
    {
        pid_t self = getpid();
        int ok = setsid() == self && getsid(0) == self && getpgrp() == self;
        ok = ok && setpgid(0, getppid()) == -1 && errno == EPERM;    // a session leader stays
        ok = ok && setsid() == -1 && errno == EPERM;                 // and cannot again
        if (!ok) _exit(1);
        for (;;) pause();
    }
    for (int i = 0; i < 500 && getsid(pid) != pid; i++) nap();
    CHECK(getsid(pid) == pid && getpgid(pid) == pid, "the child's setsid made it leader of a new session and group");
    CHECK_ERRNO(setpgid(pid, pid), EPERM, "setpgid of a child in another session");
    CHECK_ERRNO(setpgid(0, pid), EPERM, "setpgid into a group of another session");
    CHECK_ERRNO(tcsetpgrp(0, pid), EPERM, "TIOCSPGRP to a group of another session");
    kill(pid, SIGKILL);
    int status = child_status(pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the session leader child passed its own checks");

    pid_t other = fork();
    if (other == 0)
    {
        // Not the session leader's child, nor the caller: ESRCH for a stranger.
        int ok = setpgid(getppid(), 0) == -1 && errno == ESRCH;
        _exit(ok ? 0 : 1);
    }
    status = child_status(other);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "setpgid of the parent -> ESRCH");
    (void)me;
}

static void after_exec(void)
{
    usr2_hits = 0;
    handle(SIGUSR2, on_usr2);
    pid_t pid = fork();
    if (pid == 0)
    {
        char *argv[] = { "/bin/pgrp", "exec-child", NULL };
        execve(argv[0], argv, NULL);
        _exit(2);
    }
    for (int i = 0; i < 500 && usr2_hits == 0; i++) nap();
    CHECK(usr2_hits > 0, "the exec'd child announced itself");
    CHECK_ERRNO(setpgid(pid, pid), EACCES, "setpgid of a child after its execve");
    kill(pid, SIGKILL);
    child_status(pid);
}

static void group_signals(void)
{
    signal(SIGUSR2, SIG_DFL);
    pid_t same = spinner();                       // stays in init's group, SIGUSR2 default: dies
    pid_t apart = spinner();
    setpgid(apart, apart);
    usr2_hits = 0;
    handle(SIGUSR2, on_usr2);                     // the caller's own, after the forks
    CHECK(kill(0, SIGUSR2) == 0, "kill(0, SIGUSR2) to the caller's group");
    for (int i = 0; i < 500 && usr2_hits == 0; i++) nap();
    CHECK(usr2_hits == 1, "the caller's own handler ran");
    int status = child_status(same);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR2, "the child in the group died of SIGUSR2");
    int st = 0;
    CHECK(waitpid(apart, &st, WNOHANG) == 0, "the child in another group was not signalled");

    // wait4(0): only children of the caller's group; wait4(-pgid): that group's.
    pid_t mine = fork();
    if (mine == 0) _exit(3);
    CHECK(wait4(0, &status, 0, NULL) == mine && WEXITSTATUS(status) == 3, "wait4(0) reaps the child of the caller's group");
    CHECK(wait4(0, &status, WNOHANG, NULL) == -1 && errno == ECHILD, "wait4(0) ignores the child of another group -> ECHILD");
    CHECK(wait4(-apart, &status, WNOHANG, NULL) == 0, "wait4(-pgid, WNOHANG): member still running");

    // kill(-1): everyone but init and the caller (here both are this process).
    CHECK(kill(-1, SIGTERM) == 0, "kill(-1, SIGTERM)");
    status = child_status(apart);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "kill(-1) reached the other group's child");
    CHECK_ERRNO(kill(-1, 0), ESRCH, "kill(-1, 0) with no other process");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
    {
        kill(getppid(), SIGUSR2);
        for (;;) pause();
    }
    handle(SIGUSR1, on_usr1);
    ids();
    moving();
    sessions();
    after_exec();
    group_signals();
    return check_done("pgrp");
}
