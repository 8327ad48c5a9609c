/* thread_state.c — this thread's kernel state (kernel.h, "this thread and its objects"): the
 * objects the monitor handed it, mapped by boot.c (its configuration, control page, the scheduler
 * page, its channels' pages), who and where it is, and how it was asked to run (--trace, --log,
 * devices to sync with). The bottom of the kernel layer: every other file of it reads these, and
 * this file calls none of them. */
#include "kernel/kernel.h"

const struct hk_cfg *hk_cfg;
struct hk_ctl *hk_ctl;
struct hk_sched *hk_sched;
struct hk_call *hk_call[HK_NCH];
struct hk_signal *hk_signal_out[HK_NCH];
const struct hk_signal *hk_signal_in[HK_NCH];
int hk_self;
uint32_t hk_cpu;
uint64_t hk_same_prio_of[HK_MAX_PDS];
struct hk_trace *hk_trace;
bool hk_log_ipc;
char hk_name[64];
bool hk_devices_sync;
bool hk_budget_running;
uint64_t hk_budget_waited_ticks; /* during the current handler: time spent without the CPU */
