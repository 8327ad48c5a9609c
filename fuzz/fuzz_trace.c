/* fuzz_trace.c — libFuzzer target for the trace decoder (src/monitor/trace.c), which reads trace
 * buffers the PDs write as they like: each input is the raw content of two PDs' buffers (header
 * and events, split where the input's first byte says), for a system of two PDs with a channel
 * between them (ids 1 and 2; a pp end) and an IRQ, as the monitor configures it. trace_write()
 * pairs and writes the whole trace to /dev/null. Crashes and sanitizer reports are what the fuzzer
 * looks for. Build and run: `make fuzz FUZZ_SECONDS=N` (fuzz/fuzz.mk). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct hk_trace *buf[2];
    static struct hk_cfg *cfg[2];
    if (!buf[0]) {
        for (int i = 0; i < 2; i++) {
            buf[i] = calloc(1, HK_TRACE_BYTES);
            cfg[i] = calloc(1, sizeof *cfg[i]);
            if (!buf[i] || !cfg[i])
                abort();
            struct hk_ch_cfg *c = &cfg[i]->ch[i ? 2 : 1];
            c->kind = HK_CH_CHANNEL;
            c->peer = i ^ 1;
            c->peer_ch = i ? 1 : 2;
            c->pp_out = i == 0;
            c->pp_in = i == 1;
            cfg[i]->ch[5].kind = HK_CH_IRQ;
        }
    }
    size_t split = size ? (size_t)data[0] * size / 256 : 0;
    const uint8_t *part[2] = {data + (size ? 1 : 0), data + split};
    size_t len[2] = {split > 0 ? split - 1 : 0, size - split};
    static size_t used[2];
    for (int i = 0; i < 2; i++) {
        size_t n = len[i] < HK_TRACE_BYTES ? len[i] : HK_TRACE_BYTES;
        memset(buf[i], 0, used[i] > sizeof *buf[i] ? used[i] : sizeof *buf[i]); /* nothing of the last input */
        memcpy(buf[i], part[i], n);
        used[i] = n;
    }
    struct trace_pd pds[2] = {{"a", buf[0], cfg[0]}, {"b", buf[1], cfg[1]}};
    struct trace_instant inst = {0, 0, "fault", "fault (unhandled)"};
    trace_write("/dev/null", pds, 2, &inst, 1, 0, 1000000000);
    return 0;
}
