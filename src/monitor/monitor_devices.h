/* monitor_devices.h — the monitor's side of the device models (monitor_devices.c): the board of a
 * run, its devices configured from the command line, bound to what the system description names,
 * and called when a PD reaches them, when time passes and when input arrives. */
#ifndef HOSTKIT_MONITOR_DEVICES_H
#define HOSTKIT_MONITOR_DEVICES_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sdf/sdf.h"

/* The run's board's RAM as seL4 sees it, [*BASE, *END); false if hostkit lacks its memory map
 * (after devices_configure, as the rest below). */
bool devices_board_ram(uint64_t *base, uint64_t *end);
/* --board NAME. Returns -1 after saying on stderr which boards there are. */
int devices_set_board(const char *name);
/* --device NAME,KEY=VALUE,... (kept until devices_configure). */
int devices_add_option(const char *spec);
/* After the options: the board's architecture into *ARCH unless ARCH_GIVEN (then they must agree),
 * the board's devices created and the --device options applied. Returns -1 after a message. */
int devices_configure(enum sdf_arch *arch, bool arch_given);
/* The --help lines for --board and --device. */
void devices_usage(FILE *f);
/* Once the system's objects exist (regions, control pages): each device's memory, I/O ports and
 * IRQs bound to the regions, <ioport>s and <irq>s that name them. Returns -1 after a message. */
int devices_bind(void);
/* The clock starts: every device gets its reset state. */
void devices_start(void);
/* I/O port PORT, BYTES wide, of PD i (the port already checked against its <ioport>). */
void devices_ioport(unsigned i, uint64_t port, unsigned bytes, bool out, uint64_t *value);
/* PD i, which maps device memory, entered the kernel. */
void devices_sync(unsigned i);
/* A trapped access of PD i to its map MAP (kobj.h HK_REQ_MMIO: ARG, *VALUE in and out). Returns the
 * request's seL4_Error. */
int32_t devices_mmio(unsigned i, uint32_t map, uint64_t arg, uint64_t *value);
/* An SMC (x0..x7, answered in place) to the board's firmware model: seL4_NoError, or HK_NO_MODEL
 * when the board has none. *POWER_OFF: the call powered the board off. */
int32_t devices_smc(uint64_t x[8], bool *power_off);
/* Devices act on the time NOW (ns since start); returns when one next wants to, UINT64_MAX never. */
uint64_t devices_tick(uint64_t now);
/* A device will act later by itself (the run is not quiescent). */
bool devices_busy(void);
/* The descriptors devices read input from, into P (at most MAX); returns how many. */
unsigned devices_pollfds(struct pollfd *p, unsigned max);
/* ... and, after poll(), the devices whose input is ready act on it. */
void devices_polled(const struct pollfd *p, unsigned n);
/* Bytes of the run's output as they are printed. */
void devices_output_seen(const char *bytes, size_t n);
/* Output was seen since the last call that a device may act on (then call devices_tick). */
bool devices_due(void);
/* The run ends: devices say what they still waited for. */
void devices_finish(void);

#endif
