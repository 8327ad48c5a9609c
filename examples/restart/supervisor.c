/* supervisor: hands out jobs to its child, the worker, and decides what happens when it faults:
 * restart it (init again; its registers are rewritten, its static data kept) up to MAX_RESTARTS
 * times, then stop it. */
#include <microkit.h>
#include <microkit_dbgfmt.h>

#include "jobs.h"

#define MAX_RESTARTS 3
/* Where the worker starts: the entry point of worker.elf as the SDK's microkit.ld links it. seL4
 * starts the restarted child there; hostkit starts it at its image's entry, whatever is given. */
#define WORKER_ENTRY 0x200000
#define NJOBS 4

/* Job 3's data address is bogus: working on it faults, every time. */
static const seL4_Word job_data[NJOBS + 1] = {0, 0x1000, 0x2000, 0x10, 0x4000};
static seL4_Word next_job = 1, restarts;

void init(void)
{
    microkit_dbg_puts("supervisor: init\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch != SUPERVISOR_TO_WORKER || microkit_msginfo_get_label(msginfo) != JOB_NEXT)
        return microkit_msginfo_new(JOB_NONE, 0);
    seL4_Word done = microkit_mr_get(0);
    if (done != 0 && done == next_job) {
        microkit_dbg_puts("supervisor: job ");
        dbgfmt_put_dec(done);
        microkit_dbg_puts(" done\n");
        next_job++;
    }
    if (next_job > NJOBS) {
        microkit_dbg_puts("supervisor: no more jobs\n");
        return microkit_msginfo_new(JOB_NONE, 0);
    }
    microkit_mr_set(0, next_job);
    microkit_mr_set(1, job_data[next_job]);
    microkit_mr_set(2, 8);
    return microkit_msginfo_new(JOB_WORK, 3);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    microkit_dbg_puts("supervisor: child ");
    dbgfmt_put_dec(child);
    if (microkit_msginfo_get_label(msginfo) == seL4_Fault_VMFault) {
        microkit_dbg_puts(" faulted: VMFault at address ");
        dbgfmt_put_hex(microkit_mr_get(seL4_VMFault_Addr));
        microkit_dbg_puts(" during job ");
        dbgfmt_put_dec(next_job);
        microkit_dbg_puts("\n");
    } else {
        microkit_dbg_puts(" faulted: label ");
        dbgfmt_put_dec(microkit_msginfo_get_label(msginfo));
        microkit_dbg_puts("\n");
    }
    if (restarts < MAX_RESTARTS) {
        restarts++;
        microkit_dbg_puts("supervisor: restarting the worker (");
        dbgfmt_put_dec(restarts);
        microkit_dbg_puts(" of ");
        dbgfmt_put_dec(MAX_RESTARTS);
        microkit_dbg_puts(")\n");
        microkit_pd_restart(child, WORKER_ENTRY);
    } else {
        microkit_dbg_puts("supervisor: job ");
        dbgfmt_put_dec(next_job);
        microkit_dbg_puts(" keeps crashing the worker: stopping it\n");
        microkit_pd_stop(child);
    }
    return seL4_False; /* no reply: the worker is not resumed where it faulted */
}
