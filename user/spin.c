// Burns CPU in ring 3 forever, without a syscall: with two of these runnable, only the timer
// tick can switch between them, and only a kill ends them (the in-guest process suite).
int main(void)
{
    for (;;) { }
}
