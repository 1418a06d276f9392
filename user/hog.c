// hog [MiB]: allocates and touches memory without end (or MiB of it, then exits 0): malloc,
// then every page written. Without a limit the kernel must kill it with an OOM report and
// get every frame back.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : -1;
    for (long mib = 0; limit < 0 || mib < limit; mib++)
    {
        char *p = malloc(1 << 20);
        if (p == NULL) return 3; // address space refused before memory ran out: a failure
        for (int i = 0; i < (1 << 20); i += 4096) p[i] = 1;
        if (mib % 32 == 31) printf("hog: %ld MiB\n", mib + 1);
    }
    return 0;
}
