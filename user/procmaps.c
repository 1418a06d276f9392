// /proc through the file layer: /proc/self/maps shows merges and mprotect splits the way
// Linux's kselftests read them, [heap] and [stack] are named, /proc/PID/maps and the memory
// files read, bad opens get Linux's errno.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define PAGE 4096UL
static char text[65536];

static int read_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int total = 0, n;
    while ((n = read(fd, text + total, 1000)) > 0 && total < (int)sizeof text - 1000) total += n; // small reads: resumed by position
    text[total] = 0;
    close(fd);
    return total;
}

// Number of maps lines that overlap [start, end).
static int lines_in(void *start, void *end)
{
    read_file("/proc/self/maps");
    int count = 0;
    for (char *line = text; *line; )
    {
        unsigned long a = strtoul(line, &line, 16), b = strtoul(line + 1, &line, 16);
        if (a < (unsigned long)end && b > (unsigned long)start) count++;
        char *nl = strchr(line, '\n');
        if (!nl) break;
        line = nl + 1;
    }
    return count;
}

int main(void)
{
    CHECK(read_file("/proc/self/maps") > 0, "read /proc/self/maps");
    CHECK(strstr(text, "[stack]") != NULL, "[stack] is named");
    CHECK(strstr(text, " r-xp ") != NULL || strstr(text, " r-xp") != NULL, "a text mapping r-xp");
    free(malloc(1000));
    syscall(SYS_brk, syscall(SYS_brk, 0) + 8192); // musl's sbrk only answers sbrk(0)
    read_file("/proc/self/maps");
    CHECK(strstr(text, "[heap]") != NULL, "[heap] after brk grew");

    char *base = mmap(NULL, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(base, 3 * PAGE);
    for (int i = 0; i < 3; i++)
        mmap(base + i * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(lines_in(base, base + 3 * PAGE) == 1, "three adjacent anonymous mappings merge into one VMA");
    CHECK(mprotect(base + PAGE, PAGE, PROT_READ) == 0 && lines_in(base, base + 3 * PAGE) == 3, "mprotect of the middle page splits into three");
    CHECK(mprotect(base + PAGE, PAGE, PROT_READ | PROT_WRITE) == 0 && lines_in(base, base + 3 * PAGE) == 1, "mprotect back merges into one");
    CHECK(munmap(base + PAGE, PAGE) == 0 && lines_in(base, base + 3 * PAGE) == 2, "munmap of the middle leaves two");

    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", getpid());
    CHECK(read_file(path) > 0 && strstr(text, "[stack]") != NULL, "/proc/PID/maps of itself");
    CHECK(read_file("/proc/meminfo") > 0 && strncmp(text, "MemTotal:", 9) == 0, "/proc/meminfo starts with MemTotal");
    CHECK(read_file("/proc/buddyinfo") > 0 && strstr(text, "zone") != NULL, "/proc/buddyinfo lists zones");
    CHECK(read_file("/proc/slabinfo") > 0 && strstr(text, "vm_area_struct") != NULL, "/proc/slabinfo lists vm_area_struct");
    CHECK_ERRNO(open("/proc/nothing", O_RDONLY), ENOENT, "open /proc/nothing");
    CHECK_ERRNO(open("/proc/99999/maps", O_RDONLY), ENOENT, "open /proc/99999/maps");
    CHECK_ERRNO(open("/proc/meminfo", O_WRONLY), EROFS, "open /proc/meminfo for writing");
    int fd = open("/proc/meminfo", O_RDONLY);
    CHECK_ERRNO(write(fd, "x", 1), EBADF, "write to a /proc file");
    close(fd);
    return check_done("procmaps");
}
