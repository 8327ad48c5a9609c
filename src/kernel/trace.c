/* trace.c — the slow half of the kernel's trace hook (kernel.h hk_trace_ev, one branch while
 * tracing is off): an event appended to this PD's --trace buffer, which only the monitor reads, and
 * the line --log prints on stderr as the event happens. */
#include <stdio.h>

#include "kernel/host.h"
#include "kernel/kernel.h"

static const char *const trace_names[] = {
    [HK_TR_INIT] = "init",           [HK_TR_NOTIFIED] = "notified",
    [HK_TR_PROTECTED] = "protected", [HK_TR_FAULT] = "fault",
    [HK_TR_END] = "return",          [HK_TR_NOTIFY] = "notify",
    [HK_TR_CALL] = "ppcall",         [HK_TR_RETURN] = "reply",
    [HK_TR_IRQ_ACK] = "irq_ack",     [HK_TR_TEST_CALL] = "control ppcall",
};

void hk_trace_slow(uint32_t type, uint32_t ch, seL4_Word info)
{
    uint64_t label = info >> 12;
    uint32_t count = (uint32_t)(info & 0x7f);
    if (hk_trace) {
        uint64_t i = atomic_load_explicit(&hk_trace->n, memory_order_relaxed);
        if (i < hk_trace->cap) {
            hk_trace->ev[i] = (struct hk_trace_ev){hk_now_ns(), type, ch, label, count, 0};
            atomic_store_explicit(&hk_trace->n, i + 1, memory_order_release);
        } else {
            atomic_fetch_add(&hk_trace->dropped, 1);
        }
    }
    if (hk_log_ipc && type != HK_TR_END) {
        char line[160];
        int n;
        const struct hk_ch_cfg *c = ch < HK_NCH ? &hk_cfg->ch[ch] : NULL;
        if ((type == HK_TR_NOTIFY || type == HK_TR_CALL) && c && c->kind == HK_CH_CHANNEL)
            n = snprintf(line, sizeof line, "hostkit: %s %s ch %u -> %.64s ch %u label %llu mrs %u\n",
                         hk_name, trace_names[type], ch,
                         c->peer >= 0 && c->peer < HK_MAX_PDS ? hk_cfg->pd_names[c->peer] : "?", c->peer_ch,
                         (unsigned long long)label, count);
        else
            n = snprintf(line, sizeof line, "hostkit: %s %s %u label %llu mrs %u\n", hk_name,
                         trace_names[type], ch, (unsigned long long)label, count);
        if (n > 0 && hk_sys_write(2, line, (size_t)n) < 0) {
            /* stderr closed: nothing to log to */
        }
    }
}
