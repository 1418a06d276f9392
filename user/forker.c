// forker N [touchKiB]: N process lifetimes in a row. Each child writes touchKiB of a buffer
// the parent filled before the fork (copy-on-write copies) and exits with i & 0x7f; the parent
// reaps each with wait4 and checks the status. Exit 0 when every child came back right.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100;
    size_t touch = (size_t)(argc > 2 ? atoi(argv[2]) : 16) * 1024;
    char *buffer = malloc(touch + 1);
    for (size_t i = 0; i < touch; i += 4096) buffer[i] = 1;
    int wrong = 0;
    for (int i = 0; i < n; i++)
    {
        pid_t pid = fork();
        if (pid < 0) { printf("forker: fork %d failed\n", i); return 2; }
        if (pid == 0)
        {
            for (size_t k = 0; k < touch; k += 4096) buffer[k] = 2;
            _exit(i & 0x7f);
        }
        int status = 0;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != (i & 0x7f)) wrong++;
    }
    for (size_t i = 0; i < touch; i += 4096) if (buffer[i] != 1) wrong++;
    if (wrong) printf("forker: %d wrong\n", wrong);
    return wrong ? 1 : 0;
}
