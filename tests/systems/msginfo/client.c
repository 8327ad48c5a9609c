#include "label.h"

static const struct {
    seL4_Word label, count;
} cases[] = {
    { 0, 0 },
    { 1, 1 },
    { LABEL_MAX, 120 },
    { 0x123456789abcdu, 0 },
    { 0x8000000000000u, 119 },
    { 42, 120 },
};

void init(void)
{
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        seL4_Word label = cases[i].label, count = cases[i].count;
        microkit_msginfo m = microkit_msginfo_new(label, count);
        if (microkit_msginfo_get_label(m) != label || microkit_msginfo_get_count(m) != count)
            say("local round trip of %x/%U gave %x/%U", label, count, microkit_msginfo_get_label(m),
                (seL4_Word)microkit_msginfo_get_count(m));
        for (seL4_Word r = 0; r < count; r++)
            microkit_mr_set((seL4_Uint8)r, label + r);
        say("ppcall label %x count %U", label, count);
        microkit_msginfo reply = microkit_ppcall(0, m);
        seL4_Word rl = microkit_msginfo_get_label(reply), rc = microkit_msginfo_get_count(reply);
        bool ok = rl == reply_label(label) && rc == reply_count(count);
        for (seL4_Word r = 0; ok && r < rc; r++)
            ok = microkit_mr_get((seL4_Uint8)r) == rl - r;
        say("reply label %x count %U: %s", rl, rc, ok ? "ok" : "WRONG");
    }
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}
