/* What the hops of ppchain send: stage s fills MR i with chain_word(s, i), distinct for every
 * (stage, register), so a lost, stale, shifted or truncated register shows. */
#ifndef CHAIN_H
#define CHAIN_H

#include "../common/pd.h"

#define NMR seL4_MsgMaxLength

static inline seL4_Word chain_word(seL4_Word stage, seL4_Word i)
{
    return stage * 0x9e3779b97f4a7c15u ^ (i + 1) * 0x0001000100010001u ^ (stage << 56);
}

/* Writes stage's words: even registers with microkit_mr_set, odd ones straight into the IPC
 * buffer — both must be the same message registers. */
static inline void chain_fill(seL4_Word stage)
{
    for (seL4_Word i = 0; i < NMR; i++) {
        if (i % 2 == 0)
            microkit_mr_set((seL4_Uint8)i, chain_word(stage, i));
        else
            seL4_GetIPCBuffer()->msg[i] = chain_word(stage, i);
    }
}

/* Checks stage's words, reading them the other way round; says which register is wrong. */
static inline bool chain_check(seL4_Word stage, const char *what)
{
    for (seL4_Word i = 0; i < NMR; i++) {
        seL4_Word got = i % 2 ? microkit_mr_get((seL4_Uint8)i) : seL4_GetIPCBuffer()->msg[i];
        if (got != chain_word(stage, i)) {
            say("%s: MR %U is %x, expected %x", what, i, got, chain_word(stage, i));
            return false;
        }
    }
    say("%s: all %U MRs intact", what, (seL4_Word)NMR);
    return true;
}

static inline void chain_info(const char *what, microkit_msginfo m)
{
    say("%s: label %x, count %U", what, microkit_msginfo_get_label(m), (seL4_Word)microkit_msginfo_get_count(m));
}

#endif
