// musl's malloc on top of brk and mmap: small blocks from the heap, large ones (above
// musl's mmap threshold) as their own mappings; contents survive realloc, free gives back.
#include <stdlib.h>
#include <stdint.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
    void *brk0 = sbrk(0);
    CHECK(brk0 != (void *)-1, "sbrk(0) answers the break");

    enum { Count = 2000 };
    static unsigned char *blocks[Count];
    int bad = 0;
    for (int i = 0; i < Count; i++)
    {
        size_t size = 16 + (i * 37) % 3000;
        blocks[i] = malloc(size);
        if (blocks[i] == NULL) { bad++; continue; }
        memset(blocks[i], i & 0xff, size);
    }
    CHECK(bad == 0, "2000 small mallocs succeed");
    bad = 0;
    for (int i = 0; i < Count; i++)
    {
        size_t size = 16 + (i * 37) % 3000;
        for (size_t j = 0; j < size; j++)
            if (blocks[i][j] != (unsigned char)(i & 0xff)) { bad++; break; }
    }
    CHECK(bad == 0, "every small block kept its bytes");
    for (int i = 0; i < Count; i += 2) free(blocks[i]);
    for (int i = 0; i < Count; i += 2) blocks[i] = malloc(100);
    CHECK(blocks[0] != NULL && blocks[Count - 2] != NULL, "malloc after free");

    size_t big = 8u << 20;
    unsigned char *large = malloc(big);
    CHECK(large != NULL, "malloc 8 MiB (an mmap)");
    if (large)
    {
        CHECK(large[0] == 0 && large[big - 1] == 0 && large[big / 2] == 0, "fresh large block reads zero");
        for (size_t j = 0; j < big; j += 4096) large[j] = (unsigned char)(j >> 12);
        int wrong = 0;
        for (size_t j = 0; j < big; j += 4096) if (large[j] != (unsigned char)(j >> 12)) wrong++;
        CHECK(wrong == 0, "every page of the large block written and read back");
        unsigned char *grown = realloc(large, 2 * big);
        CHECK(grown != NULL, "realloc to 16 MiB (mremap)");
        if (grown)
        {
            wrong = 0;
            for (size_t j = 0; j < big; j += 4096) if (grown[j] != (unsigned char)(j >> 12)) wrong++;
            CHECK(wrong == 0, "realloc kept the contents");
            CHECK(grown[2 * big - 1] == 0, "the grown part reads zero");
            free(grown);
        }
    }
    char *text = calloc(1000, 1000);
    CHECK(text != NULL && text[999999] == 0, "calloc 1 MB reads zero");
    free(text);
    void *brk1 = sbrk(0);
    CHECK(brk1 > brk0, "the heap grew through brk");
    return check_done("malloc");
}
