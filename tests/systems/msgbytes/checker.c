#include "bytes.h"

struct job {
    size_t n;
    bool ok;
};

static int check(microkit_msg_bytes_const b, void *ctx)
{
    struct job *j = ctx;
    j->ok = b.len == j->n;
    for (size_t i = 0; j->ok && i < b.len; i++)
        j->ok = b.data[i] == byte_at(j->n, i, 0);
    return 0;
}

static int answer(microkit_msg_bytes b, void *ctx)
{
    struct job *j = ctx;
    for (size_t i = 0; i < b.len; i++)
        b.data[i] = byte_at(j->n, i, 1);
    return 0;
}

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    struct job j = { microkit_mr_get(0), false };
    seL4_Word count = microkit_msginfo_get_count(msginfo);
    if (count < 1 || microkit_msg_words(j.n) != count - 1 || microkit_with_msg_bytes(1, j.n, check, &j) != 0) {
        say("%U bytes in %U words: bad length", (seL4_Word)j.n, count);
        return microkit_msginfo_new(0, 0);
    }
    say("%U bytes in %U words: %s", (seL4_Word)j.n, count, j.ok ? "ok" : "WRONG");
    microkit_with_msg_bytes_mut(1, j.n, answer, &j);
    microkit_mr_set(0, j.n);
    return microkit_msginfo_new(0, count);
}
