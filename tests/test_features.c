/* test_features.c — issue 4's runtime features, end to end: memory regions and setvar, child PDs
 * and their faults, restart/resume/stop, IRQs with level semantics, passive servers, and the
 * examples that show them (examples/passive, restart, ringbuf, setvar, irq, timer).
 *
 * As in test_runtime.c, transcripts are exact: single-core strict-priority scheduling makes a
 * system's output deterministic. Where the host decides a value (an instruction pointer, a stack
 * address), the PDs print only whether it is there, and monitor lines are checked on their own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Monitor lines with the host's addresses cut off (from ": ip=" on), so they compare exactly. */
/* Removes the backtrace lines of monitor reports ("MON|ERROR:   #N 0x... function+0x..."), in
 * place, and their register dumps (whose values are the host's); returns how many backtrace lines
 * there were. */
static int drop_backtrace(char *text)
{
    int dropped = 0;
    char *w = text;
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) + 1 : strlen(s);
        if (strncmp(s, "MON|ERROR:   #", 14) == 0)
            dropped++;
        else if (!register_dump_line(s, n)) {
            memmove(w, s, n);
            w += n;
        }
        s += n;
    }
    *w = '\0';
    return dropped;
}

static char *without_addresses(const char *mon)
{
    char *res = malloc(strlen(mon) + 1), *w = res;
    assert_non_null(res);
    for (const char *s = mon; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        const char *ip = strstr(s, ": ip=");
        size_t keep = ip && ip < s + n ? (size_t)(ip - s) : n;
        memcpy(w, s, keep);
        w += keep;
        if (nl)
            *w++ = '\n';
        s += nl ? n + 1 : n;
    }
    *w = '\0';
    return res;
}

/* True if one line of `text` contains every string of the NULL-terminated list. */
static bool line_with_all(const char *text, const char *const needles[])
{
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char *line = strndup(s, n);
        assert_non_null(line);
        bool all = true;
        for (int k = 0; needles[k] && all; k++)
            all = strstr(line, needles[k]) != NULL;
        free(line);
        if (all)
            return true;
        s += nl ? n + 1 : n;
    }
    return false;
}
#define LINE_WITH_ALL(text, ...) line_with_all((text), (const char *const[]){ __VA_ARGS__, NULL })

/* Runs SYS (extra hostkit options before the NULL) and checks exit status and exact stdout. */
#define expect_system(sys, code, transcript, ...)                     \
    do {                                                              \
        struct run_result r_;                                         \
        run_system(&r_, (sys), ##__VA_ARGS__, NULL);                  \
        assert_exit(&r_, (code));                                     \
        assert_text_equal("stdout of " sys, (transcript), r_.out);   \
        run_result_free(&r_);                                         \
    } while (0)

/* ---- the examples: `make -C examples/NAME simulate` prints examples/NAME/expected.txt ---- */

/* EXTRA: one more make variable (NAME=VALUE), or NULL. */
static void example_simulates_with(const char *name, const char *extra)
{
    char dir[PATH_MAX], expected_path[PATH_MAX], hostkit_var[PATH_MAX + 16], abs[PATH_MAX];
    snprintf(dir, sizeof dir, "examples/%s", name);
    snprintf(expected_path, sizeof expected_path, "examples/%s/expected.txt", name);
    /* make -C changes directory: hand it an absolute hostkit (possibly the valgrind wrapper). */
    if (!realpath(hostkit_path(), abs))
        fail_msg("cannot resolve %s", hostkit_path());
    snprintf(hostkit_var, sizeof hostkit_var, "HOSTKIT=%s", abs);
    char *expected = read_file(expected_path, NULL);
    char *const argv[] = {"make", "-s", "--no-print-directory", "-C", dir, "simulate", hostkit_var, (char *)extra, NULL};
    struct run_result r;
    run_command(&r, argv);
    assert_exit(&r, 0);
    char what[PATH_MAX + 64];
    snprintf(what, sizeof what, "output of make -C %s simulate", dir);
    assert_text_equal(what, expected, r.out);
    run_result_free(&r);
    free(expected);
}

static void example_simulates_as_expected(const char *name) { example_simulates_with(name, NULL); }

static void example_passive(void **state)
{
    (void)state;
    example_simulates_as_expected("passive");
}

static void example_restart(void **state)
{
    (void)state;
    example_simulates_as_expected("restart");
}

static void example_ringbuf(void **state)
{
    (void)state;
    example_simulates_as_expected("ringbuf");
}

static void example_setvar(void **state)
{
    (void)state;
    example_simulates_as_expected("setvar");
}

/* The timer driver on hostkit's virtual timer device: timeouts fire in host time, never early. */
static void example_timer(void **state)
{
    (void)state;
    example_simulates_as_expected("timer");
}

static void example_irq(void **state)
{
    (void)state;
    /* The IRQs come 0.1 s apart from the start, before which both PDs must have run init: under
     * VALGRIND=1 a PD's process takes some 70 ms to start (valgrind's fork), so they come 0.5 s
     * apart there, in the same order. */
    example_simulates_with("irq", strstr(hostkit_path(), "valgrind")
                                      ? "IRQS=--irq 33@0.5 --irq 33@1.0 --irq driver:6@1.5 --irq 33@2.0"
                                      : NULL);
}

/* ---- memory regions ---- */

static void shared_region_is_seen_by_both_pds(void **state)
{
    (void)state;
    /* Mapped at different addresses in the two PDs; zero at start; every word the writer stores is
     * what the reader loads, and the reader's answer comes back. */
    expect_system("shmem", 0,
                  "reader: init, region at 0x8000000, 0 non-zero words\n"
                  "writer: init, region at 0x4000000\n"
                  "writer: filled 1023 words, notify reader\n"
                  "reader: notified by channel 2: 1023 of 1023 words as written\n"
                  "writer: answer 0x600d03ff\n");
}

static void write_to_read_only_map_is_a_vm_fault(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "rowrite", NULL);
    assert_exit(&r, 4); /* quiescent, but a PD faulted with nobody to handle it */
    char *mon;
    char *pds = split_monitor_lines(r.out, &mon);
    /* the backtrace starts in the faulting handler */
    assert_true(contains(mon, "MON|ERROR:   #0 0x") && contains(mon, " init+0x"));
    assert_true(drop_backtrace(mon) >= 2);
    assert_text_equal("PD output of rowrite (MON| lines removed)",
                      "owner: wrote 0xfeed\n"
                      "viewer: read 0xfeed\n" /* reading through the read-only map works */
                      "viewer: writing to the read-only map\n"
                      "late: init\n",
                      pds);
    assert_lines_in_order(r.out, "viewer: writing to the read-only map", "MON|ERROR: faulting PD: viewer",
                          "late: init");
    /* Then the report, shaped as Microkit's monitor's: the fault message (VMFault, label 6; badge
     * and TCB capability from viewer's index 1), who, and what: the IP varies, the fault address
     * and the x86 error code (a write, to a present page, from user mode) do not. */
    char *report = without_addresses(mon);
    assert_text_equal("monitor report of rowrite (ip= on cut, registers and backtrace dropped)",
                      "MON|ERROR: received message 0x00000006  badge: 0x0000000000000002  tcb cap: 0x000000000000000b\n"
                      "MON|ERROR: faulting PD: viewer\n"
                      "MON|ERROR: VMFault\n"
                      "MON|ERROR: description of fault: page-protection violation from write at ring 3\n"
                      "MON|ERROR: hostkit: SIGSEGV (access not permitted by the mapping)\n",
                      report);
    free(report);
    if (!LINE_WITH_ALL(mon, "MON|ERROR: VMFault: ip=0x", "  fault_addr=0x0000000005000010  fsr=0x0000000000000007  (data fault)")) {
        run_result_dump(&r);
        fail_msg("expected the VMFault at 0x5000010, a write to a present page from user mode (fsr 7)");
    }
    free(mon);
    free(pds);
    run_result_free(&r);
}

static void region_at_a_taken_address_fails_clearly(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "vaddr_taken", NULL);
    assert_exit(&r, 4);
    char *mon;
    char *pds = split_monitor_lines(r.out, &mon);
    /* squatter never runs init; bystander maps the same region at the same address and runs. */
    assert_text_equal("PD output of vaddr_taken (MON| lines removed)", "bystander: init, buf word 0 is 0x0\n", pds);
    assert_true(has_line(mon, "MON|ERROR: faulting PD: squatter"));
    if (!LINE_WITH_ALL(r.err, "squatter", "buf", "0x4000000")) {
        run_result_dump(&r);
        fail_msg("stderr should say, in one line, that PD squatter cannot map region buf at 0x4000000");
    }
    free(mon);
    free(pds);
    run_result_free(&r);
}

/* ---- setvar ---- */

static void missing_setvar_symbol_is_an_error(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "setvar_missing", NULL);
    assert_exit(&r, 1);
    assert_string_equal(r.out, ""); /* nothing started */
    assert_text_equal("stderr of setvar_missing",
                      "Error: setvar: symbol 'no_such_symbol' not found in program image 'pd.elf' of protection "
                      "domain 'lonely'\n",
                      r.err);
    run_result_free(&r);
}

/* region_paddr of regions without phys_addr: the stand-in addresses respect each region's page
 * size (a 2 MiB page at a 2 MiB boundary), do not overlap each other or a region with a
 * phys_addr, and are in the board's RAM as seL4 describes it (the board's console is its UART:
 * seL4 ends each line with CR LF there) */
static void region_paddr_standins_are_page_aligned(void **state)
{
    (void)state;
    expect_system("paddr_align", 0,
                  "pd: small 4 KiB aligned: yes\r\n"
                  "pd: large 2 MiB aligned: yes\r\n"
                  "pd: after 4 KiB aligned: yes\r\n"
                  "pd: in order, disjoint: yes\r\n"
                  "pd: fixed at its phys_addr: yes\r\n"
                  "pd: clear of 'fixed': yes\r\n"
                  "pd: in the board's RAM: yes\r\n",
                  "--board", "qemu_virt_aarch64");
}

/* ---- SMC: the board's firmware ---- */

/* On qemu_virt_aarch64 an SMC reaches QEMU's PSCI (src/devices/psci.c; seL4 in QEMU gives 1.1:
 * tests/upstream/arm_smc.expected, tests/differential/smc_psci). */
static void smc_reaches_qemu_virt_psci(void **state)
{
    (void)state;
    expect_system("smc", 0, "pd: PSCI version 1.1 (error 0)\r\n", "--board", "qemu_virt_aarch64");
}

/* On a board hostkit has no firmware model of, the SMC is the PD's fault, naming the call; nothing
 * after it runs. */
static void smc_without_firmware_model_is_a_fault_naming_it(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "smc", "--board", "odroidc4", NULL);
    assert_exit(&r, 4);
    assert_true(LINE_WITH_ALL(r.out, "MON|ERROR: hostkit: seL4_ARM_SMC_Call (no model of the firmware)"));
    assert_false(contains(r.out, "PSCI version"));
    run_result_free(&r);
}

/* ---- child PDs: faults, resume, restart, stop ---- */

static void each_fault_kind_reaches_the_parent_with_sel4_label_and_mrs(void **state)
{
    (void)state;
    /* VMFault: MR0 ip, MR1 address, MR2 prefetch (1 when the fault is fetching the instruction),
     * MR3 status (si_code: 1 not mapped, 2 not permitted). UserException: MR0 ip, MR1 sp, MR3 the
     * signal (SIGILL 4, SIGABRT 6, SIGFPE 8, SIGTRAP 5), MR4 its si_code. exit(): UnknownSyscall with
     * the status in MR1. */
    expect_system("childfaults", 0,
                  "parent: init\n"
                  "bad_addr: read from 0x10\n"
                  /* seL4's x86-64 fault messages: a VM fault's status word is the page-fault
                   * error code (4 user read of a page not present, 7 user write to a present
                   * page, 0x14 user instruction fetch from a page not present); a user exception's
                   * number the exception's vector (#UD 6, #DE 0, #BP 3) */
                  "parent: child 0: VMFault (count 4): addr 0x10, ip elsewhere, prefetch 0, fsr 4\n"
                  "ro_write: read 0x0 from the read-only map, now write to it\n"
                  "parent: child 1: VMFault (count 4): addr 0x4000008, ip elsewhere, prefetch 0, fsr 7\n"
                  "illegal: illegal instruction\n"
                  "parent: child 2: UserException (count 5): ip set, sp set, IF 1, number 6, code 0\n"
                  "aborter: abort()\n" /* a signal the PD sent itself: no vector */
                  "parent: child 3: UserException (count 5): ip set, sp set, IF 1, number 0, code 0\n"
                  "divzero: divide by zero\n"
                  "parent: child 4: UserException (count 5): ip set, sp set, IF 1, number 0, code 0\n"
                  "bad_fnptr: call through a bad function pointer\n"
                  "parent: child 5: VMFault (count 4): addr 0xdead000, ip = addr, prefetch 1, fsr 20\n"
                  "bad_return: smash my return address and return\n"
                  "parent: child 6: VMFault (count 4): addr 0xbad000, ip = addr, prefetch 1, fsr 20\n"
                  "exiter: exit(3)\n"
                  "parent: child 7: UnknownSyscall (count 2): MR1 3\n"
                  "breakpoint: breakpoint\n"
                  "parent: child 8: UserException (count 5): ip set, sp set, IF 1, number 3, code 0\n");
}

static void resume_restart_and_stop_a_child(void **state)
{
    (void)state;
    expect_system("lifecycle", 0,
                  "boss: init\n"
                  "kid: init: data 7, bss 0, mode 0\n"
                  "kid: write to 0x20\n"
                  "boss: fault 1 from child 1: label 6, addr 0x20\n" /* seL4_Fault_VMFault (MCS) */
                  "boss: resume it\n"
                  /* resumed, the faulting instruction runs again and faults again */
                  "boss: fault 2 from child 1: label 6, addr 0x20\n"
                  "boss: restart it\n"
                  "boss: back from restart\n"
                  /* seL4 rewrites the registers only: init again, .data, .bss and the region as
                   * the kid left them */
                  "kid: init: data 8, bss 1, mode 1\n"
                  "kid: up, notify boss\n"
                  "boss: notified by channel 1 (1)\n"
                  "boss: notify kid\n"
                  "kid: back from notify\n"
                  "kid: notified by channel 2: data 9, bss 2\n"
                  "boss: notified by channel 1 (2)\n"
                  "boss: stop kid\n" /* kid is preempted inside its notify: it never comes back */
                  "boss: stopped\n"
                  "boss: restart the stopped kid\n"
                  "boss: back from restart\n"
                  "kid: init: data 9, bss 2, mode 2\n"
                  "kid: up, notify boss\n"
                  "boss: notified by channel 1 (3)\n"
                  "kid: back from notify\n");
}

static void faults_without_parent_are_reported_by_kind(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "orphans", NULL);
    assert_exit(&r, 4);
    /* Each report comes at once, before the next PD runs. */
    char *mon_only;
    free(split_monitor_lines(r.out, &mon_only));
    char *report = without_addresses(r.out);
    drop_backtrace(report);
    assert_text_equal("stdout of orphans (registers and backtraces dropped)",
                      "ill: illegal instruction\n"
                      "MON|ERROR: received message 0x00000003  badge: 0x0000000000000001  tcb cap: 0x000000000000000a\n"
                      "MON|ERROR: faulting PD: ill\n"
                      "MON|ERROR: UserException\n"
                      "MON|ERROR: hostkit: SIGILL (illegal instruction)\n"
                      "div: divide by zero\n"
                      "MON|ERROR: received message 0x00000003  badge: 0x0000000000000002  tcb cap: 0x000000000000000b\n"
                      "MON|ERROR: faulting PD: div\n"
                      "MON|ERROR: UserException\n"
                      "MON|ERROR: hostkit: SIGFPE (arithmetic exception)\n"
                      "abrt: abort()\n"
                      "MON|ERROR: received message 0x00000003  badge: 0x0000000000000003  tcb cap: 0x000000000000000c\n"
                      "MON|ERROR: faulting PD: abrt\n"
                      "MON|ERROR: UserException\n"
                      "MON|ERROR: hostkit: SIGABRT (aborted)\n"
                      "last: init\n",
                      report);
    /* ...and each report has the registers of the moment of the fault (a trap has no separate
     * fault address, so no line names one). */
    assert_int_equal(count_lines(mon_only, "Registers: "), 3);
    assert_true(contains(mon_only, "rip : 0x"));
    assert_false(contains(mon_only, "fault_addr="));
    free(report);
    free(mon_only);
    run_result_free(&r);
}

static void parent_without_fault_handler_says_so(void **state)
{
    (void)state;
    /* libmicrokit's default fault() (2.3) says the entry point is missing and crashes the parent,
     * whose fault nobody handles (exit 4): a VM fault at address 0. */
    struct run_result r;
    run_system(&r, "nofault", NULL);
    assert_exit(&r, 4);
    assert_lines_in_order(r.out, "child: about to crash", "parent is missing the 'fault' entry point",
                          "MON|ERROR: faulting PD: parent");
    assert_true(LINE_WITH_ALL(r.out, "MON|ERROR: VMFault: ip=0x", "fault_addr=0x0000000000000000"));
    char *pds = without_monitor_lines(r.out);
    assert_text_equal("PD output of nofault (monitor lines removed)",
                      "parent: init\n"
                      "child: about to crash\n"
                      "parent is missing the 'fault' entry point\n",
                      pds);
    free(pds);
    run_result_free(&r);
}

static void pd_defining_libc_names_keeps_working(void **state)
{
    (void)state;
    /* driver has its own read, write, close and putchar (as sDDF's UART driver has read and
     * write): libhostkit calls none of them, its output and hand-overs still work */
    expect_system("libcnames", 0,
                  "server: init\n"
                  "driver: init, ppcall server\n"
                  "server: ppcall on channel 2, label 5\n"
                  "driver: reply label 6; notify server\n"
                  "server: notified on channel 2\n"
                  "driver: my read/write/close/putchar were called 0 times\n");
}

/* ---- IRQs ---- */

static void irqs_are_level_triggered_until_acked(void **state)
{
    (void)state;
    /* 0.1: IRQ 33 delivered, not acked. 0.3 and 0.5 (by number, then by PD:channel): masked, so
     * pending, once. 0.7: IRQ 34, whose handler acks 5 and 6: the pending 33 comes in after it.
     * 0.9: 33 again, delivered as it is acked. 1.1 and 1.3: 34 twice with a deferred ack, which
     * re-arms it when the handler returns. The run waits for the last IRQ to come. */
    expect_system("irqlevel", 0,
                  "driver: init\n"
                  "driver: IRQ on channel 5 (1), not acked\n"
                  "driver: IRQ on channel 6 (1), ack 5 and 6\n"
                  "driver: acked\n"
                  "driver: IRQ on channel 5 (2), ack\n"
                  "driver: IRQ on channel 5 (3), ack\n"
                  "driver: IRQ on channel 6 (2), deferred ack\n"
                  "driver: IRQ on channel 6 (3), deferred ack\n",
                  "--irq", "33@0.1", "--irq", "33@0.3", "--irq", "driver:5@0.5", "--irq", "34@0.7", "--irq",
                  "33@0.9", "--irq", "34@1.1", "--irq", "34@1.3");
}

/* ---- passive servers ---- */

static void passive_server_runs_at_its_priority_inside_calls(void **state)
{
    (void)state;
    expect_system("passive_prio", 0,
                  "server: init\n" /* init first, by priority; then it is passive */
                  "MON|INFO: PD 'server' is now passive!\n"
                  "mid: init\n"
                  "client: init, ppcall server\n"
                  "server: ppcall on channel 1, label 99; notify mid\n"
                  "server: back from notify mid, reply 1\n" /* mid (150) below server (200) */
                  "mid: notified by channel 4\n"            /* ...but above client (100) */
                  "client: reply label 0x77, MR0 1\n"
                  "other: init, ppcall server\n"
                  "server: ppcall on channel 2, label 111; notify mid\n"
                  "server: back from notify mid, reply 2\n"
                  "mid: notified by channel 4\n"
                  "other: reply label 0x77, MR0 2\n");
}

int main(void)
{
    /* The examples are run through make: keep the outer make's jobserver and flags out of it. */
    unsetenv("MAKEFLAGS");
    unsetenv("MFLAGS");
    unsetenv("MAKELEVEL");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_passive),
        cmocka_unit_test(example_restart),
        cmocka_unit_test(example_ringbuf),
        cmocka_unit_test(example_setvar),
        cmocka_unit_test(example_irq),
        cmocka_unit_test(example_timer),
        cmocka_unit_test(shared_region_is_seen_by_both_pds),
        cmocka_unit_test(write_to_read_only_map_is_a_vm_fault),
        cmocka_unit_test(region_at_a_taken_address_fails_clearly),
        cmocka_unit_test(missing_setvar_symbol_is_an_error),
        cmocka_unit_test(region_paddr_standins_are_page_aligned),
        cmocka_unit_test(smc_reaches_qemu_virt_psci),
        cmocka_unit_test(smc_without_firmware_model_is_a_fault_naming_it),
        cmocka_unit_test(each_fault_kind_reaches_the_parent_with_sel4_label_and_mrs),
        cmocka_unit_test(resume_restart_and_stop_a_child),
        cmocka_unit_test(faults_without_parent_are_reported_by_kind),
        cmocka_unit_test(parent_without_fault_handler_says_so),
        cmocka_unit_test(pd_defining_libc_names_keeps_working),
        cmocka_unit_test(irqs_are_level_triggered_until_acked),
        cmocka_unit_test(passive_server_runs_at_its_priority_inside_calls),
    };
    return cmocka_run_group_tests_name("features", tests, NULL, NULL);
}
