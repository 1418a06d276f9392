// The read-only file layer on the initrd: open/openat, read, pread64, lseek, fstat,
// newfstatat, getdents64, close; and the console's TCGETS / TIOCGWINSZ.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>
#include "check.h"

static const char greeting[] = "This file lives in the initrd at /etc/greeting.txt.\n";

int main(void)
{
    char buf[256];
    struct stat st;

    int fd = open("/etc/greeting.txt", O_RDONLY);
    CHECK(fd == 3, "open gives the lowest free descriptor, 3");
    CHECK(read(fd, buf, sizeof greeting - 1) == (ssize_t)(sizeof greeting - 1) && memcmp(buf, greeting, sizeof greeting - 1) == 0,
          "read the first line");
    CHECK(lseek(fd, 0, SEEK_CUR) == (off_t)(sizeof greeting - 1), "lseek SEEK_CUR reports the position");
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 60, "fstat: a regular file with its size");
    off_t size = st.st_size;
    CHECK(lseek(fd, 0, SEEK_END) == size, "lseek SEEK_END");
    CHECK(read(fd, buf, 10) == 0, "read at the end gives 0");
    CHECK(lseek(fd, 5, SEEK_SET) == 5 && read(fd, buf, 4) == 4 && memcmp(buf, "file", 4) == 0, "lseek SEEK_SET then read");
    CHECK(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "This", 4) == 0, "pread64 at 0");
    CHECK(lseek(fd, 0, SEEK_CUR) == 9, "pread64 leaves the position alone");
    CHECK(pread(fd, buf, 10, size + 100) == 0, "pread64 beyond the end gives 0");
    CHECK(close(fd) == 0, "close");
    CHECK(close(fd) == -1 && errno == EBADF, "close again is EBADF");

    // Paths: dot segments, doubled slashes, relative to a directory descriptor.
    CHECK(stat("//etc/./../etc//greeting.txt", &st) == 0 && st.st_size == size, "stat through a messy path");
    int etc = open("/etc", O_RDONLY | O_DIRECTORY);
    CHECK(etc >= 0, "open /etc");
    int rel = openat(etc, "greeting.txt", O_RDONLY);
    CHECK(rel >= 0 && read(rel, buf, 4) == 4 && memcmp(buf, "This", 4) == 0, "openat relative to /etc");
    CHECK(fstatat(etc, "../bin/hello", &st, 0) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111), "newfstatat ../bin/hello");
    CHECK(fstatat(etc, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode), "newfstatat AT_EMPTY_PATH on a directory");
    CHECK(fstatat(AT_FDCWD, "/", &st, 0) == 0 && S_ISDIR(st.st_mode), "stat of the root");

    // The ELF header of a program in the initrd.
    int elf = open("/bin/hello", O_RDONLY);
    CHECK(elf >= 0 && read(elf, buf, 4) == 4 && memcmp(buf, "\177ELF", 4) == 0, "/bin/hello starts with the ELF magic");

    // getdents64 on /bin lists ".", ".." and the programs (raw: opendir needs malloc, which
    // waits for brk/mmap).
    int dot = 0, dotdot = 0, hello = 0, files = 0, entries = 0;
    int bin = open("/bin", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(bin >= 0, "open /bin with O_CLOEXEC (musl adds fcntl F_SETFD)");
    char dents[128]; // small, so the listing takes several calls
    long n;
    while ((n = syscall(SYS_getdents64, bin, dents, sizeof dents)) > 0)
    {
        for (long off = 0; off < n;)
        {
            struct dirent *e = (struct dirent *)(dents + off);
            entries++;
            if (strcmp(e->d_name, ".") == 0) dot = 1;
            else if (strcmp(e->d_name, "..") == 0) dotdot = 1;
            else if (strcmp(e->d_name, "hello") == 0) hello = e->d_type == DT_REG;
            if (strcmp(e->d_name, "files") == 0) files = 1;
            off += e->d_reclen;
        }
    }
    printf("# /bin has %d entries\n", entries);
    CHECK(n == 0, "getdents64 ends with 0");
    CHECK(dot && dotdot, "/bin lists . and ..");
    CHECK(hello && files, "/bin lists hello (DT_REG) and files");
    CHECK(lseek(bin, 0, SEEK_SET) == 0 && syscall(SYS_getdents64, bin, dents, sizeof dents) > 0, "rewind and list again");

    int root = open("/", O_RDONLY | O_DIRECTORY);
    int binSeen = 0, etcSeen = 0;
    while ((n = syscall(SYS_getdents64, root, dents, sizeof dents)) > 0)
        for (long off = 0; off < n;)
        {
            struct dirent *e = (struct dirent *)(dents + off);
            if (strcmp(e->d_name, "bin") == 0) binSeen = e->d_type == DT_DIR;
            if (strcmp(e->d_name, "etc") == 0) etcSeen = 1;
            off += e->d_reclen;
        }
    CHECK(binSeen && etcSeen, "/ lists bin (DT_DIR) and etc");

    // The console.
    struct termios t;
    struct winsize w;
    CHECK(tcgetattr(1, &t) == 0 && (t.c_lflag & ICANON), "TCGETS on stdout: canonical mode");
    CHECK(ioctl(1, TIOCGWINSZ, &w) == 0 && w.ws_col == 80 && w.ws_row == 25, "TIOCGWINSZ: 80x25");
    CHECK(isatty(0) && isatty(1) && !isatty(elf), "isatty on the console, not on a file");
    CHECK(fstat(1, &st) == 0 && S_ISCHR(st.st_mode), "fstat(1): a character device");
    return check_done("files");
}
