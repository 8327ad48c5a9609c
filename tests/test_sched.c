/* test_sched.c — scheduling beyond one CPU's strict priorities: `hostkit run --smp` (PDs on
 * different CPUs run in parallel, and what a PD can observe is what seL4 on two cores would give
 * it), budgets (a handler running past its PD's budget is warned about), IRQs raised by a
 * script on standard input, and the monitor's own decision who gets a CPU it holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "monitor/monitor.h"

/* The client's 10000 ppcalls cross CPUs and all come back right; the server sees the notify only
 * after the last call; the watcher on the client's CPU runs only when the client blocks. Which
 * of the two inits on different CPUs prints first is not fixed on seL4 either. */
static void ppcalls_across_cpus_keep_their_order(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "smp", "--cores", "2", "--smp", "--timeout", "30", NULL);
    assert_exit(&r, 0);
    assert_true(has_line(r.out, "server: init on CPU 1"));
    assert_true(has_line(r.out, "watcher: init"));
    assert_lines_in_order(r.out, "client: 10000 replies correct", "server: notified on 2 after 10000 calls",
                          "watcher: notified on 4");
    assert_int_equal(count_lines(r.out, "client: wrong reply"), 0);
    run_result_free(&r);
}

/* Without --smp the same system runs on one CPU, strictly by priority: fully deterministic. The
 * client (above the watcher) only gives up the CPU to the server, so the watcher's init runs
 * once the client waits in receive, with the server's notification already pending. */
static void without_smp_the_system_shares_one_cpu(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "smp", "--cores", "2", "--timeout", "30", NULL);
    assert_exit(&r, 0);
    assert_text_equal("stdout of smp on one CPU",
                      "server: init on CPU 1\n"
                      "client: 10000 replies correct\n"
                      "server: notified on 2 after 10000 calls\n"
                      "watcher: init\n"
                      "watcher: notified on 4\n",
                      r.out);
    run_result_free(&r);
}

/* A cpu attribute beyond the cores the system is given is refused, as the Microkit tool does. */
static void cpu_beyond_cores_is_refused(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "smp", "--smp", NULL);
    assert_exit(&r, 1);
    assert_true(strncmp(r.err, "Error: ", 7) == 0);
    run_result_free(&r);
}

/* The budget is checked, not enforced: the output is unchanged, and stderr names the PD, the
 * handler and the budget, once. */
static void handler_past_its_budget_is_warned_about(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "budget", NULL);
    assert_exit(&r, 0);
    assert_text_equal("stdout of budget", "slow: done\nquick: done\n", r.out);
    assert_true(contains(r.err, "hostkit: warning: PD 'slow' ran "));
    assert_true(contains(r.err, " in init(0), past its budget of 0.200 ms"));
    assert_false(contains(r.err, "'quick'"));
    run_result_free(&r);
}

/* --irq-stdin: each line raises an IRQ (by number or PD:ID, now or @SECONDS after the start); a
 * bad line is reported and skipped; the run ends once input has ended and all is handled. */
static void irqs_from_a_script_on_stdin(void **state)
{
    (void)state;
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "printf '33\\n# a comment\\ndriver:6@0.05\\nnot-an-irq\\n34\\n' | %s run --irq-stdin "
             "--timeout 30 --search-path %s/tests/systems/irqscript tests/systems/irqscript/irqscript.system",
             hostkit_path(), build_dir());
    char *const argv[] = {"sh", "-c", cmd, NULL};
    struct run_result r;
    run_command(&r, argv);
    assert_exit(&r, 0);
    /* 33 at once; then 34 twice (the script's second one may come first or coalesce with it) */
    assert_lines_in_order(r.out, "driver: init", "driver: irq on channel 5", "driver: irq on channel 6");
    assert_int_equal(count_lines(r.out, "driver: irq on channel 5"), 1);
    assert_true(count_lines(r.out, "driver: irq on channel 6") >= 1);
    assert_true(contains(r.err, "hostkit: --irq-stdin line 4 ignored"));
    run_result_free(&r);
}

/* The monitor holds a CPU a faulting PD handed it. It gives it on only when no fault of a PD of
 * that CPU is still to be dealt with: otherwise the next runnable PD (the next child) would run
 * before the parent's fault() hears of the fault, which seL4 runs first. This is the decision of
 * monitor_reschedule() itself, on a scheduler page set up by hand: the interleaving that once broke
 * it (a fault arriving while the monitor served another request) needs no timing here. */
static void monitor_keeps_a_cpu_while_a_fault_on_it_is_not_dealt_with(void **state)
{
    (void)state;
    struct hk_sched *s = calloc(1, sizeof *s);
    struct hk_ctl *ctl = calloc(2, sizeof *ctl);
    assert_non_null(s);
    assert_non_null(ctl);
    M.sched = s;
    M.npds = 2;
    for (int i = 0; i < 2; i++) {
        M.cpu_of[i] = 0;
        M.prio[i] = 10;
        M.pd[i].ctl = &ctl[i];
        M.pd[i].fault_seen = 0;
    }
    /* PD 0 is runnable; PD 1 has faulted (its fault's sequence number moved on) and handed the
     * CPU to the monitor */
    hk_set_state(s, 0, 0, HK_ST_RUNNABLE);
    hk_make_runnable(s, 0, 0, false, hk_same_prio(M.prio, M.npds, 0));
    hk_set_state(s, 0, 1, HK_ST_FAULTED);
    atomic_store(&ctl[1].fault.seq, 1);
    atomic_store(&s->cpu[0].hand, hk_hand(MONITOR_ID, HK_IDLE, 0));

    monitor_reschedule(0, true);
    assert_int_equal(hk_current(s, 0), MONITOR_ID); /* the fault is not dealt with: kept */

    M.pd[1].fault_seen = 1; /* the monitor has dealt with it (reported it, or told the parent) */
    monitor_reschedule(0, true);
    assert_int_equal(hk_current(s, 0), 0); /* now the next runnable PD has it */

    M.sched = NULL;
    M.npds = 0;
    free(ctl);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(monitor_keeps_a_cpu_while_a_fault_on_it_is_not_dealt_with),
        cmocka_unit_test(ppcalls_across_cpus_keep_their_order),
        cmocka_unit_test(without_smp_the_system_shares_one_cpu),
        cmocka_unit_test(cpu_beyond_cores_is_refused),
        cmocka_unit_test(handler_past_its_budget_is_warned_about),
        cmocka_unit_test(irqs_from_a_script_on_stdin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
