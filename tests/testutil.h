/* testutil.h — helpers for the cmocka tests: run `hostkit`, read files, compare texts.
 *
 * Include after cmocka's prerequisites (stdarg.h, stddef.h, stdint.h, setjmp.h) and cmocka.h. */
#ifndef HOSTKIT_TESTUTIL_H
#define HOSTKIT_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A finished run of a command. */
struct run_result {
    int status;      /* exit code; 128+N if killed by signal N; -1 if it could not be started */
    bool timed_out;  /* the safety limit killed it (then status is 128+SIGKILL) */
    char *out;       /* everything it wrote to stdout, NUL-terminated */
    size_t out_len;
    char *err;       /* likewise stderr */
    size_t err_len;
};

/* Safety limit on one command: long enough for any healthy run, short enough that a hung
 * runtime fails the test instead of hanging the suite. */
#define RUN_SAFETY_LIMIT_SECONDS 60

/* The hostkit binary: $HOSTKIT, else build/hostkit. */
const char *hostkit_path(void);
/* The build directory: $BUILD, else build. */
const char *build_dir(void);

/* Runs argv[0] with the given NULL-terminated argv, stdin from /dev/null, in its own process group
 * (everything left in the group is killed when it exits or at the safety limit), and captures
 * its output. Always fills *r; free it with run_result_free(). */
void run_command(struct run_result *r, char *const argv[]);

/* Runs `$HOSTKIT run ARGS...`; the list of arguments ends with NULL. */
void run_hostkit(struct run_result *r, const char *arg, ...);

/* Runs test system SYS: `$HOSTKIT run [EXTRA...] --search-path BUILD/tests/systems/SYS
 * tests/systems/SYS/SYS.system`; the extra arguments end with NULL. */
void run_system(struct run_result *r, const char *sys, ...);

void run_result_free(struct run_result *r);

/* Prints a run's exit status, stdout and stderr to stderr as TAP comments (for a failing test). */
void run_result_dump(const struct run_result *r);

/* ---- a run we can act on while it goes: output read line by line ---- */
struct live {
    pid_t pid;                  /* the monitor (or PREFIX's first program, which executes it) */
    int in, out, err;           /* in: the monitor's stdin (with --irq-stdin), else -1 */
    char *text, *errtext;       /* everything read so far */
    size_t len, errlen, scanned; /* scanned: stdout up to here was looked at by live_line */
    int64_t deadline_ms;        /* test_now_ms() at which the run is killed */
};
/* Starts [PREFIX...] $HOSTKIT run [ARGS...] [--irq-stdin] --search-path BUILD/tests/systems/SYS
 * tests/systems/SYS/SYS.system (PREFIX and ARGS: NULL-terminated lists, or NULL); with
 * STDIN_IRQS the test writes IRQ lines to its stdin with live_irq(). */
void live_start(struct live *l, const char *sys, const char *const *prefix, const char *const *args, bool stdin_irqs);
/* An IRQ line for --irq-stdin ("PD:ID"), now. */
void live_irq(struct live *l, const char *spec);
/* Waits for the next stdout line starting with PREFIX; returns what follows the prefix on it
 * (a static copy), or fails the test if the run ends first. */
const char *live_line(struct live *l, const char *prefix);
/* Ends the IRQ script, reads to the end and collects the exit status (128+N for signal N). */
int live_finish(struct live *l);
void live_free(struct live *l);
/* CLOCK_MONOTONIC in ms. */
int64_t test_now_ms(void);

/* ---- the processes of a run, seen from outside (PDs cannot see them: docs/security.md) ---- */
/* The children of process PID (a monitor's: its PDs), at most MAX into PIDS; their number. */
int proc_children(long pid, long *pids, int max);
/* The host pid of PD NAME, a child of MONITOR whose argv[0] is NAME (a child that has not yet
 * executed its image still has the monitor's); waits up to the safety limit, fails the test if
 * it never appears. */
long pd_pid(long monitor, const char *name);
/* A number field of /proc/PID/status ("VmRSS:"), or -1; "State:" gives its letter. */
long proc_status_field(long pid, const char *field);
/* Open descriptors of PID (-1 if /proc/PID/fd cannot be read: a non-dumpable process of another
 * user, or of ours without CAP_SYS_PTRACE). */
int proc_fd_count(long pid);

/* Returns the whole file, NUL-terminated (length in *len if not NULL); fails the test if unreadable. */
char *read_file(const char *path, size_t *len);

/* True if `text` has a line equal to `line` (without its newline). */
bool has_line(const char *text, const char *line);
/* True if some line of `text` contains `needle`. */
bool contains(const char *text, const char *needle);
/* Number of lines of `text` equal to `line`. */
int count_lines(const char *text, const char *line);

/* Compares two texts line by line; on a difference prints both (with the first differing line
 * marked) to stderr and fails the current test. `what` names the text in the message. */
#define assert_text_equal(what, expected, actual) \
    assert_text_equal_at((what), (expected), (actual), __FILE__, __LINE__)
void assert_text_equal_at(const char *what, const char *expected, const char *actual, const char *file,
                          int line);

/* Fails the test unless the lines `expected` (NULL-terminated) occur in `text` in this order, each
 * as a whole line, possibly with other lines between them. */
#define assert_lines_in_order(text, ...) \
    assert_lines_in_order_at((text), (const char *const[]){ __VA_ARGS__, NULL }, __FILE__, __LINE__)
void assert_lines_in_order_at(const char *text, const char *const expected[], const char *file, int line);

/* Fails the test (printing the run) unless the run exited with `code` and was not killed by the
 * safety limit. */
#define assert_exit(r, code) assert_exit_at((r), (code), __FILE__, __LINE__)
void assert_exit_at(const struct run_result *r, int code, const char *file, int line);

/* The text without its monitor lines ("MON|..."), whose fault details (addresses) vary; in *mon
 * (unless NULL) only those lines. Both are malloc'd. */
char *split_monitor_lines(const char *text, char **mon);
/* True for a line (N bytes, newline included) of the register dump in a monitor's fault report,
 * which Microkit's monitor prints without its MON| prefix; split_monitor_lines() counts them as
 * monitor lines. */
bool register_dump_line(const char *s, size_t n);
static inline char *without_monitor_lines(const char *text) { return split_monitor_lines(text, NULL); }

/* ---- tests that cannot run here ----
 * A test whose prerequisite is missing must say so in TAP as "ok N - NAME # SKIP REASON", which
 * prove counts as a skip (tests/prove.pl lists them; .ci/run fails on any). cmocka's own skip()
 * prints "not ok N # SKIP", which prove counts as a failure, so the decision is made in main(),
 * before cmocka runs the group: */

/* When `reason` is not NULL, TEST is not run and cmocka reports it as "ok N - NAME # SKIP REASON". */
void skip_test_if(struct CMUnitTest *test, const char *reason);

/* True if NAME is an executable file in a directory of $PATH. */
bool have_command(const char *name);

#endif
