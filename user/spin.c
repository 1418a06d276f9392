// Burns CPU in ring 3 forever, without a syscall: with two of these runnable, only the timer
// tick can switch between them, and only a kill ends them (the in-guest process suite).
// `spin announce` first prints "spin: looping" so a test knows the loop has begun (the shell
// session's Ctrl-C checks).
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "announce") == 0)
    {
        static const char line[] = "spin: looping\n";
        write(1, line, sizeof line - 1);
    }
    for (;;) { }
}
