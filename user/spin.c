// Burns CPU in ring 3 without a syscall, then exits 0: with two of these runnable, only the
// timer tick can switch between them (the in-guest process suite checks it does).
int main(void)
{
    for (volatile long i = 0; i < 5000000; i++) { }
    return 0;
}
