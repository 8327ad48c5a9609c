/* client: alice and bob run this image. Each adds to its counter in the passive server a few
 * times, checks every reply, then asks for the total. */
#include <microkit.h>
#include <microkit_dbgfmt.h>

#include "protocol.h"

static void say(const char *s)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(s);
}

static seL4_Word add(seL4_Word amount)
{
    microkit_mr_set(0, amount);
    microkit_msginfo reply = microkit_ppcall(SERVER_CHANNEL, microkit_msginfo_new(COUNTER_ADD, 1));
    if (microkit_msginfo_get_label(reply) != COUNTER_ADD || microkit_msginfo_get_count(reply) != 1) {
        say("bad reply to add\n");
        return 0;
    }
    return microkit_mr_get(0);
}

void init(void)
{
    /* alice adds 1, 2, 3; bob adds 10, 20, 30. */
    seL4_Word step = microkit_name[0] == 'a' ? 1 : 10, expect = 0;
    int ok = 1;
    say("init\n");
    for (seL4_Word i = 1; i <= 3; i++) {
        expect += i * step;
        seL4_Word got = add(i * step);
        say("my counter is ");
        dbgfmt_put_dec(got);
        microkit_dbg_puts(got == expect ? "\n" : " (wrong)\n");
        ok &= got == expect;
    }
    microkit_msginfo reply = microkit_ppcall(SERVER_CHANNEL, microkit_msginfo_new(COUNTER_TOTAL, 0));
    say("total ");
    dbgfmt_put_dec(microkit_mr_get(0));
    microkit_dbg_puts(" after ");
    dbgfmt_put_dec(microkit_mr_get(1));
    microkit_dbg_puts(" calls\n");
    ok &= microkit_msginfo_get_label(reply) == COUNTER_TOTAL;
    say(ok ? "TEST_PASS\n" : "TEST_FAIL\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
