/* test_tools.c — the tools around the runtime: `hostkit graph` (the DOT it writes for the IPC
 * example and for tests/graph/big.system, and its output files), `hostkit check --report` (the
 * exact report of tests/graph/big.system, kept in tests/graph/big.report), and `make install`:
 * the tree is installed into a temporary prefix, and small out-of-tree projects are built against
 * the installed files only (once with the installed hostkit.mk, once with pkg-config alone) and
 * run with the installed hostkit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdf/report.h"
#include "sdf/sdf.h"
#include "testutil.h"

#define BIG_SYSTEM "tests/graph/big.system"
#define BIG_REPORT "tests/graph/big.report"

/* Runs `$HOSTKIT ARGS...` (NULL-terminated). */
static void run_tool(struct run_result *r, ...)
{
    const char *argv[32];
    size_t n = 0;
    va_list ap;
    argv[n++] = hostkit_path();
    va_start(ap, r);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < 31)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    run_command(r, (char *const *)argv);
}

/* Runs SCRIPT with sh -c. */
static void run_sh(struct run_result *r, const char *script)
{
    char *const argv[] = { "sh", "-c", (char *)script, NULL };
    run_command(r, argv);
}

static int count_substr(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* A fresh temporary directory; free() the result. */
static char *temp_dir(const char *what)
{
    char *dir;
    assert_true(asprintf(&dir, "/tmp/hostkit-test-%s-XXXXXX", what) > 0);
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_tree(const char *dir)
{
    struct run_result r;
    char *const argv[] = { "rm", "-rf", (char *)dir, NULL };
    run_command(&r, argv);
    run_result_free(&r);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------------ graph */

static void graph_of_ipc_example(void **state)
{
    (void)state;
    struct run_result r;
    run_tool(&r, "graph", "examples/ipc/ipc.system", NULL);
    assert_exit(&r, 0);
    assert_true(strncmp(r.out, "digraph system {\n", 17) == 0);
    assert_true(r.out_len > 2 && strcmp(r.out + r.out_len - 2, "}\n") == 0);
    assert_true(contains(r.out, "label=\"ipc.system: 2 PDs, 1 channel, 0 memory regions, 0 IRQs\""));
    /* Two PD boxes, with name, priority and cpu. */
    assert_int_equal(count_substr(r.out, "shape=box"), 2);
    assert_true(contains(r.out, "  pd0 [shape=box, style=\"rounded,filled\", fillcolor=\"#dce8f8\", "
                                "label=\"client\\nprio 100\\ncpu 0\"];"));
    assert_true(contains(r.out, "  pd1 [shape=box, style=\"rounded,filled\", fillcolor=\"#dce8f8\", "
                                "label=\"server\\nprio 200\\ncpu 0\"];"));
    /* One channel: an arrow from the pp end (client, id 13) to the server (id 37). */
    assert_int_equal(count_substr(r.out, " -> "), 1);
    assert_true(contains(r.out, "  pd0 -> pd1 [dir=forward, "));
    assert_true(contains(r.out, "taillabel=\"13\", headlabel=\"37\", label=\"ppcall\""));
    assert_true(contains(r.out, "tooltip=\"client id 13 <-> server id 37\""));
    /* No regions, no IRQs. */
    assert_false(contains(r.out, "shape=note"));
    assert_false(contains(r.out, "irq"));
    run_result_free(&r);
}

static void graph_of_big_system(void **state)
{
    (void)state;
    struct run_result r;
    run_tool(&r, "graph", BIG_SYSTEM, NULL);
    assert_exit(&r, 0);
    /* Children nested: virt's cluster holds virt, client_a and client_b's cluster, which holds
     * client_b and helper (the indentation is the nesting depth). */
    assert_lines_in_order(r.out, "  subgraph cluster_pd1 {",
                          "    pd1 [shape=box, style=\"rounded,filled\", fillcolor=\"#dce8f8\", "
                          "label=\"virt\\nprio 200\\ncpu 0\"];",
                          "    pd2 [shape=box, style=\"rounded,filled\", fillcolor=\"#dce8f8\", "
                          "label=\"client_a\\nprio 150\\ncpu 0, child id 1\"];",
                          "    subgraph cluster_pd3 {",
                          "      pd4 [shape=box, style=\"rounded,filled\", fillcolor=\"#dce8f8\", "
                          "label=\"helper\\nprio 160\\ncpu 0, child id 1\"];",
                          "    }", "  }");
    /* A passive PD says so and is drawn dashed. */
    assert_true(contains(r.out, "pd5 [shape=box, style=\"rounded,filled,dashed\", fillcolor=\"#eef3fb\", "
                                "label=\"logger\\nprio 250, passive\\ncpu 0\"];"));
    /* Channels: a notify-only one has no arrowhead; pp ones point at the callee, whichever end
     * of the <channel> the pp end is; "no notify" is said. */
    assert_int_equal(count_substr(r.out, "label=\"ppcall"), 4);
    assert_true(contains(r.out, "  pd0 -> pd1 [dir=none, color=\"#333333\", penwidth=1, taillabel=\"2\", "
                                "headlabel=\"0\", tooltip"));
    assert_true(contains(r.out, "  pd3 -> pd4 [dir=forward, "));
    assert_true(contains(r.out, "  pd2 -> pd5 [dir=forward, color=\"#aa3322\", penwidth=2, "
                                "taillabel=\"3\", headlabel=\"1\", label=\"ppcall\\nlogger: no notify\""));
    /* Regions with size (and phys addr), joined to each PD mapping them with perms @ vaddr. */
    assert_int_equal(count_substr(r.out, "shape=note"), 4);
    assert_true(contains(r.out, "label=\"uart_regs\\n4 KiB (pages 4 KiB)\\nphys 0x9000000\""));
    assert_true(contains(r.out, "label=\"rx_ring\\n2 MiB (pages 2 MiB)\""));
    assert_true(contains(r.out, "  pd0 -> mr0 [dir=none, style=dashed, color=\"#4a8a3a\", "
                                "fontcolor=\"#2f6a22\", label=\"rw @ 0x5000000, uncached\"];"));
    assert_true(contains(r.out, "  pd1 -> mr1 [dir=none, style=dashed, color=\"#4a8a3a\", "
                                "fontcolor=\"#2f6a22\", label=\"r @ 0x6000000\"];"));
    assert_true(contains(r.out, "  pd5 -> mr3 "));
    assert_int_equal(count_substr(r.out, " -> mr"), 7);
    /* IRQs point at their PD, with the PD's channel id. */
    assert_true(contains(r.out, "label=\"IRQ 33\\nlevel\""));
    assert_true(contains(r.out, "label=\"IRQ 34\\nedge\""));
    assert_true(contains(r.out, "  irq0_1 -> pd0 [color=\"#cc7a22\", fontcolor=\"#cc7a22\", headlabel=\"1\"];"));
    run_result_free(&r);
}

static void graph_output_files(void **state)
{
    (void)state;
    char *dir = temp_dir("graph");
    char dot[512], svg[512], bad[512];
    snprintf(dot, sizeof dot, "%s/ipc.dot", dir);
    snprintf(svg, sizeof svg, "%s/ipc.svg", dir);
    snprintf(bad, sizeof bad, "%s/ipc.jpeg", dir);
    struct run_result r, r2;

    /* -o FILE.dot: the same DOT as on stdout. */
    run_tool(&r, "graph", "examples/ipc/ipc.system", NULL);
    assert_exit(&r, 0);
    run_tool(&r2, "graph", "-o", dot, "examples/ipc/ipc.system", NULL);
    assert_exit(&r2, 0);
    assert_string_equal(r2.out, "");
    char *text = read_file(dot, NULL);
    assert_text_equal("ipc.dot", r.out, text);
    free(text);
    run_result_free(&r);
    run_result_free(&r2);

    /* An unknown format is refused. */
    run_tool(&r, "graph", "-o", bad, "examples/ipc/ipc.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "name it FILE.dot, FILE.svg or FILE.png"));
    run_result_free(&r);

    /* Without Graphviz, SVG says what to install. PATH holds only valgrind, for when $HOSTKIT is
     * the test suite's valgrind wrapper. */
    char script[4096];
    snprintf(script, sizeof script,
             "mkdir '%s/bin' && { v=$(command -v valgrind) && ln -s \"$v\" '%s/bin/valgrind'; "
             "PATH='%s/bin'; export PATH; exec '%s' graph -o '%s' examples/ipc/ipc.system; }",
             dir, dir, dir, hostkit_path(), svg);
    run_sh(&r, script);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "apt-get install graphviz"));
    assert_int_equal(access(svg, F_OK), -1);
    run_result_free(&r);

    remove_tree(dir);
    free(dir);
}

/* With Graphviz, -o FILE.svg renders a real SVG (main() skips this test without `dot`). */
static void graph_renders_svg_with_graphviz(void **state)
{
    (void)state;
    char *dir = temp_dir("graph-svg");
    char svg[512];
    snprintf(svg, sizeof svg, "%s/ipc.svg", dir);
    struct run_result r;
    run_tool(&r, "graph", "-o", svg, "examples/ipc/ipc.system", NULL);
    assert_exit(&r, 0);
    char *text = read_file(svg, NULL);
    assert_true(contains(text, "<svg"));
    assert_true(contains(text, ">client</text>"));
    assert_true(contains(text, ">server</text>"));
    assert_true(contains(text, ">ppcall</text>"));
    free(text);
    run_result_free(&r);
    remove_tree(dir);
    free(dir);
}

static void graph_of_invalid_system_is_an_error(void **state)
{
    (void)state;
    struct run_result r;
    run_tool(&r, "graph", "tests/systems/invalid/does-not-exist.system", NULL);
    assert_exit(&r, 1);
    assert_true(strncmp(r.err, "Error: ", 7) == 0);
    assert_string_equal(r.out, "");
    run_result_free(&r);
}

/* ------------------------------------------------------------------ report */

static void report_of_big_system(void **state)
{
    (void)state;
    char *dir = temp_dir("report");
    char path[512];
    snprintf(path, sizeof path, "%s/big.report", dir);
    struct run_result r;
    run_tool(&r, "check", "--report", path, BIG_SYSTEM, NULL);
    assert_exit(&r, 0);
    char *expected = read_file(BIG_REPORT, NULL);
    char *actual = read_file(path, NULL);
    assert_text_equal(BIG_REPORT, expected, actual);
    /* A few facts spelled out, so a change of the golden file is a decision. */
    assert_lines_in_order(actual, "## Protection domain: driver", "priority:      254",
                          "    id  2 <-> virt id 0: notifies virt, notified by virt",
                          "    vaddr 0x000005000000  size 0x00001000  rw-  uncached  uart_regs "
                          "(setvar_vaddr uart_base)",
                          "    id  0: irq 33, level-triggered", "    id  1: irq 34, edge-triggered",
                          "## Protection domain: virt", "budget:        500 us", "period:        2000 us",
                          "    id  5 <-> logger id 0: ppcalls logger, notifies logger, notified by logger",
                          "## Protection domain: logger", "passive:       yes",
                          "    id  1 <-> client_a id 3: ppcalled by client_a, does not notify client_a, "
                          "notified by client_a",
                          "## Memory region: rx_ring", "mapped by:     2");
    free(actual);
    run_result_free(&r);

    /* The library call writes the same text, and --report - writes it to stdout. */
    struct sdf_options opt;
    struct sdf_system sys;
    char err[1024];
    sdf_default_options(&opt);
    assert_int_equal(sdf_load(BIG_SYSTEM, &opt, &sys, err, sizeof err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_non_null(mem);
    assert_int_equal(sdf_write_report(&sys, mem), 0);
    fclose(mem);
    assert_text_equal("sdf_write_report", expected, buf);
    free(buf);
    sdf_free(&sys);

    run_tool(&r, "check", "--report", "-", BIG_SYSTEM, NULL);
    assert_exit(&r, 0);
    assert_true(contains(r.out, "tests/graph/big.system: valid: 6 protection domains"));
    assert_non_null(strstr(r.out, expected));
    run_result_free(&r);
    free(expected);
    remove_tree(dir);
    free(dir);
}

/* The report is the same whatever order the <channel> elements come in. */
static void report_ignores_channel_order(void **state)
{
    (void)state;
    char *dir = temp_dir("order");
    char a[512], b[512], ra[512], rb[512];
    snprintf(a, sizeof a, "%s/a.system", dir);
    snprintf(b, sizeof b, "%s/b.system", dir);
    snprintf(ra, sizeof ra, "%s/a.report", dir);
    snprintf(rb, sizeof rb, "%s/a.report2", dir);
    static const char head[] =
        "<system>\n"
        "  <protection_domain name=\"p\" priority=\"1\"><program_image path=\"p.elf\" /></protection_domain>\n"
        "  <protection_domain name=\"q\" priority=\"2\"><program_image path=\"q.elf\" /></protection_domain>\n";
    static const char ch1[] = "  <channel><end pd=\"p\" id=\"7\" /><end pd=\"q\" id=\"1\" /></channel>\n";
    static const char ch2[] = "  <channel><end pd=\"q\" id=\"0\" /><end pd=\"p\" id=\"3\" pp=\"true\" /></channel>\n";
    char text[2048];
    snprintf(text, sizeof text, "%s%s%s</system>\n", head, ch1, ch2);
    write_text(a, text);
    snprintf(text, sizeof text, "%s%s%s</system>\n", head, ch2, ch1);
    write_text(b, text);
    struct run_result r;
    run_tool(&r, "check", "--report", ra, a, NULL);
    assert_exit(&r, 0);
    run_result_free(&r);
    run_tool(&r, "check", "--report", rb, b, NULL);
    assert_exit(&r, 0);
    run_result_free(&r);
    char *ta = read_file(ra, NULL), *tb = read_file(rb, NULL);
    /* Only the first line names the file, and both files are called a.system/b.system. */
    char *ba = strchr(ta, '\n'), *bb = strchr(tb, '\n');
    assert_non_null(ba);
    assert_non_null(bb);
    assert_text_equal("report of reordered channels", ba, bb);
    assert_lines_in_order(ta, "## Protection domain: p", "    id  3 <-> q id 0: ppcalls q, notifies q, notified by q",
                          "    id  7 <-> q id 1: notifies q, notified by q");
    free(ta);
    free(tb);
    remove_tree(dir);
    free(dir);
}

/* ------------------------------------------------------------------ make install */

/* The temporary prefix the group setup installed into. */
static char *prefix;
static char *install_root;

/* What an out-of-tree build must not inherit from the `make test` that runs us. */
#define CLEAN_ENV "unset MAKEFLAGS MFLAGS MAKELEVEL TOP BUILD HOSTKIT PKG_CONFIG_PATH; "

/* Installs the tree into a temporary prefix, once, for the tests that need it (the group
 * teardown removes it). */
static void ensure_installed(void)
{
    if (prefix)
        return;
    char top[4096];
    assert_non_null(getcwd(top, sizeof top));
    install_root = temp_dir("install");
    assert_true(asprintf(&prefix, "%s/prefix", install_root) > 0);
    char *script;
    assert_true(asprintf(&script, CLEAN_ENV "make --no-print-directory -C '%s' install PREFIX='%s'", top,
                         prefix) > 0);
    struct run_result r;
    run_sh(&r, script);
    free(script);
    assert_exit(&r, 0);
    run_result_free(&r);
}

static int install_teardown(void **state)
{
    (void)state;
    if (install_root)
        remove_tree(install_root);
    free(install_root);
    free(prefix);
    return 0;
}

static void installed_files(void **state)
{
    (void)state;
    ensure_installed();
    static const char *const files[] = {
        "bin/hostkit", "lib/libhostkit.a", "include/microkit.h", "include/microkit_msgbytes.h",
        "lib/pkgconfig/hostkit.pc", "share/man/man1/hostkit.1", "share/hostkit/hostkit.mk",
        "include/sel4/config.h", "include/kernel/gen_config.h", "share/hostkit/sdk/bin/microkit",
        "share/hostkit/sdk/board/qemu_virt_aarch64/debug/lib/libmicrokit.a",
        "share/hostkit/sdk/board/hostkit/release/include/kernel/gen_config.h", "lib/libhostkit_test.a",
        "include/hostkit_test.h", "share/hostkit/python/hostkit_pytest.py",
    };
    char path[4096];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", prefix, files[i]);
        if (access(path, R_OK) != 0)
            fail_msg("not installed: %s", path);
    }
    snprintf(path, sizeof path, "%s/bin/hostkit", prefix);
    assert_int_equal(access(path, X_OK), 0);
    /* The installed SDK tree's hostkit is the installed one (mk/sdk.mk). */
    char sdk_hostkit[4096], *a, *b;
    snprintf(sdk_hostkit, sizeof sdk_hostkit, "%s/share/hostkit/sdk/bin/hostkit", prefix);
    a = realpath(path, NULL);
    b = realpath(sdk_hostkit, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);

    /* The man page names every subcommand and option. */
    snprintf(path, sizeof path, "%s/share/man/man1/hostkit.1", prefix);
    char *man = read_file(path, NULL);
    static const char *const words[] = {
        ".SS hostkit run", ".SS hostkit check", ".SS hostkit graph", "hostkit \\-\\-version",
        "\\-\\-search\\-path", "\\-\\-timeout", "\\-\\-until", "\\-\\-arch", "\\-\\-cores",
        "\\-\\-no\\-iommu", "\\-\\-no\\-hypervisor", "\\-\\-domains", "\\-\\-report", "\\-\\-output",
        ".SH EXAMPLES",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strstr(man, words[i]))
            fail_msg("the man page does not mention %s", words[i]);
    /* ... and every long option the subcommands' --help lists (in roff, '-' is written '\-'). */
    static const char *const subcommands[] = { "run", "check", "graph" };
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        struct run_result h;
        run_tool(&h, subcommands[i], "--help", NULL);
        assert_exit(&h, 0);
        for (const char *p = strstr(h.out, "--"); p; p = strstr(p + 2, "--")) {
            char opt[64], roff[160];
            size_t n = 2;
            while (n < sizeof opt - 1 && (p[n] == '-' || (p[n] >= 'a' && p[n] <= 'z')))
                n++;
            snprintf(opt, sizeof opt, "%.*s", (int)n, p);
            size_t k = 0;
            for (const char *c = opt; *c && k < sizeof roff - 3; c++) {
                if (*c == '-')
                    roff[k++] = '\\';
                roff[k++] = *c;
            }
            roff[k] = '\0';
            if (n > 2 && !strstr(man, roff))
                fail_msg("the man page does not document `hostkit %s %s`", subcommands[i], opt);
        }
        run_result_free(&h);
    }
    free(man);

    /* pkg-config knows the version hostkit --version prints, and where things are. */
    char *script;
    assert_true(asprintf(&script, CLEAN_ENV "PKG_CONFIG_PATH='%s/lib/pkgconfig'; export PKG_CONFIG_PATH; "
                                  "echo \"hostkit $(pkg-config --modversion hostkit)\"; "
                                  "pkg-config --variable=hostkit hostkit; '%s/bin/hostkit' --version",
                         prefix, prefix) > 0);
    struct run_result r;
    run_sh(&r, script);
    free(script);
    assert_exit(&r, 0);
    char *nl = strchr(r.out, '\n');
    assert_non_null(nl);
    char *version_line = strndup(r.out, (size_t)(nl - r.out) + 1);
    assert_non_null(strstr(nl + 1, version_line)); /* the same line from hostkit --version */
    free(version_line);
    snprintf(path, sizeof path, "%s/bin/hostkit", prefix);
    assert_true(has_line(r.out, path));
    run_result_free(&r);
}

/* The project both out-of-tree builds use: two PDs, one notifies the other, one ppcalls it. */
static const char project_system[] =
    "<system>\n"
    "  <protection_domain name=\"hello\" priority=\"10\">\n"
    "    <program_image path=\"hello.elf\" />\n"
    "  </protection_domain>\n"
    "  <protection_domain name=\"echo\" priority=\"20\">\n"
    "    <program_image path=\"echo.elf\" />\n"
    "  </protection_domain>\n"
    "  <channel>\n"
    "    <end pd=\"hello\" id=\"1\" pp=\"true\" />\n"
    "    <end pd=\"echo\" id=\"2\" />\n"
    "  </channel>\n"
    "</system>\n";
static const char project_hello[] =
    "#include <microkit.h>\n"
    "void init(void)\n"
    "{\n"
    "    microkit_dbg_puts(\"hello: init\\n\");\n"
    "    microkit_mr_set(0, 20);\n"
    "    microkit_msginfo reply = microkit_ppcall(1, microkit_msginfo_new(0, 1));\n"
    "    microkit_dbg_puts(microkit_msginfo_get_label(reply) == 0 && microkit_mr_get(0) == 21\n"
    "                      ? \"hello: echo answered 21\\n\" : \"hello: wrong answer\\n\");\n"
    "    microkit_notify(1);\n"
    "}\n"
    "void notified(microkit_channel ch) { (void)ch; }\n";
static const char project_echo[] =
    "#include <microkit.h>\n"
    "void init(void) { microkit_dbg_puts(\"echo: init\\n\"); }\n"
    "void notified(microkit_channel ch)\n"
    "{\n"
    "    microkit_dbg_puts(ch == 2 ? \"echo: notified on 2\\n\" : \"echo: notified on ?\\n\");\n"
    "}\n"
    "microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)\n"
    "{\n"
    "    (void)ch;\n"
    "    (void)msginfo;\n"
    "    microkit_mr_set(0, microkit_mr_get(0) + 1);\n"
    "    return microkit_msginfo_new(0, 1);\n"
    "}\n";

static void assert_project_ran(const struct run_result *r)
{
    assert_exit(r, 0);
    assert_lines_in_order(r->out, "echo: init", "hello: init", "hello: echo answered 21",
                          "echo: notified on 2");
}

/* Writes the project into a new directory under the install root; returns it (free it). */
static char *make_project(const char *name, const char *makefile)
{
    char *dir, path[4096];
    assert_true(asprintf(&dir, "%s/%s", install_root, name) > 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/hello.system", dir);
    write_text(path, project_system);
    snprintf(path, sizeof path, "%s/hello.c", dir);
    write_text(path, project_hello);
    snprintf(path, sizeof path, "%s/echo.c", dir);
    write_text(path, project_echo);
    if (makefile) {
        snprintf(path, sizeof path, "%s/Makefile", dir);
        write_text(path, makefile);
    }
    return dir;
}

/* A user's Makefile: include the installed hostkit.mk, one rule per image, run with $(HOSTKIT). */
static void out_of_tree_project_with_hostkit_mk(void **state)
{
    (void)state;
    ensure_installed();
    char *makefile;
    assert_true(asprintf(&makefile,
                         "include %s/share/hostkit/hostkit.mk\n"
                         "all: hello.elf echo.elf\n"
                         "%%.elf: %%.c\n"
                         "\t$(HOSTKIT_LINK)\n"
                         "run: all\n"
                         "\t$(HOSTKIT) run hello.system\n",
                         prefix) > 0);
    char *dir = make_project("with-mk", makefile);
    free(makefile);
    char *script;
    assert_true(asprintf(&script, CLEAN_ENV "cd '%s' && make --no-print-directory run", dir) > 0);
    struct run_result r;
    run_sh(&r, script);
    free(script);
    assert_project_ran(&r);
    /* Built against the installed files, run by the installed hostkit. */
    char line[4096];
    snprintf(line, sizeof line, "%s/bin/hostkit run hello.system", prefix);
    assert_true(has_line(r.out, line));
    snprintf(line, sizeof line, "-I%s/include", prefix);
    assert_true(contains(r.out, line));
    snprintf(line, sizeof line, "%s/lib/libhostkit.a", prefix);
    assert_true(contains(r.out, line));
    assert_false(contains(r.out, "/build/libhostkit.a"));
    run_result_free(&r);
    free(dir);
}

/* No Makefile at all: the compiler flags and the hostkit program from pkg-config alone. */
static void out_of_tree_project_with_pkg_config(void **state)
{
    (void)state;
    ensure_installed();
    char *dir = make_project("with-pkg-config", NULL);
    char *script;
    assert_true(asprintf(&script,
                         CLEAN_ENV "PKG_CONFIG_PATH='%s/lib/pkgconfig'; export PKG_CONFIG_PATH; cd '%s' && "
                                   "for pd in hello echo; do "
                                   "cc $(pkg-config --cflags hostkit) -o $pd.elf $pd.c "
                                   "$(pkg-config --libs hostkit) $LDFLAGS_BASE || exit 1; done && "
                                   "$(pkg-config --variable=hostkit hostkit) run hello.system",
                         prefix, dir) > 0);
    struct run_result r;
    run_sh(&r, script);
    free(script);
    assert_project_ran(&r);
    run_result_free(&r);
    free(dir);
}

int main(void)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(graph_of_ipc_example),
        cmocka_unit_test(graph_of_big_system),
        cmocka_unit_test(graph_output_files),
        cmocka_unit_test(graph_renders_svg_with_graphviz),
        cmocka_unit_test(graph_of_invalid_system_is_an_error),
        cmocka_unit_test(report_of_big_system),
        cmocka_unit_test(report_ignores_channel_order),
        cmocka_unit_test(installed_files),
        cmocka_unit_test(out_of_tree_project_with_hostkit_mk),
        cmocka_unit_test(out_of_tree_project_with_pkg_config),
    };
    skip_test_if(&tests[3], have_command("dot") ? NULL : "graphviz not installed: no `dot` to render SVG (scripts/deps.sh)");
    return cmocka_run_group_tests_name("tools", tests, NULL, install_teardown);
}
