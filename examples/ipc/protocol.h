/* protocol.h — what the IPC example's client and server agree on.
 *
 * Three requests, told apart by the msginfo label:
 *   IPC_SUM    MR0..MRn-1: words. Reply (IPC_SUM|IPC_REPLY, 2 words): MR0 = their sum,
 *              MR1 = ipc_mix() of all of them, in order; so the reply depends on every word.
 *   IPC_STRUCT MR0: byte length, MR1..: a struct ipc_order as bytes.
 *              Reply (IPC_STRUCT|IPC_REPLY, 1 word): MR0 = the order's total in cents.
 *   IPC_PROTO  MR0: byte length, MR1..: an ipc.Order serialized with nanopb (ipc.proto).
 *              Reply (IPC_PROTO|IPC_REPLY): MR0: byte length, MR1..: an ipc.Receipt.
 * A request the server cannot decode gets the label IPC_ERROR and no words. */
#ifndef IPC_PROTOCOL_H
#define IPC_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include <microkit.h>

enum {
    IPC_SUM = 1,
    IPC_STRUCT = 2,
    IPC_PROTO = 3,
    IPC_REPLY = 0x100,
    IPC_ERROR = 0xbad,
};

/* The fixed-layout message: the same bytes on both sides because both are built for the same
 * target, and the layout is pinned down below so that a change shows at compile time. */
struct ipc_order {
    uint32_t order_id;
    uint16_t quantity;
    uint8_t express;      /* 0 or 1 */
    uint8_t item_len;     /* bytes of item[] in use */
    char item[16];        /* not NUL-terminated */
    uint64_t unit_price;  /* cents */
};
_Static_assert(sizeof(struct ipc_order) == 32, "struct ipc_order must be 32 bytes");
_Static_assert(offsetof(struct ipc_order, order_id) == 0, "ipc_order.order_id at 0");
_Static_assert(offsetof(struct ipc_order, quantity) == 4, "ipc_order.quantity at 4");
_Static_assert(offsetof(struct ipc_order, express) == 6, "ipc_order.express at 6");
_Static_assert(offsetof(struct ipc_order, item_len) == 7, "ipc_order.item_len at 7");
_Static_assert(offsetof(struct ipc_order, item) == 8, "ipc_order.item at 8");
_Static_assert(offsetof(struct ipc_order, unit_price) == 24, "ipc_order.unit_price at 24");
_Static_assert(sizeof(struct ipc_order) + sizeof(seL4_Word) <= seL4_MsgMaxLength * sizeof(seL4_Word),
               "struct ipc_order must fit in the message registers after the length word");

/* Folds words into one, order-sensitive (FNV-1a over words). */
static inline seL4_Word ipc_mix(const seL4_Word *w, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint64_t)w[i];
        h *= 0x100000001b3u;
    }
    return (seL4_Word)h;
}

/* microkit_dbg_put32 prints decimal and only 32 bits; words are printed in hex. */
static inline void ipc_put_hex(seL4_Word w)
{
    static const char digits[] = "0123456789abcdef";
    char buf[2 + 2 * sizeof(seL4_Word) + 1];
    int n = 0, i = 2 * (int)sizeof(seL4_Word) - 1;
    buf[n++] = '0';
    buf[n++] = 'x';
    while (i > 0 && ((w >> (4 * i)) & 0xf) == 0)
        i--;
    for (; i >= 0; i--)
        buf[n++] = digits[(w >> (4 * i)) & 0xf];
    buf[n] = '\0';
    microkit_dbg_puts(buf);
}

/* Prints a length-delimited string (not NUL-terminated). */
static inline void ipc_put_chars(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        microkit_dbg_putc(s[i]);
}

#endif
