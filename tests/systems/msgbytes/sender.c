#include "bytes.h"

static void view(size_t first_mr, size_t len)
{
    microkit_msg_bytes v = microkit_msg_bytes_mut(first_mr, len);
    microkit_msg_bytes_const c = microkit_msg_bytes_get(first_mr, len);
    if (microkit_msg_bytes_valid(v) != microkit_msg_bytes_const_valid(c) || v.len != c.len)
        say("view(%U, %U): mutable and read-only views disagree", (seL4_Word)first_mr, (seL4_Word)len);
    if (microkit_msg_bytes_valid(v))
        say("view(%U, %U): valid, %U bytes", (seL4_Word)first_mr, (seL4_Word)len, (seL4_Word)v.len);
    else
        say("view(%U, %U): invalid", (seL4_Word)first_mr, (seL4_Word)len);
}

static int called;
static int count_call(microkit_msg_bytes_const b, void *ctx)
{
    (void)b;
    (void)ctx;
    called++;
    return 7;
}

static void bounds(void)
{
    view(0, MICROKIT_MSG_BYTES_MAX);
    view(0, MICROKIT_MSG_BYTES_MAX + 1);
    view(119, 8);
    view(119, 9);
    view(120, 0);
    view(121, 0);
    view((size_t)-1, 1);

    /* Reads and writes must stay inside the view; a refused write changes nothing. */
    microkit_mr_set(119, 0);
    microkit_msg_bytes v = microkit_msg_bytes_mut(119, 4);
    unsigned char four[4] = { 1, 2, 3, 4 };
    bool w1 = microkit_msg_bytes_write(v, 0, four, 4);
    bool w2 = microkit_msg_bytes_write(v, 1, four, 4);
    bool w3 = microkit_msg_bytes_write(v, (size_t)-1, four, 2);
    bool w4 = microkit_msg_bytes_write(v, 4, four, 0);
    unsigned char got[4] = { 0 };
    bool r1 = microkit_msg_bytes_read(microkit_msg_bytes_get(119, 4), 0, got, 4);
    bool r2 = microkit_msg_bytes_read(microkit_msg_bytes_get(119, 4), 2, got, 3);
    say("write 4 at 0: %s, 4 at 1: %s, 2 at -1: %s, 0 at 4: %s; read 4 at 0: %s, 3 at 2: %s",
        w1 ? "yes" : "no", w2 ? "yes" : "no", w3 ? "yes" : "no", w4 ? "yes" : "no", r1 ? "yes" : "no",
        r2 ? "yes" : "no");
    say("bytes %U %U %U %U, MR119 upper half %x", (seL4_Word)got[0], (seL4_Word)got[1], (seL4_Word)got[2],
        (seL4_Word)got[3], microkit_mr_get(119) >> 32);
    int a = microkit_with_msg_bytes(0, MICROKIT_MSG_BYTES_MAX + 1, count_call, NULL);
    int b = microkit_with_msg_bytes(1, 16, count_call, NULL);
    say("with_msg_bytes out of range: %s, in range: %s, f called %u time(s)", a == -1 ? "-1" : "?",
        b == 7 ? "7" : "?", (unsigned)called);
    say("words for 0, 1, 8, 9 bytes: %U %U %U %U", (seL4_Word)microkit_msg_words(0),
        (seL4_Word)microkit_msg_words(1), (seL4_Word)microkit_msg_words(8), (seL4_Word)microkit_msg_words(9));
}

static void transfer(size_t n)
{
    microkit_msg_bytes out = microkit_msg_bytes_mut(1, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = byte_at(n, i, 0);
        microkit_msg_bytes_write(out, i, &c, 1);
    }
    microkit_mr_set(0, n);
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(1, 1 + microkit_msg_words(n)));
    seL4_Word rn = microkit_mr_get(0);
    bool ok = microkit_msginfo_get_count(r) == 1 + microkit_msg_words(n) && rn == n;
    microkit_msg_bytes_const in = microkit_msg_bytes_get(1, rn);
    for (size_t i = 0; ok && i < n; i++) {
        unsigned char c;
        ok = microkit_msg_bytes_read(in, i, &c, 1) && c == byte_at(n, i, 1);
    }
    say("%U bytes there and back: %s", (seL4_Word)n, ok ? "ok" : "WRONG");
}

void init(void)
{
    bounds();
    static const size_t sizes[] = { 1, 7, 8, 9, 100, MICROKIT_MSG_BYTES_MAX - sizeof(seL4_Word) };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        transfer(sizes[i]);
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}
