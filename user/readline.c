// Reads the console line by line until end of file (Ctrl-D) and echoes each line back with its
// length: the console's canonical-mode read, driven by the harness's shell session.
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char line[256];
    write(1, "readline: ready\n", 16);
    for (;;)
    {
        ssize_t n = read(0, line, sizeof line - 1);
        if (n < 0) { printf("readline: error\n"); return 1; }
        if (n == 0) break;
        line[n] = 0;
        if (n > 0 && line[n - 1] == '\n') line[--n] = 0;
        printf("read %zd: %s\n", n, line);
        fflush(stdout);
    }
    printf("readline: end of file\n");
    return 0;
}
