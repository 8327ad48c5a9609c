/* monitor_watch.c — the monitor's watch over the scheduler page every PD maps (kobj.h, struct
 * hk_sched). A PD that writes over it cannot forge a message (it holds no other PD's channel
 * memory), but it can stall the system or lose a wake-up; here the monitor finds out and says so,
 * instead of a run that never ends or ends as if all were well.
 *  - Every half second of a run (and when --timeout finds no PD busy), with every CPU's lock held,
 *    the page is checked against what the monitor knows: the header, runnable masks naming only
 *    the CPU's own PDs, states in range and matching the masks, hand-over words naming a PD of the
 *    CPU (or none, or the monitor), the spin-slot count, the entries of CPUs and PDs that do not
 *    exist left as they were built. A page found inconsistent twice in a row (so a lock taken from
 *    a PD the host merely preempted mid-update is no false alarm) ends the run, exit 3, with what
 *    was found. An idle CPU with runnable PDs is started, whatever wrote it.
 *  - When the system looks quiescent, a PD blocked in receive with something waiting for it (a
 *    signal on a channel it may be notified on, a call from a peer that may call it, a child's
 *    fault, an IRQ) lost its wake-up: nothing else could have left it so. It is reported, naming
 *    the PD and what waited, and woken. Before that the page is checked as above, once (nothing
 *    is half-written when nothing runs), so a run does not end as quiescent or stuck on garbage.
 * Which PD wrote the garbage cannot be known (all of them may write the page); a lock word naming
 * a PD that held the lock too long names that one. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "monitor/monitor.h"

#define WATCH_PERIOD_NS 500000000ull
#define MAX_REPAIRS 1000 /* per PD: beyond this, a PD keeps breaking its own wake-ups */

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int watch_timeout_ms(void)
{
    uint64_t now = now_ns();
    if (!M.next_watch_ns)
        M.next_watch_ns = now + WATCH_PERIOD_NS;
    return now >= M.next_watch_ns ? 0 : (int)((M.next_watch_ns - now) / 1000000u) + 1;
}

/* What a finding says, appended to BUF. */
static void note(char *buf, size_t len, int *found, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void note(char *buf, size_t len, int *found, const char *fmt, ...)
{
    size_t at = strlen(buf);
    if (*found < 4 && at + 3 < len) {
        if (*found)
            at += (size_t)snprintf(buf + at, len - at, "; ");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf + at, len - at, fmt, ap);
        va_end(ap);
    }
    (*found)++;
}

static bool valid_pd_of(int pd, uint32_t cpu) { return pd >= 0 && (unsigned)pd < M.npds && M.cpu_of[pd] == cpu; }

/* With every CPU's lock held: the inconsistencies of the page, in BUF; their number. */
static int inconsistencies(char *buf, size_t len)
{
    const struct hk_sched *s = M.sched;
    int found = 0;
    buf[0] = 0;
    if (s->magic != HK_MAGIC || s->npds != M.npds)
        note(buf, len, &found, "its header was overwritten");
    unsigned spinning = 0;
    for (uint32_t c = 0; c < HK_MAX_CPUS; c++) {
        const struct hk_cpu *cpu = &s->cpu[c];
        uint64_t runnable = atomic_load(&cpu->runnable), hand = atomic_load(&cpu->hand), mine = 0;
        for (unsigned i = 0; i < M.npds; i++)
            if (M.cpu_of[i] == c)
                mine |= 1ull << i;
        if (c >= M.ncpus) {
            if (runnable || hand != hk_hand(HK_IDLE, HK_IDLE, 0) || cpu->head || cpu->tail ||
                atomic_load(&cpu->state[0]) | atomic_load(&cpu->state[1]) | atomic_load(&cpu->state[2]) |
                    atomic_load(&cpu->state[3]))
                note(buf, len, &found, "CPU %u, which no PD uses, was written", c);
            continue;
        }
        if (runnable & ~mine)
            note(buf, len, &found, "CPU %u's runnable mask 0x%llx names PDs not on it", c, (unsigned long long)runnable);
        int holder = (int)(hand & 0xffffu), spinner = hk_hand_spinner(hand);
        if (holder != HK_IDLE && holder != MONITOR_ID && !valid_pd_of(holder, c))
            note(buf, len, &found, "CPU %u is handed to %d, no PD of it", c, holder);
        if (spinner >= 0 && !valid_pd_of(spinner, c))
            note(buf, len, &found, "CPU %u's spin slot names %d, no PD of it", c, spinner);
        spinning += spinner >= 0;
        if (hk_hand_why(hand) >= HK_WHY_NOTE + HK_NCH)
            note(buf, len, &found, "CPU %u was handed over for no reason there is (0x%x)", c, hk_hand_why(hand));
        for (unsigned i = 0; i < HK_MAX_PDS; i++) {
            uint32_t st = hk_state(M.sched, c, (int)i);
            bool queued = runnable >> i & 1;
            if (!(mine >> i & 1)) {
                if (st)
                    note(buf, len, &found, "CPU %u has a state for PD %u, not on it", c, i);
            } else if (st > HK_ST_DEAD) {
                note(buf, len, &found, "PD '%s' is in no state there is (%u)", pd_name((int)i), st);
            } else if (queued != (st == HK_ST_INIT || st == HK_ST_RUNNABLE)) {
                note(buf, len, &found, "PD '%s' is %s but %s", pd_name((int)i),
                     st == HK_ST_INIT || st == HK_ST_RUNNABLE ? "runnable" : "not runnable",
                     queued ? "queued to run" : "not queued");
            }
        }
    }
    if (atomic_load(&s->spinners) != spinning)
        note(buf, len, &found, "%u spin slots are counted taken, %u are", atomic_load(&s->spinners), spinning);
    for (unsigned i = 0; i < HK_MAX_PDS; i++) {
        const struct hk_pd_sched *p = &s->pd[i];
        int32_t to = atomic_load(&p->call_to);
        uint32_t wake = atomic_load(&p->wake), sleeping = atomic_load(&p->sleeping);
        if (i >= M.npds) {
            if (atomic_load(&p->doorbell) || sleeping || atomic_load(&p->hint) || p->stamp || to || p->call_ch || wake)
                note(buf, len, &found, "the entry of PD %u, which does not exist, was written", i);
            continue;
        }
        bool wake_ok = !wake || (wake >= HK_WAKE_CH && wake < HK_WAKE_CH + HK_NCH) ||
                       (wake >= HK_WAKE_IRQ && wake < HK_WAKE_IRQ + HK_NCH);
        if (sleeping > 1 || to < -1 || to >= (int32_t)M.npds || !wake_ok)
            note(buf, len, &found, "the entry of PD '%s' holds values no runtime writes", pd_name((int)i));
    }
    return found;
}

/* What waits for PD i blocked in receive: a description in BUF and the hint bits to look at, or
 * 0 when nothing does. */
static uint64_t waiting_for(unsigned i, char *buf, size_t len)
{
    const struct pd_proc *pp = &M.pd[i];
    const struct hk_cfg *cfg = pp->cfg;
    for (unsigned ch = 0; ch < HK_NCH; ch++) {
        const struct hk_signal *in = pp->chan[ch].in;
        if (in && (atomic_load(&in->pending) != pp->ctl->seen[ch].pending ||
                   atomic_load(&in->delivered) != pp->ctl->seen[ch].delivered)) {
            snprintf(buf, len, "a notification on channel %u", ch);
            return 1ull << ch;
        }
        const struct hk_call *call = pp->chan[ch].call;
        if (call && cfg->ch[ch].pp_in && (atomic_load(&call->call) & HK_CALL_STATE) == HK_CALL_PENDING) {
            snprintf(buf, len, "a ppcall on channel %u", ch);
            return 1ull << ch;
        }
    }
    if (atomic_load(&pp->ctl->child_faults)) {
        snprintf(buf, len, "a child's fault");
        return 1ull << HK_HINT_FAULT;
    }
    uint64_t irq = atomic_load(&pp->ctl->irq_pending) & ~atomic_load(&pp->ctl->irq_masked) & cfg->irqs;
    if (irq) {
        snprintf(buf, len, "IRQ channel %u", (unsigned)__builtin_ctzll(irq));
        return irq & -irq;
    }
    return 0;
}

/* With every CPU's lock held and nothing running: wakes each PD blocked with something waiting.
 * True if it woke any. */
static bool repair_lost_wakeups(void)
{
    bool woke = false;
    for (unsigned i = 0; i < M.npds; i++) {
        uint32_t cpu = M.cpu_of[i];
        char what[64];
        uint64_t hint;
        if (M.pd[i].pid <= 0 || hk_state(M.sched, cpu, (int)i) != HK_ST_RECV || M.pd[i].lost_wakeups >= MAX_REPAIRS ||
            !(hint = waiting_for(i, what, sizeof what)))
            continue;
        if (M.pd[i].lost_wakeups++ == 0)
            fprintf(stderr, "hostkit: PD '%s' was blocked in receive with %s waiting and nothing to wake it: "
                            "its wake-up was lost (a PD wrote over shared memory: the scheduler page, or a signal page of its own); woken\n",
                    pd_name((int)i), what);
        atomic_fetch_or(&M.sched->pd[i].hint, hint);
        hk_set_state(M.sched, cpu, (int)i, HK_ST_RUNNABLE);
        hk_make_runnable(M.sched, cpu, (int)i, true, hk_same_prio(M.prio, M.npds, (int)i));
        woke = true;
    }
    return woke;
}

/* Takes every CPU's lock; false if one had to be taken from a PD that kept it (then what it
 * guards may be half-written), and the culprit in BUF when the lock word names a PD. */
static bool lock_all(char *buf, size_t len, int *found)
{
    bool clean = true;
    for (unsigned c = 0; c < M.ncpus; c++) {
        uint32_t before = atomic_load(&M.sched->cpu[c].lock);
        if (!hk_lock_monitor(M.sched, c, MONITOR_ID)) {
            clean = false;
            if (before && before - 1 < M.npds)
                note(buf, len, found, "PD '%s' held CPU %u's lock for more than 50 ms", pd_name((int)before - 1), c);
            else if (before)
                note(buf, len, found, "CPU %u's lock word holds 0x%x, which no PD writes", c, before);
        }
    }
    return clean;
}

static void unlock_all(void)
{
    for (unsigned c = 0; c < M.ncpus; c++)
        hk_unlock(M.sched, c);
}

/* Says what was found and ends the run. */
static void corrupt(const char *locks, const char *found_text, int n) __attribute__((noreturn));
static void corrupt(const char *locks, const char *found_text, int n)
{
    pump_output(true);
    fprintf(stderr, "hostkit: the scheduler page is corrupt: %s%s%s%s; a PD wrote over it (every PD maps it), "
                    "so the run cannot go on\n",
            locks, locks[0] && found_text[0] ? "; " : "", found_text, n > 4 ? "; ..." : "");
    end_run(RUN_STUCK, HK_EXIT_TIMEOUT, "the scheduler page is corrupt: a PD wrote over it");
}

bool watch_check(bool quiescent)
{
    char found_text[512] = "", locks[256] = "";
    int locks_found = 0;
    if (quiescent) {
        /* nothing runs: nothing is half-written either, so one look decides */
        bool clean = lock_all(locks, sizeof locks, &locks_found);
        int n = clean ? inconsistencies(found_text, sizeof found_text) : 0;
        bool woke = clean && !n && repair_lost_wakeups();
        unlock_all();
        if (woke)
            for (unsigned c = 0; c < M.ncpus; c++)
                monitor_reschedule(c, false);
        if (n)
            corrupt(locks, found_text, n);
        return woke;
    }
    uint64_t now = now_ns();
    if (M.next_watch_ns && now < M.next_watch_ns)
        return false;
    M.next_watch_ns = now + WATCH_PERIOD_NS;
    bool clean = lock_all(locks, sizeof locks, &locks_found);
    int n = inconsistencies(found_text, sizeof found_text);
    unlock_all();
    if (!clean && locks_found && !strstr(locks, "held CPU")) {
        n++; /* garbage in a lock word */
    } else if (!clean) {
        return false; /* a PD kept a lock: what we saw may be half-written; judge next time */
    }
    if (!n) {
        M.watch_strikes = 0;
        for (unsigned c = 0; c < M.ncpus; c++)
            monitor_reschedule(c, false); /* an idle CPU with runnable PDs is started */
        return false;
    }
    if (++M.watch_strikes < 2)
        return false;
    corrupt(locks, found_text, n);
}

bool watch_report_busy(const char *why)
{
    char found_text[512] = "", locks[256] = "";
    int locks_found = 0;
    lock_all(locks, sizeof locks, &locks_found);
    int n = inconsistencies(found_text, sizeof found_text);
    unlock_all();
    if (!n && !locks_found)
        return false;
    fprintf(stderr, "hostkit: %s; no PD is busy, but the scheduler page is corrupt: %s%s%s; a PD wrote over it\n",
            why, locks, locks[0] && found_text[0] ? "; " : "", found_text);
    return true;
}
