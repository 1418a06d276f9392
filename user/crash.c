// Dies silently of a NULL dereference (SIGSEGV): the kernel-side crash storm runs it 1,000
// times in a row and checks that every frame comes back.
int main(void)
{
    return *(volatile int *)0;
}
