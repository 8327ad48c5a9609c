/* hostkit_test.h — a C API for users' tests (cmocka, or any other framework) that run a Microkit
 * system on hostkit and drive it from outside, over the monitor's control channel (`hostkit run
 * --control FD`, docs/testing.md). Link with -lhostkit_test (libhostkit_test.a, installed beside
 * libhostkit.a; `pkg-config --libs hostkit` names it).
 *
 *     struct hostkit_system *s = hostkit_start("examples/ipc/ipc.system", NULL);
 *     assert_non_null(s);
 *     assert_int_equal(hostkit_wait_line(s, "TEST_PASS", 10, NULL, 0), 0);
 *     uint64_t mrs[] = {1, 2, 3}, out[120];
 *     struct hostkit_reply reply = {.mrs = out, .capacity = 120};
 *     assert_int_equal(hostkit_ppcall(s, "server", 37, 1, mrs, 3, &reply), 0);
 *     assert_int_equal(hostkit_stop(s), 0);          // the run's exit status; frees s
 *
 * Every function but hostkit_start() and hostkit_stop() returns 0, or -1 with the reason in
 * hostkit_error(s) (the monitor's refusal, or that the run ended). */
#ifndef HOSTKIT_TEST_H
#define HOSTKIT_TEST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hostkit_system;

/* The hostkit program: $HOSTKIT if set, else "hostkit" on PATH. */
const char *hostkit_program(void);

/* Starts `hostkit run --control FD [ARGS...] SYSTEM`; ARGS is a NULL-terminated list of further
 * options of hostkit run ("--search-path", "dir", ...), or NULL. The system's output goes to a
 * file hostkit_output() reads. NULL if hostkit could not be started (errno says why). */
struct hostkit_system *hostkit_start(const char *system, const char *const *args);

/* Raises an IRQ: its number or "PD:ID" (as --irq takes them, "@SECONDS" too). */
int hostkit_irq(struct hostkit_system *s, const char *irq);
/* PD is notified on its channel CH, as by the PD at the other end of it. */
int hostkit_notify(struct hostkit_system *s, const char *pd, unsigned ch);

/* The reply of a ppcall: its label, and up to CAPACITY of its message registers in MRS (COUNT says
 * how many it had). */
struct hostkit_reply {
    uint64_t label;
    unsigned count;
    uint64_t *mrs;
    unsigned capacity;
};
/* A ppcall into PD on its channel CH (the other end must have pp="true") with label LABEL and
 * message registers MRS[0..N-1]; waits for protected()'s reply, into REPLY (or NULL). */
int hostkit_ppcall(struct hostkit_system *s, const char *pd, unsigned ch, uint64_t label, const uint64_t *mrs,
                   unsigned n, struct hostkit_reply *reply);

/* LEN bytes of memory region REGION at OFFSET, into BUF; and the other way. */
int hostkit_read(struct hostkit_system *s, const char *region, uint64_t offset, void *buf, size_t len);
int hostkit_write(struct hostkit_system *s, const char *region, uint64_t offset, const void *buf, size_t len);

/* Waits for the next output line (after the one the last wait returned) that REGEX (POSIX
 * extended) matches, SECONDS at most (0: no limit); the line into LINE (LEN bytes, or NULL). */
int hostkit_wait_line(struct hostkit_system *s, const char *regex, double seconds, char *line, size_t len);
/* Waits until nothing can run and no IRQ is due; *STUCK (unless NULL) says whether a PD is
 * blocked for ever in a ppcall. */
int hostkit_idle(struct hostkit_system *s, int *stuck);
/* PD's state: "init", "runnable", "running", "receiving", "ppcall", "faulted", "stopped", "dead". */
int hostkit_state(struct hostkit_system *s, const char *pd, char *state, size_t len);

/* Everything the system printed so far (NUL-terminated, valid until the next call or stop). */
const char *hostkit_output(struct hostkit_system *s);
/* Why the last call failed. */
const char *hostkit_error(const struct hostkit_system *s);

/* Ends the run (the control channel's quit), waits for hostkit and frees S; returns its exit
 * status (128 + N if it was killed by signal N, -1 if it could not be waited for). */
int hostkit_stop(struct hostkit_system *s);

#ifdef __cplusplus
}
#endif
#endif
