/* server.c — the IPC example's server (priority 200): tells the client it is ready, then answers
 * its protected procedure calls (see protocol.h). Uses only the Microkit API, so the same source
 * builds for seL4. */
#include <stdbool.h>
#include <stdint.h>

#include <microkit.h>
#include <microkit_msgbytes.h>
#include <pb_decode.h>
#include <pb_encode.h>

#include "ipc.pb.h"
#include "protocol.h"

#define CLIENT_CH 37

static const char *caller_name(microkit_channel ch)
{
    return ch == CLIENT_CH ? "client" : "an unknown PD";
}

void init(void)
{
    microkit_dbg_puts("server: initializing\n");
    microkit_dbg_puts("server: notifying client\n");
    microkit_notify(CLIENT_CH);
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("server: unexpected notification on channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("\n");
}

static microkit_msginfo error_reply(const char *why)
{
    microkit_dbg_puts("server: bad request: ");
    microkit_dbg_puts(why);
    microkit_dbg_puts("\n");
    return microkit_msginfo_new(IPC_ERROR, 0);
}

/* IPC_SUM: the reply depends on every word sent. */
static microkit_msginfo handle_sum(seL4_Word count)
{
    seL4_Word words[seL4_MsgMaxLength];
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < count; i++) {
        words[i] = microkit_mr_get(i);
        sum += words[i];
    }
    seL4_Word mix = ipc_mix(words, count);
    microkit_dbg_puts("server: replying sum ");
    ipc_put_hex(sum);
    microkit_dbg_puts(" mix ");
    ipc_put_hex(mix);
    microkit_dbg_puts("\n");
    microkit_mr_set(0, sum);
    microkit_mr_set(1, mix);
    return microkit_msginfo_new(IPC_SUM | IPC_REPLY, 2);
}

/* The byte length in MR0 must fit in the words that were sent after it. */
static bool byte_length_ok(seL4_Word count, seL4_Word len)
{
    return count >= 1 && len <= (count - 1) * sizeof(seL4_Word);
}

/* IPC_STRUCT: a struct ipc_order viewed as bytes. */
static microkit_msginfo handle_struct(seL4_Word count)
{
    seL4_Word len = microkit_mr_get(0);
    struct ipc_order order;
    if (!byte_length_ok(count, len) || len != sizeof order)
        return error_reply("struct length");
    if (!microkit_msg_bytes_read(microkit_msg_bytes_get(1, len), 0, &order, sizeof order))
        return error_reply("struct out of range");
    if (order.item_len > sizeof order.item)
        return error_reply("struct item length");
    microkit_dbg_puts("server: struct order ");
    microkit_dbg_put32(order.order_id);
    microkit_dbg_puts(": ");
    microkit_dbg_put32(order.quantity);
    microkit_dbg_puts(" x \"");
    ipc_put_chars(order.item, order.item_len);
    microkit_dbg_puts("\" at ");
    microkit_dbg_put32((uint32_t)order.unit_price);
    microkit_dbg_puts(order.express ? " cents, express\n" : " cents\n");
    seL4_Word total = (seL4_Word)order.quantity * order.unit_price + (order.express ? 500 : 0);
    microkit_mr_set(0, total);
    return microkit_msginfo_new(IPC_STRUCT | IPC_REPLY, 1);
}

/* IPC_PROTO: an ipc.Order serialized by nanopb; the answer is an ipc.Receipt, serialized too. */
static microkit_msginfo handle_proto(seL4_Word count)
{
    seL4_Word len = microkit_mr_get(0);
    if (!byte_length_ok(count, len))
        return error_reply("protobuf length");
    microkit_msg_bytes_const in = microkit_msg_bytes_get(1, len);
    if (!microkit_msg_bytes_const_valid(in))
        return error_reply("protobuf out of range");

    ipc_Order order = ipc_Order_init_zero;
    pb_istream_t is = pb_istream_from_buffer(in.data, in.len);
    if (!pb_decode(&is, ipc_Order_fields, &order))
        return error_reply(PB_GET_ERROR(&is));

    uint64_t extras = 0;
    for (pb_size_t i = 0; i < order.extras_count; i++)
        extras += order.extras[i];
    microkit_dbg_puts("server: protobuf order ");
    microkit_dbg_put32(order.order_id);
    microkit_dbg_puts(": ");
    microkit_dbg_put32(order.quantity);
    microkit_dbg_puts(" x \"");
    microkit_dbg_puts(order.item);
    microkit_dbg_puts("\" at ");
    microkit_dbg_put32((uint32_t)order.unit_price);
    microkit_dbg_puts(" cents, ");
    microkit_dbg_put32(order.extras_count);
    microkit_dbg_puts(order.express ? " extras, express\n" : " extras\n");

    ipc_Receipt receipt = ipc_Receipt_init_zero;
    receipt.order_id = order.order_id;
    receipt.total = (uint64_t)order.quantity * order.unit_price + extras + (order.express ? 500 : 0);
    static const char note[] = "thank you";
    for (size_t i = 0; i < sizeof note; i++)
        receipt.note[i] = note[i];

    /* Everything after MR0 is room for the answer; nanopb stops at the end of the view. */
    microkit_msg_bytes out = microkit_msg_bytes_mut(1, MICROKIT_MSG_BYTES_MAX - sizeof(seL4_Word));
    pb_ostream_t os = pb_ostream_from_buffer(out.data, out.len);
    if (!pb_encode(&os, ipc_Receipt_fields, &receipt))
        return error_reply(PB_GET_ERROR(&os));
    microkit_mr_set(0, os.bytes_written);
    return microkit_msginfo_new(IPC_PROTO | IPC_REPLY, 1 + microkit_msg_words(os.bytes_written));
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    seL4_Word label = microkit_msginfo_get_label(msginfo);
    seL4_Word count = microkit_msginfo_get_count(msginfo);
    microkit_dbg_puts("server: ppcall from ");
    microkit_dbg_puts(caller_name(ch));
    microkit_dbg_puts(" (channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("), label ");
    microkit_dbg_put32((uint32_t)label);
    microkit_dbg_puts(", ");
    microkit_dbg_put32((uint32_t)count);
    microkit_dbg_puts(" words\n");

    if (count > seL4_MsgMaxLength)
        return error_reply("count");
    switch (label) {
    case IPC_SUM:
        return handle_sum(count);
    case IPC_STRUCT:
        return handle_struct(count);
    case IPC_PROTO:
        return handle_proto(count);
    default:
        return error_reply("unknown label");
    }
}
