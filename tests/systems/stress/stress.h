/* stress.h — what the stress systems' PDs agree on: how many operations, and the contents of the
 * message registers of call i (sent by the client) and of its reply (sent by the server), so that
 * each side can check every register it receives. */
#ifndef STRESS_H
#define STRESS_H

#include <microkit.h>

#define STRESS_N 100000u

/* Register j of call i; and of the reply to call i. */
static inline seL4_Word stress_call_mr(seL4_Word i, unsigned j) { return i * 0x9e3779b97f4a7c15ull + j; }
static inline seL4_Word stress_reply_mr(seL4_Word i, unsigned j) { return ~(i * 0xc2b2ae3d27d4eb4full) - j; }
/* How many registers call i carries (0..120), and its reply. */
static inline unsigned stress_call_len(seL4_Word i) { return (unsigned)(i % 121); }
static inline unsigned stress_reply_len(seL4_Word i) { return (unsigned)((i * 7) % 121); }

#endif
