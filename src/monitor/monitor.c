/* monitor.c — `hostkit run`: the monitor. It checks the system description, creates the kernel
 * objects (kobj.h) in memfds, starts every PD as its own process holding only the objects its
 * channels name, prints the PDs' debug output in the order it was produced, reports faults the way
 * Microkit's monitor does, and ends the run when the system is quiescent, at --until's line, on
 * --timeout, or on a signal.
 *
 * This file: arguments, setting the run up, the event loop, quiescence and ending the run: the
 * top of the monitor, which calls the other files (monitor.h lists them), none of which calls it.
 *
 * Exit codes: monitor.h's HK_EXIT_* (0 quiescent or --until matched; 1 invalid system or setup
 * error; 2 usage; 3 timeout or a stuck system; 4 a PD faulted with nobody to handle it; 5 an
 * expectation not met; 6 a forbidden line or a --strict failure); 128+N killed by signal N. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/futex.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "monitor/elf_sym.h"
#include "kernel/kobj.h"
#include "sdf/sdf.h"
#include "monitor/trace.h"

#include "monitor/monitor.h"
#include "monitor/monitor_devices.h"

/* A regular file we may execute that starts with the ELF magic. */
static bool is_executable_elf(const char *path)
{
    char magic[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && read(fd, magic, 4) == 4 && !memcmp(magic, "\177ELF", 4) && access(path, X_OK) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* A bad option: say which, exit 2 (as the usage says). */
static void bad_usage(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void bad_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hostkit: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    exit(HK_EXIT_USAGE);
}

/* ---- ending the run ---- */
/* --coverage: each PD is asked to write its gcov counters and end (kernel/coverage.c), and given
 * ten seconds in all to do so before it is killed. */
static void end_for_coverage(void)
{
    for (unsigned i = 0; i < M.npds; i++)
        if (M.pd[i].pid > 0)
            kill(M.pd[i].pid, SIGTERM);
    for (int tick = 0; tick < 1000; tick++) {
        bool left = false;
        for (unsigned i = 0; i < M.npds; i++)
            if (M.pd[i].pid > 0 && waitpid(M.pd[i].pid, NULL, WNOHANG) == M.pd[i].pid)
                M.pd[i].pid = 0;
            else if (M.pd[i].pid > 0)
                left = true;
        if (!left)
            return;
        struct timespec pause = {0, 10000000};
        nanosleep(&pause, NULL);
    }
}

static void kill_all(void)
{
    if (M.coverage)
        end_for_coverage();
    for (unsigned i = 0; i < M.npds; i++)
        if (M.pd[i].pid > 0)
            kill(M.pd[i].pid, SIGKILL);
    for (unsigned i = 0; i < M.npds; i++)
        if (M.pd[i].pid > 0) {
            while (waitpid(M.pd[i].pid, NULL, 0) < 0 && errno == EINTR) {
            }
            M.pd[i].pid = 0;
        }
}

static void write_trace(void)
{
    struct trace_pd pds[HK_MAX_PDS];
    for (unsigned i = 0; i < M.npds; i++)
        pds[i] = (struct trace_pd){pd_name((int)i), M.pd[i].trace, M.pd[i].cfg};
    uint64_t t0 = (uint64_t)M.start.tv_sec * 1000000000u + (uint64_t)M.start.tv_nsec;
    if (trace_write(M.trace_path, pds, M.npds, M.instants, M.ninstants, t0, run_clock_ns()) < 0)
        fprintf(stderr, "hostkit: cannot write trace '%s': %s\n", M.trace_path, strerror(errno));
}

/* Ends the run: the output drained, every PD ended, the trace written, the checks of verdict.c
 * made (the exit status is theirs: CODE is how the run itself ended, WHY says it in words). */
static void finish(enum run_end end, int code, const char *why) __attribute__((noreturn));
static void finish(enum run_end end, int code, const char *why)
{
    output_end();
    control_run_ends(why && *why ? why : end == RUN_QUIESCENT ? "the system is quiescent" : "the run ended");
    kill_all();
    devices_finish();
    if (M.trace_path)
        write_trace();
    code = verdict_finish(end, code, why);
    fflush(stdout);
    sdf_free(&M.sys);
    exit(code);
}

/* The event fd rang: a CPU went idle, a faulting PD handed its CPU to the monitor, a PD asks for
 * something, or the virtual timer was programmed. */
void on_event(void)
{
    struct epoll_event rang[HK_MAX_PDS];
    int n = epoll_wait(M.event_fd, rang, HK_MAX_PDS, 0); /* M.event_fd: the PDs' event fds */
    for (int k = 0; k < n; k++) {
        uint64_t v;
        if (read(M.pd[rang[k].data.u32 % HK_MAX_PDS].event_fd, &v, sizeof v) < 0 && errno != EAGAIN)
            die("event fd: %s", strerror(errno));
    }
    for (unsigned i = 0; i < M.npds; i++) {
        struct hk_fault *f = &M.pd[i].ctl->fault;
        if (hk_state(M.sched, M.cpu_of[i], (int)i) == HK_ST_FAULTED && atomic_load(&f->seq) != M.pd[i].fault_seen)
            handle_fault(i, 0);
        if (atomic_load(&M.pd[i].ctl->req_seq) != atomic_load(&M.pd[i].ctl->ack_seq))
            serve_request(i);
    }
    fire_irqs(); /* a device may have been programmed */
    for (unsigned c = 0; c < M.ncpus; c++)
        monitor_reschedule(c, true);
}

/* Quiescent: every CPU idle. A PD still blocked in a ppcall means the system is stuck instead.
 * With several CPUs the check holds every CPU's lock, so it sees one moment of the whole system
 * (a PD on one CPU may otherwise start another CPU between two reads). */
static void check_quiescent(void)
{
    bool later = irqs_to_come(); /* --irq or the timer: things will happen */
    if (later)
        return;
    for (unsigned c = 0; c < M.ncpus; c++)
        hk_lock_monitor(M.sched, c, MONITOR_ID);
    bool idle = true, stuck = false;
    for (unsigned c = 0; c < M.ncpus; c++)
        if (hk_current(M.sched, c) != -1 || atomic_load(&M.sched->cpu[c].runnable))
            idle = false;
    for (unsigned i = 0; i < M.npds; i++)
        if (hk_state(M.sched, M.cpu_of[i], (int)i) == HK_ST_CALL)
            stuck = true;
    for (unsigned c = 0; c < M.ncpus; c++)
        hk_unlock(M.sched, c);
    if (!idle)
        return;
    pump_output(true); /* output still in the pipe may be what a device waits for */
    if (devices_due()) {
        fire_irqs();
        if (irqs_to_come())
            return;
    }
    if (watch_check(true)) /* a PD blocked with something waiting: it lost its wake-up */
        return;
    control_system_idle(stuck); /* a test waiting for this moment goes on */
    if (control_keeps_running())
        return;
    if (!stuck)
        finish(RUN_QUIESCENT, M.unhandled_fault ? HK_EXIT_FAULT : HK_EXIT_OK,
               M.unhandled_fault ? "quiescent after a PD faulted with nobody to handle it" : NULL);
    /* stuck: reported at once, whatever --timeout says, as nothing can change it */
    report_busy("the system is stuck (nothing can run)");
    finish(RUN_STUCK, HK_EXIT_TIMEOUT, "the system is stuck: a PD is blocked in a ppcall that can never return");
}

/* ---- building the system ---- */
static void usage_run(FILE *f)
{
    fputs("usage: hostkit run [OPTIONS] SYSTEM\n"
          "Runs a Microkit system: each protection domain a process, single-core seL4 scheduling.\n"
          "  --search-path DIR   look for program images in DIR too (repeatable)\n"
          "  --timeout SECONDS   end the run after SECONDS (exit 3), saying what each busy PD does\n"
          "Checks (a CI's verdict: the exit status and the reports say how they went):\n"
          "  --until REGEX       end the run at the first output line matching REGEX (POSIX\n"
          "                      extended); a run that ends otherwise has not met it (exit 5)\n"
          "  --expect FILE       FILE's lines must appear in the output, in that order (exit 5):\n"
          "                      a line is a whole output line, 're:REGEX' a line REGEX matches,\n"
          "                      '#' starts a comment (docs/testing.md)\n"
          "  --forbid REGEX      no output line may match REGEX (exit 6; repeatable)\n"
          "  --strict            libmicrokit's diagnostics (invalid channel, missing entry point),\n"
          "                      budget overruns and unhandled faults fail the run (exit 6)\n"
          "  --junit FILE        write a JUnit XML report, a test case per check\n"
          "  --tap               print a TAP report after the output (which becomes TAP comments)\n"
          "Driving and watching the system:\n"
          "  --control FD|PATH   take commands (IRQs, notify, ppcall, memory, waits; docs/testing.md)\n"
          "                      on the connected socket FD, or on a Unix socket hostkit listens on\n"
          "                      at PATH; the run does not end by itself while the channel is open\n"
          "  --irq IRQ@SECONDS   raise an IRQ SECONDS after start; IRQ is the number in <irq irq=...>\n"
          "                      or PD:ID (the PD's channel id for it); repeatable\n"
          "  --irq-stdin         the control channel's commands from standard input, replies unsent:\n"
          "                      a line IRQ (now) or IRQ@SECONDS raises it; the run is not quiescent\n"
          "                      before end of input\n"
          "  --trace FILE.json   write a Chrome/Perfetto trace of every handler, notify, ppcall,\n"
          "                      reply, fault and IRQ (open it in ui.perfetto.dev)\n"
          "  --log               print a line per IPC event on stderr\n"
          "Debugging:\n"
          "  --gdb PD            start PD stopped under gdbserver, the rest of the system waiting for\n"
          "                      it, and print the gdb command that attaches to it\n"
          "  --core-dir DIR      write a core file of each PD that faults with nobody to handle it\n"
          "  --coverage          PD images built with gcc --coverage write their gcov counters (.gcda)\n"
          "                      when the run ends (make coverage: lcov HTML of the examples)\n"
          "System:\n"
          "  --sandbox           confine each PD with seccomp to the system calls the runtime needs\n"
          "                      (docs/security.md): open, exec, sockets... fail with EPERM\n"
          "  --arch ARCH         check the system for aarch64 (default), riscv64 or x86_64, as the\n"
          "                      Microkit tool does (x86_64: <ioport> elements)\n"
          "  --cores N           the system's number of CPUs, as the Microkit tool is told (default 1)\n"
          "  --smp               run PDs on the CPUs their cpu attribute names, in parallel;\n"
          "                      without it every PD shares one CPU, as on a single-core seL4\n"
          "  --irq IRQ@SECONDS   raise an IRQ SECONDS after start; IRQ is the number in <irq irq=...>\n"
          "                      or PD:ID (the PD's channel id for it); repeatable\n",
          f);
    devices_usage(f);
    fputs("  -h, --help          this help\n"
          "Example: hostkit run --timeout 10 --until 'TEST_PASS' --strict examples/ipc/ipc.system\n"
          "Exit status: 0 quiescent (or --until matched, or the control channel's quit) with every\n"
          "check met; 1 invalid system; 2 bad usage (options, --expect file); 3 timeout, or stuck\n"
          "(every PD blocked, one in a ppcall: reported at once); 4 a PD faulted with nobody to\n"
          "handle it; 5 an expectation not met (--until, --expect); 6 a forbidden line (--forbid),\n"
          "or under --strict a diagnostic, budget overrun or unhandled fault; 128+N signal N.\n",
          f);
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"search-path", required_argument, NULL, 's'}, {"timeout", required_argument, NULL, 't'},
        {"until", required_argument, NULL, 'u'},       {"smp", no_argument, NULL, 'm'},
        {"irq", required_argument, NULL, 'i'},         {"trace", required_argument, NULL, 'T'},
        {"log", no_argument, NULL, 'l'},               {"cores", required_argument, NULL, 'c'},
        {"sandbox", no_argument, NULL, 'S'},           {"irq-stdin", no_argument, NULL, 'I'},
        {"arch", required_argument, NULL, 'a'},        {"board", required_argument, NULL, 'B'},
        {"device", required_argument, NULL, 'd'},      {"expect", required_argument, NULL, 'e'},
        {"forbid", required_argument, NULL, 'f'},      {"strict", no_argument, NULL, 'x'},
        {"junit", required_argument, NULL, 'j'},       {"tap", no_argument, NULL, 'P'},
        {"control", required_argument, NULL, 'C'},     {"gdb", required_argument, NULL, 'g'},
        {"core-dir", required_argument, NULL, 'D'},    {"coverage", no_argument, NULL, 'G'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *paths[64], *irq_specs[64], *control = NULL, *gdb = NULL, *junit = NULL;
    size_t npaths = 0;
    bool smp = false, tap = false;
    unsigned cores = 1;
    enum sdf_arch arch = SDF_AARCH64;
    bool arch_given = false;
    int o;
    M.gdb_pd = -1;
    /* what the files below the loop call up to, without an arrow up: the run's end, and the
     * watchers of the output */
    run_ends_with(finish);
    output_watchers(control_output_line, devices_output_seen);
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            if (npaths + 1 >= sizeof paths / sizeof *paths)
                bad_usage("too many --search-path options");
            paths[npaths++] = optarg;
            break;
        case 't': {
            char *end;
            M.timeout = strtod(optarg, &end);
            if (*end || M.timeout <= 0)
                bad_usage("--timeout wants a positive number of seconds, not '%s'", optarg);
            break;
        }
        case 'u':
            if (verdict_until(optarg) < 0)
                exit(HK_EXIT_USAGE);
            break;
        case 'e':
            if (verdict_expect_file(optarg) < 0)
                exit(HK_EXIT_USAGE);
            break;
        case 'f':
            if (verdict_forbid(optarg) < 0)
                exit(HK_EXIT_USAGE);
            break;
        case 'x': verdict_strict(); break;
        case 'j': junit = optarg; break;
        case 'P': tap = true; break;
        case 'C':
            if (control)
                bad_usage("--control and --irq-stdin: one control channel only");
            control = optarg;
            break;
        case 'g': gdb = optarg; break;
        case 'D': M.core_dir = optarg; break;
        case 'G': M.coverage = true; break;
        case 'm': smp = true; break;
        case 'a':
            if (sdf_parse_arch(optarg, &arch) < 0)
                bad_usage("--arch wants aarch64, riscv64 or x86_64, not '%s'", optarg);
            arch_given = true;
            break;
        case 'B':
            if (devices_set_board(optarg) < 0)
                return 2;
            break;
        case 'd':
            if (devices_add_option(optarg) < 0)
                return 2;
            break;
        case 'T': M.trace_path = optarg; break;
        case 'l': M.log = true; break;
        case 'S': M.sandbox = true; break;
        case 'I':
            if (control)
                bad_usage("--control and --irq-stdin: one control channel only");
            control = "-";
            break;
        case 'c': {
            char *end;
            unsigned long n = strtoul(optarg, &end, 10);
            if (*end || n < 1 || n > HK_MAX_CPUS)
                bad_usage("--cores wants a number of CPUs from 1 to %d, not '%s'", HK_MAX_CPUS, optarg);
            cores = (unsigned)n;
            break;
        }
        case 'i':
            if (M.nirqs == sizeof M.irqs / sizeof *M.irqs)
                bad_usage("too many --irq options");
            irq_specs[M.nirqs++] = optarg;
            break;
        case 'h': usage_run(stdout); return 0;
        default: usage_run(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        usage_run(stderr);
        return 2;
    }
    paths[npaths] = NULL;
    M.control_on_stdin = control && !strcmp(control, "-");
    if (devices_configure(&arch, arch_given) < 0)
        return 2;
    M.system_path = argv[optind];
    verdict_reports(junit, tap);
    confine_setup();

    struct sdf_options opt;
    sdf_default_options(&opt);
    opt.search_paths = paths;
    opt.cores = cores;
    opt.arch = arch;
    char err[1024];
    if (sdf_load(argv[optind], &opt, &M.sys, err, sizeof err) < 0) {
        fprintf(stderr, "Error: %s\n", err);
        return 1;
    }
    for (size_t p = 0; p < M.sys.npds; p++)
        if (!M.sys.pds[p].image_resolved) {
            fprintf(stderr, "Error: unable to find program image '%s' for protection domain '%s' "
                            "(looked beside %s and in the search paths)\n",
                    M.sys.pds[p].program_image ? M.sys.pds[p].program_image : "(none)",
                    M.sys.pds[p].name, argv[optind]);
            sdf_free(&M.sys);
            return 1;
        } else if (!is_executable_elf(M.sys.pds[p].image_resolved)) {
            fprintf(stderr, "Error: program image '%s' of protection domain '%s' is not an executable ELF "
                            "file (build it with hostkit.mk, and check its execute permission)\n",
                    M.sys.pds[p].image_resolved, M.sys.pds[p].name);
            sdf_free(&M.sys);
            return 1;
        } else if (elf_check(M.sys.pds[p].image_resolved, err, sizeof err) < 0) {
            fprintf(stderr, "Error: program image '%s' of protection domain '%s' is not a valid ELF file: %s\n",
                    M.sys.pds[p].image_resolved, M.sys.pds[p].name, err);
            sdf_free(&M.sys);
            return 1;
        }
    order_pds();
    for (unsigned k = 0; k < M.nirqs; k++)
        if (parse_irq(irq_specs[k], &M.irqs[k]) < 0) {
            sdf_free(&M.sys);
            return 2;
        }
    if ((gdb && debug_gdb(gdb) < 0) || (control && control_open(control) < 0)) {
        sdf_free(&M.sys);
        return 2;
    }
    build_regions();
    build_objects(smp);
    if (build_pd_extras() < 0 || devices_bind() < 0) {
        sdf_free(&M.sys);
        return 1;
    }

    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        die("pipe: %s", strerror(errno));
    M.out_rd = pipefd[0];
    M.out_wr = pipefd[1];
    fcntl(M.out_rd, F_SETFL, O_NONBLOCK);
    M.event_fd = epoll_create1(EPOLL_CLOEXEC);
    for (unsigned i = 0; i < M.npds && M.event_fd >= 0; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        if (epoll_ctl(M.event_fd, EPOLL_CTL_ADD, M.pd[i].event_fd, &ev) < 0)
            die("cannot watch the event fds: %s", strerror(errno));
    }
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGCHLD);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    M.sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
    M.timer_fd = -1;
    if (M.timeout > 0) {
        M.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        struct itimerspec its = {0};
        its.it_value.tv_sec = (time_t)M.timeout;
        its.it_value.tv_nsec = (long)((M.timeout - (double)(time_t)M.timeout) * 1e9);
        timerfd_settime(M.timer_fd, 0, &its, NULL);
    }
    if (M.event_fd < 0 || M.sig_fd < 0)
        die("cannot set up event descriptors: %s", strerror(errno));

    /* All PDs start runnable, in init; the highest-priority one of each CPU goes first. Equal
     * priorities start last-listed first, as seL4 runs them: Microkit's monitor resumes the PDs
     * in the order of the system description, and each resumed thread goes to the head of its
     * priority's queue (tcbSchedEnqueue). */
    for (unsigned i = 0; i < M.npds; i++) {
        hk_set_state(M.sched, M.cpu_of[i], (int)i, HK_ST_INIT);
        hk_make_runnable(M.sched, M.cpu_of[i], (int)i, true, hk_same_prio(M.prio, M.npds, (int)i));
    }
    clock_gettime(CLOCK_MONOTONIC, &M.start);
    for (unsigned i = 0; i < M.npds; i++)
        M.pd[i].cfg->boot_ns = (uint64_t)M.start.tv_sec * 1000000000u + (uint64_t)M.start.tv_nsec;
    devices_start();
    /* Each CPU goes to its first PD before the PDs exist, so inits overlap the later execs; a PD
     * finds the CPU already its own when it starts. With --gdb the monitor keeps them all until
     * gdb lets that PD run (monitor_debug.c). */
    for (unsigned c = 0; c < M.ncpus; c++) {
        hk_lock_monitor(M.sched, c, MONITOR_ID);
        hk_switch_unlock(M.sched, c, debug_holding_cpus() ? MONITOR_ID : hk_pick(M.sched, c, M.prio), -1, -1, 0);
    }
    for (unsigned i = 0; i < M.npds; i++)
        start_pd(i);

    M.irq_timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    fire_irqs();
    /* poll() skips entries whose fd is negative (no --timeout); the control channel's follow, then
     * the descriptors the devices read input from */
    enum { NFIXED = 5 };
    struct pollfd pfd[NFIXED + 4 + 16] = {{M.out_rd, POLLIN, 0},       {M.event_fd, POLLIN, 0}, {M.sig_fd, POLLIN, 0},
                                          {M.irq_timer_fd, POLLIN, 0}, {M.timer_fd, POLLIN, 0}};
    for (;;) {
        control_check();
        debug_check();
        check_quiescent();
        if (devices_due())
            fire_irqs();
        int nctl = control_poll_fds(pfd + NFIXED, 4);
        unsigned ndev = devices_pollfds(pfd + NFIXED + nctl, 16);
        int wait_ms = control_poll_timeout(), dbg_ms = debug_poll_timeout();
        if (dbg_ms >= 0 && (wait_ms < 0 || dbg_ms < wait_ms))
            wait_ms = dbg_ms;
        int watch_ms = watch_timeout_ms(); /* the scheduler page is looked at every half second */
        if (wait_ms < 0 || watch_ms < wait_ms)
            wait_ms = watch_ms;
        if (poll(pfd, (nfds_t)(NFIXED + nctl + ndev), wait_ms) < 0 && errno != EINTR)
            die("poll: %s", strerror(errno));
        watch_check(false); /* when due: what a PD may have written over the scheduler page */
        if (pfd[0].revents)
            pump_output(false);
        if (output_until_matched())
            finish(RUN_UNTIL, HK_EXIT_OK, NULL);
        if (pfd[1].revents & POLLIN)
            on_event();
        if (pfd[2].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(M.sig_fd, &si, sizeof si) == sizeof si) {
                if (si.ssi_signo == SIGCHLD)
                    reap();
                else {
                    pump_output(true);
                    char why[64];
                    snprintf(why, sizeof why, "stopped by %s", strsignal((int)si.ssi_signo));
                    fprintf(stderr, "hostkit: %s\n", why);
                    finish(RUN_SIGNAL, 128 + (int)si.ssi_signo, why);
                }
            }
        }
        if (pfd[3].revents & POLLIN) {
            uint64_t ticks;
            if (read(M.irq_timer_fd, &ticks, sizeof ticks) < 0 && errno != EAGAIN)
                die("irq timer: %s", strerror(errno));
            fire_irqs();
        }
        if (nctl)
            control_handle(pfd + NFIXED, nctl);
        if (ndev) {
            devices_polled(pfd + NFIXED + nctl, ndev);
            fire_irqs();
        }
        if (M.timer_fd >= 0 && (pfd[4].revents & POLLIN)) {
            pump_output(true);
            char why[64];
            snprintf(why, sizeof why, "timeout after %g s", M.timeout);
            report_busy(why);
            finish(RUN_TIMEOUT, HK_EXIT_TIMEOUT, why);
        }
        if (output_until_matched())
            finish(RUN_UNTIL, HK_EXIT_OK, NULL);
    }
}
