// Exits with the number given as argv[1] (0 without one), printing nothing: the in-guest
// process suite checks wait statuses with it.
#include <stdlib.h>

int main(int argc, char **argv)
{
    return argc > 1 ? atoi(argv[1]) : 0;
}
