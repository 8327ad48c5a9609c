/* test_devices.c — the device models (src/devices/) through their interface, with a fake host
 * that records interrupts and output and sets the clock; and `hostkit run`'s board and --device
 * options. Register behaviour is the devices' documented one (docs/devices.md; the 16550's and
 * the HPET's data sheets), never what hostkit happened to print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/device.h"
#include "testutil.h"

/* ---- a fake host ---- */
struct fake {
    uint64_t now;
    unsigned irqs[DEVICE_MAX_IRQS]; /* raised, per line */
    char out[4096];
    size_t out_len;
};
static struct fake F;
static uint64_t fake_now(void *ctx) { return ((struct fake *)ctx)->now; }
static void fake_irq(void *ctx, struct device *d, unsigned line)
{
    (void)d;
    ((struct fake *)ctx)->irqs[line]++;
}
static void fake_output(void *ctx, struct device *d, const char *b, size_t n)
{
    (void)d;
    struct fake *f = ctx;
    memcpy(f->out + f->out_len, b, n);
    f->out_len += n;
}
static const struct device_host fake_host = {&F, fake_now, fake_irq, fake_output};

static _Alignas(4096) uint8_t page[4096];

/* A device of the board BOARD named NAME, created as the monitor creates it, its memory the page
 * above (when it has memory). */
static struct device make_device(const char *board_name, const char *name)
{
    memset(&F, 0, sizeof F);
    memset(page, 0, sizeof page);
    const struct board *b = board_find(board_name);
    assert_non_null(b);
    const struct board_device *bd = b->devices;
    while (bd->name && strcmp(bd->name, name))
        bd++;
    assert_non_null(bd->name);
    struct device d = {0};
    snprintf(d.name, sizeof d.name, "%s", bd->name);
    d.model = bd->model;
    d.host = &fake_host;
    d.port_base = bd->port_base;
    d.port_count = bd->port_count;
    d.mmio_base = bd->mmio_base;
    d.mmio_size = bd->mmio_size;
    if (bd->irq.kind)
        d.irq[d.nirqs++] = bd->irq;
    char err[256];
    assert_int_equal(d.model->create(&d, err, sizeof err), 0);
    if (d.mmio_size)
        d.mmio = page;
    if (d.model->start)
        d.model->start(&d);
    return d;
}

static uint64_t reg64(unsigned off) { return *(volatile uint64_t *)(page + off); }
static void set_reg64(unsigned off, uint64_t v) { *(volatile uint64_t *)(page + off) = v; }

/* ---- the virtual timer ---- */
static void vtimer_fires_once_at_its_deadline(void **state)
{
    (void)state;
    struct device d = make_device("hostkit", "vtimer");
    assert_int_equal(d.mmio_base, 0x0ffe0000);
    assert_int_equal(d.irq[0].number, 120);
    F.now = 1000;
    d.model->sync(&d);
    assert_int_equal(reg64(0x00), 1000); /* NOW as of the kernel entry */
    assert_false(d.model->busy(&d));
    set_reg64(0x08, 5000); /* DEADLINE */
    F.now = 2000;
    assert_int_equal(d.model->next_event(&d), UINT64_MAX); /* not seen before the kernel entry */
    d.model->sync(&d);
    assert_true(d.model->busy(&d));
    assert_int_equal(d.model->next_event(&d), 5000);
    d.model->tick(&d, 4999);
    assert_int_equal(F.irqs[0], 0);
    d.model->tick(&d, 5000);
    assert_int_equal(F.irqs[0], 1);
    assert_int_equal(reg64(0x10) & 1, 1); /* STATUS: fired */
    assert_false(d.model->busy(&d));
    d.model->tick(&d, 9000);
    assert_int_equal(F.irqs[0], 1); /* one-shot */
    /* the same DEADLINE again does not re-arm; a new one does; 0 disarms */
    d.model->sync(&d);
    assert_false(d.model->busy(&d));
    set_reg64(0x08, 20000);
    d.model->sync(&d);
    assert_int_equal(d.model->next_event(&d), 20000);
    set_reg64(0x08, 0);
    d.model->sync(&d);
    assert_false(d.model->busy(&d));
    d.model->destroy(&d);
}

/* ---- boards and options of hostkit run ---- */
static void every_sdk_board_is_a_board_of_hostkit_run(void **state)
{
    (void)state;
    char *text = read_file("mk/sdk/boards.txt", NULL);
    int n = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[64], arch[32];
        if (line[0] == '#' || sscanf(line, "%63s %31s", name, arch) != 2)
            continue;
        const struct board *b = board_find(name);
        if (!b)
            fail_msg("board '%s' of mk/sdk/boards.txt is not a board of hostkit run", name);
        assert_string_equal(b->arch, arch);
        n++;
    }
    assert_true(n >= 10);
    free(text);
}

static void unknown_board_and_device_are_usage_errors(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "--board", "pdp11", "examples/timer/timer.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "--board 'pdp11': no such board; the boards are: hostkit"));
    assert_true(contains(r.err, "x86_64_generic"));
    run_result_free(&r);
    run_hostkit(&r, "--device", "com9,input=x", "examples/timer/timer.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "board 'hostkit' has no device 'com9'; it has: vtimer"));
    run_result_free(&r);
    run_hostkit(&r, "--device", "vtimer,speed=2", "examples/timer/timer.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "'speed=2' is not an option of vtimer (vtimer)"));
    run_result_free(&r);
    run_hostkit(&r, "--board", "qemu_virt_aarch64", "--arch", "x86_64", "examples/timer/timer.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "--arch does not match board 'qemu_virt_aarch64' (aarch64)"));
    run_result_free(&r);
}

/* The example's timer is the board's device: on an AArch64 board it is there as on hostkit's own;
 * with it removed the region is plain memory, nothing fires and the system goes quiet waiting. */
static void vtimer_is_a_board_device(void **state)
{
    (void)state;
    struct run_result r;
    char *expected = read_file("examples/timer/expected.txt", NULL);
    run_hostkit(&r, "--board", "qemu_virt_aarch64", "examples/timer/timer.system", NULL);
    assert_exit(&r, 0);
    assert_text_equal("timer on qemu_virt_aarch64", expected, r.out);
    run_result_free(&r);
    run_hostkit(&r, "--timeout", "5", "--device", "vtimer,off", "examples/timer/timer.system", NULL);
    assert_exit(&r, 0);
    assert_text_equal("timer without its device", "timer: ready\nclient: asked for 30, 10 and 20 ms\n", r.out);
    run_result_free(&r);
    free(expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vtimer_fires_once_at_its_deadline),
        cmocka_unit_test(every_sdk_board_is_a_board_of_hostkit_run),
        cmocka_unit_test(unknown_board_and_device_are_usage_errors),
        cmocka_unit_test(vtimer_is_a_board_device),
    };
    return cmocka_run_group_tests_name("devices", tests, NULL, NULL);
}
