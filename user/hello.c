// The first user program: printf through musl's stdio (writev on stdout), exit status 0.
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello, world from ring 3!\n");
    for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
