/* trace.c — writes a run's events as a Chrome trace (the JSON trace-event format that Perfetto and
 * chrome://tracing open): one track per PD, handler executions as slices, notify / ppcall / reply
 * as flows from sender to receiver, faults and IRQs as instant events.
 *
 * PDs record raw events in their own buffers (kobj.h, struct hk_trace); pairing happens here, from
 * the channel topology each PD's configuration holds: the k-th ppcall a PD makes on a channel is
 * the k-th protected() the callee runs on its end, and its k-th reply; a notified() collects every
 * notify its peer sent on that channel since the previous notified() (signals coalesce).
 *
 * A PD writes its buffer as it likes (it is its memory): every event is copied once, then checked
 * before it indexes anything — its channel or child id below HK_NCH, its type known — and one that
 * fails is skipped; the count of events is our own bound, not the buffer's; names go through
 * put_name().
 *
 * Flow ids are JSON numbers, which JavaScript viewers (Perfetto's UI, chrome://tracing) read as
 * doubles: every id stays below 2^53, where doubles are exact, so no two flows merge. Every handler
 * gets a slice, one that never returned too (it faulted, spins, or blocks in a ppcall for ever):
 * it ends at the PD's fault, at its next handler (a restart), or at the end of the run, and says
 * so ("unfinished"), so that the arrows into it have a slice to end in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/trace.h"

static void put_name(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, f);
    }
    fputc('"', f);
}

#define TRACE_CAP ((HK_TRACE_BYTES - sizeof(struct hk_trace)) / sizeof(struct hk_trace_ev))

static double us(uint64_t ts, uint64_t t0) { return ts >= t0 ? (double)(ts - t0) / 1000.0 : 0.0; }

struct counters {
    uint64_t calls[HK_MAX_PDS][HK_NCH];     /* ppcalls made on (pd, ch) */
    uint64_t served[HK_MAX_PDS][HK_NCH];    /* protected() run on (pd, ch) */
    uint64_t returns[HK_MAX_PDS][HK_NCH];   /* replies received on (pd, ch) */
    uint64_t replied[HK_MAX_PDS][HK_NCH];   /* protected() returned on (pd, ch) */
    uint64_t notify_cursor[HK_MAX_PDS][HK_NCH];
};

/* kind (1..3, 2 bits), PD (6 bits), channel (6 bits) and the event's number (39 bits): 53 bits. */
static uint64_t flow_id(int pd, unsigned ch, uint64_t k, unsigned kind)
{
    uint64_t where = ((uint64_t)(kind & 3) << 12) | ((uint64_t)(pd & 63) << 6) | (ch & 63);
    return where << 39 | (k & ((1ull << 39) - 1));
}

static void slice_name(const struct hk_trace_ev *open, bool test_call, char *name, size_t len)
{
    if (open->type == HK_TR_INIT)
        snprintf(name, len, "init");
    else if (open->type == HK_TR_NOTIFIED)
        snprintf(name, len, "notified(%u)", open->ch);
    else if (open->type == HK_TR_PROTECTED)
        snprintf(name, len, "protected(%u)%s", open->ch, test_call ? " from the control channel" : "");
    else
        snprintf(name, len, "fault(child %u)", open->ch);
}

/* The first fault of track TID at or after FROM (the monitor's instants), or END. */
static uint64_t fault_after(const struct trace_instant *inst, unsigned ninst, int tid, uint64_t from, uint64_t end)
{
    uint64_t best = end;
    for (unsigned k = 0; k < ninst; k++)
        if (inst[k].pd == tid && !strcmp(inst[k].cat, "fault") && inst[k].ts >= from && inst[k].ts < best)
            best = inst[k].ts;
    return best;
}

/* A slice for a handler that did not return: to AT. */
static void unfinished_slice(FILE *f, unsigned i, const struct hk_trace_ev *open, bool test_call, uint64_t at, uint64_t t0)
{
    char name[80];
    slice_name(open, test_call, name, sizeof name);
    fprintf(f, ",\n{\"name\":\"%s (unfinished)\",\"cat\":\"handler\",\"ph\":\"X\",\"pid\":1,\"tid\":%u,"
               "\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"channel\":%u,\"label\":%llu,\"mrs\":%u,\"unfinished\":true}}",
            name, i, us(open->ts, t0), us(at, t0) - us(open->ts, t0), open->ch, (unsigned long long)open->label,
            open->count);
}

static void flow(FILE *f, bool *first, const char *name, char ph, int tid, uint64_t ts, uint64_t t0,
                 uint64_t id, const char *args)
{
    fprintf(f, "%s\n{\"name\":\"%s\",\"cat\":\"ipc\",\"ph\":\"%c\",%s\"pid\":1,\"tid\":%d,\"ts\":%.3f,\"id\":%llu%s%s}",
            *first ? "" : ",", name, ph, ph == 'f' ? "\"bp\":\"e\"," : "", tid, us(ts, t0),
            (unsigned long long)id, args ? "," : "", args ? args : "");
    *first = false;
}

int trace_write(const char *path, const struct trace_pd *pds, unsigned npds,
                const struct trace_instant *inst, unsigned ninst, uint64_t t0, uint64_t t_end)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    struct counters *c = calloc(1, sizeof *c);
    if (!c) {
        fclose(f);
        return -1;
    }
    bool first = true;
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", f);
    for (unsigned i = 0; i < npds; i++) {
        fprintf(f, "%s\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"args\":{\"name\":",
                first ? "" : ",", i);
        put_name(f, pds[i].name);
        fprintf(f, "}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"args\":{\"sort_index\":%u}}", i, i);
        first = false;
    }
    fputs(",\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"hostkit\"}}", f);

    for (unsigned i = 0; i < npds; i++) {
        const struct hk_trace *t = pds[i].buf;
        uint64_t n = t ? atomic_load(&t->n) : 0;
        if (n > TRACE_CAP)
            n = TRACE_CAP; /* our own bound: the buffer's header is the PD's to scribble on */
        struct hk_trace_ev open_ev;
        const struct hk_trace_ev *open = NULL; /* the handler slice in progress (a copy) */
        bool test_next = false, open_test = false; /* protected() serving the control channel */
        for (uint64_t k = 0; k < n; k++) {
            /* one copy of the event: the PD cannot change it between our checks and our use */
            const struct hk_trace_ev ev = t->ev[k], *e = &ev;
            if (e->ch >= HK_NCH || e->type < HK_TR_INIT || e->type > HK_TR_TEST_CALL)
                continue; /* not an event libhostkit writes: nothing to draw */
            const struct hk_ch_cfg *cfg = &pds[i].cfg->ch[e->ch];
            int peer = cfg->kind == HK_CH_CHANNEL ? cfg->peer : -1;
            unsigned pch = cfg->peer_ch;
            if (peer >= (int)npds || pch >= HK_NCH)
                peer = -1; /* our own configuration, but checked all the same */
            char args[160];
            switch (e->type) {
            case HK_TR_INIT:
            case HK_TR_NOTIFIED:
            case HK_TR_PROTECTED:
            case HK_TR_FAULT:
                if (open) /* the last one never returned: restarted after a fault */
                    unfinished_slice(f, i, open, open_test, fault_after(inst, ninst, (int)i, open->ts, e->ts), t0);
                open_ev = ev;
                open = &open_ev;
                open_test = e->type == HK_TR_PROTECTED && test_next;
                test_next = false;
                if (e->type == HK_TR_PROTECTED && peer >= 0 && !open_test) {
                    /* the caller's k-th ppcall on its end ends here */
                    uint64_t nth = c->served[i][e->ch]++;
                    snprintf(args, sizeof args, "\"args\":{\"channel\":%u,\"label\":%llu,\"mrs\":%u}", e->ch,
                             (unsigned long long)e->label, e->count);
                    flow(f, &first, "ppcall", 'f', (int)i, e->ts, t0, flow_id(peer, pch, nth, 1), args);
                }
                if (e->type == HK_TR_NOTIFIED && peer >= 0 && (unsigned)peer < npds) {
                    /* every notify the peer sent on this channel since the last notified() */
                    const struct hk_trace *pt = pds[peer].buf;
                    uint64_t pn = pt ? atomic_load(&pt->n) : 0;
                    if (pn > TRACE_CAP)
                        pn = TRACE_CAP;
                    uint64_t *cur = &c->notify_cursor[peer][pch];
                    for (; *cur < pn; (*cur)++) {
                        const struct hk_trace_ev sent = pt->ev[*cur], *s = &sent;
                        if (s->ts > e->ts)
                            break;
                        if (s->type != HK_TR_NOTIFY || s->ch != pch)
                            continue;
                        uint64_t id = flow_id(peer, pch, *cur, 3);
                        snprintf(args, sizeof args, "\"args\":{\"from_channel\":%u,\"to_channel\":%u}", pch, e->ch);
                        flow(f, &first, "notify", 's', peer, s->ts, t0, id, args);
                        flow(f, &first, "notify", 'f', (int)i, e->ts, t0, id, args);
                    }
                }
                break;
            case HK_TR_END:
                if (!open)
                    break;
                {
                    char name[80];
                    slice_name(open, open_test, name, sizeof name);
                    fprintf(f, ",\n{\"name\":\"%s\",\"cat\":\"handler\",\"ph\":\"X\",\"pid\":1,\"tid\":%u,"
                               "\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"channel\":%u,\"label\":%llu,\"mrs\":%u}}",
                            name, i, us(open->ts, t0), us(e->ts, t0) - us(open->ts, t0), open->ch,
                            (unsigned long long)open->label, open->count);
                    if (open->type == HK_TR_PROTECTED && peer >= 0 && !open_test) {
                        uint64_t nth = c->replied[i][e->ch]++;
                        snprintf(args, sizeof args, "\"args\":{\"channel\":%u,\"label\":%llu,\"mrs\":%u}",
                                 e->ch, (unsigned long long)e->label, e->count);
                        flow(f, &first, "reply", 's', (int)i, e->ts, t0, flow_id(peer, pch, nth, 2), args);
                    }
                    open = NULL;
                }
                break;
            case HK_TR_CALL:
                snprintf(args, sizeof args, "\"args\":{\"channel\":%u,\"label\":%llu,\"mrs\":%u}", e->ch,
                         (unsigned long long)e->label, e->count);
                flow(f, &first, "ppcall", 's', (int)i, e->ts, t0, flow_id((int)i, e->ch, c->calls[i][e->ch]++, 1), args);
                break;
            case HK_TR_RETURN:
                snprintf(args, sizeof args, "\"args\":{\"channel\":%u,\"label\":%llu,\"mrs\":%u}", e->ch,
                         (unsigned long long)e->label, e->count);
                flow(f, &first, "reply", 'f', (int)i, e->ts, t0, flow_id((int)i, e->ch, c->returns[i][e->ch]++, 2), args);
                break;
            case HK_TR_TEST_CALL:
                test_next = true;
                break;
            case HK_TR_IRQ_ACK:
                fprintf(f, ",\n{\"name\":\"irq_ack(%u)\",\"cat\":\"irq\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%u,\"ts\":%.3f}",
                        e->ch, i, us(e->ts, t0));
                break;
            default:
                break;
            }
        }
        if (open)
            unfinished_slice(f, i, open, open_test, fault_after(inst, ninst, (int)i, open->ts, t_end), t0);
        if (t && atomic_load(&t->dropped))
            fprintf(stderr, "hostkit: trace of %s lost %llu events (buffer full)\n", pds[i].name,
                    (unsigned long long)atomic_load(&t->dropped));
    }
    for (unsigned k = 0; k < ninst; k++) {
        fprintf(f, ",\n{\"name\":");
        put_name(f, inst[k].what);
        fprintf(f, ",\"cat\":\"%s\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%d,\"ts\":%.3f}", inst[k].cat,
                inst[k].pd, us(inst[k].ts, t0));
    }
    fputs("\n]}\n", f);
    free(c);
    return fclose(f) == 0 ? 0 : -1;
}
