/* hostkit-sdk-runtime.c — the few C library functions a freestanding PD may still need on seL4.
 *
 * GCC and clang emit calls to memcpy, memmove, memset and memcmp even with -ffreestanding (struct
 * copies, large initialisers), and nanopb uses memcpy, memset and strlen. libmicrokit is not a C
 * library, so mk/microkit-sdk.mk links this file into every PD it builds. The definitions are weak:
 * one in libmicrokit or in the PD itself takes precedence. Simple byte loops: PDs that need fast
 * copies bring their own. */
#include <stddef.h>

/* Keep GCC from turning these loops back into calls to themselves. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

#define HOSTKIT_WEAK __attribute__((weak))

HOSTKIT_WEAK void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

HOSTKIT_WEAK void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

HOSTKIT_WEAK void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

HOSTKIT_WEAK int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

HOSTKIT_WEAK size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
