/* client.c — the IPC example's client (priority 100): when the server notifies it, it makes three
 * protected procedure calls (see protocol.h) — words in message registers, a fixed-layout struct
 * as bytes, a nanopb-serialized message as bytes — checks every answer and prints TEST_PASS or
 * what went wrong. Uses only the Microkit API, so the same source builds for seL4. */
#include <stdbool.h>
#include <stdint.h>

#include <microkit.h>
#include <microkit_msgbytes.h>
#include <pb_decode.h>
#include <pb_encode.h>

#include "ipc.pb.h"
#include "protocol.h"

#define SERVER_CH 13

static bool failed;

static void fail(const char *what)
{
    microkit_dbg_puts("client: TEST_FAIL: ");
    microkit_dbg_puts(what);
    microkit_dbg_puts("\n");
    failed = true;
}

static bool check_reply(microkit_msginfo reply, seL4_Word label, seL4_Word min_count, seL4_Word max_count)
{
    seL4_Word got = microkit_msginfo_get_label(reply);
    seL4_Word count = microkit_msginfo_get_count(reply);
    if (got != label) {
        microkit_dbg_puts("client: reply label ");
        ipc_put_hex(got);
        microkit_dbg_puts(", expected ");
        ipc_put_hex(label);
        microkit_dbg_puts("\n");
        fail("wrong reply label");
        return false;
    }
    if (count < min_count || count > max_count) {
        fail("wrong reply length");
        return false;
    }
    return true;
}

/* 1. Plain words: the reply must be the sum and the mix of exactly what was sent. */
static void call_sum(void)
{
    static const seL4_Word words[] = { 0x1234, 0xdeadbeefcafe, 42, 0xffffffffffffff00u };
    const seL4_Word n = sizeof words / sizeof words[0];
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < n; i++) {
        microkit_mr_set(i, words[i]);
        sum += words[i];
    }
    microkit_dbg_puts("client: ppcall label 1 with ");
    microkit_dbg_put32(n);
    microkit_dbg_puts(" words\n");
    microkit_msginfo reply = microkit_ppcall(SERVER_CH, microkit_msginfo_new(IPC_SUM, n));
    if (!check_reply(reply, IPC_SUM | IPC_REPLY, 2, 2))
        return;
    if (microkit_mr_get(0) != sum || microkit_mr_get(1) != ipc_mix(words, n)) {
        fail("sum reply does not match the words sent");
        return;
    }
    microkit_dbg_puts("client: sum reply correct\n");
}

/* 2. A fixed-layout struct copied into the message registers as bytes. */
static void call_struct(void)
{
    struct ipc_order order = {
        .order_id = 1001, .quantity = 3, .express = 1, .item_len = 6, .item = "widget", .unit_price = 250,
    };
    microkit_msg_bytes out = microkit_msg_bytes_mut(1, sizeof order);
    if (!microkit_msg_bytes_write(out, 0, &order, sizeof order)) {
        fail("struct does not fit in the message registers");
        return;
    }
    microkit_mr_set(0, sizeof order);
    seL4_Word words = 1 + microkit_msg_words(sizeof order);
    microkit_dbg_puts("client: sending a struct of ");
    microkit_dbg_put32(sizeof order);
    microkit_dbg_puts(" bytes\n");
    microkit_msginfo reply = microkit_ppcall(SERVER_CH, microkit_msginfo_new(IPC_STRUCT, words));
    if (!check_reply(reply, IPC_STRUCT | IPC_REPLY, 1, 1))
        return;
    seL4_Word total = microkit_mr_get(0);
    if (total != 3 * 250 + 500) {
        fail("struct reply has the wrong total");
        return;
    }
    microkit_dbg_puts("client: struct reply: total ");
    microkit_dbg_put32((uint32_t)total);
    microkit_dbg_puts(" cents, correct\n");
}

/* 3. The same kind of message, serialized with nanopb (no heap: static-size fields). */
static void call_proto(void)
{
    ipc_Order order = ipc_Order_init_zero;
    order.order_id = 1002;
    order.quantity = 2;
    order.express = false;
    static const char item[] = "gadget";
    for (size_t i = 0; i < sizeof item; i++)
        order.item[i] = item[i];
    order.unit_price = 1999;
    order.extras_count = 3;
    order.extras[0] = 100;
    order.extras[1] = 20;
    order.extras[2] = 3;

    microkit_msg_bytes out = microkit_msg_bytes_mut(1, MICROKIT_MSG_BYTES_MAX - sizeof(seL4_Word));
    pb_ostream_t os = pb_ostream_from_buffer(out.data, out.len);
    if (!pb_encode(&os, ipc_Order_fields, &order)) {
        fail(PB_GET_ERROR(&os));
        return;
    }
    microkit_mr_set(0, os.bytes_written);
    microkit_dbg_puts("client: sending a protobuf Order of ");
    microkit_dbg_put32(os.bytes_written);
    microkit_dbg_puts(" bytes\n");
    microkit_msginfo reply =
        microkit_ppcall(SERVER_CH, microkit_msginfo_new(IPC_PROTO, 1 + microkit_msg_words(os.bytes_written)));
    if (!check_reply(reply, IPC_PROTO | IPC_REPLY, 1, seL4_MsgMaxLength))
        return;

    seL4_Word len = microkit_mr_get(0);
    if (len > (microkit_msginfo_get_count(reply) - 1) * sizeof(seL4_Word)) {
        fail("protobuf reply length");
        return;
    }
    microkit_msg_bytes_const in = microkit_msg_bytes_get(1, len);
    ipc_Receipt receipt = ipc_Receipt_init_zero;
    pb_istream_t is = pb_istream_from_buffer(in.data, in.len);
    if (!microkit_msg_bytes_const_valid(in) || !pb_decode(&is, ipc_Receipt_fields, &receipt)) {
        fail("protobuf reply does not decode");
        return;
    }
    if (receipt.order_id != 1002 || receipt.total != 2 * 1999 + 123) {
        fail("protobuf reply has the wrong order or total");
        return;
    }
    microkit_dbg_puts("client: protobuf reply: order ");
    microkit_dbg_put32(receipt.order_id);
    microkit_dbg_puts(", total ");
    microkit_dbg_put32((uint32_t)receipt.total);
    microkit_dbg_puts(" cents, note \"");
    microkit_dbg_puts(receipt.note);
    microkit_dbg_puts("\", correct\n");
}

void init(void)
{
    microkit_dbg_puts("client: initializing\n");
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("client: notified by channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("\n");
    if (ch != SERVER_CH) {
        fail("notified on an unexpected channel");
        return;
    }
    call_sum();
    if (!failed)
        call_struct();
    if (!failed)
        call_proto();
    if (!failed)
        microkit_dbg_puts("client: TEST_PASS\n");
}
