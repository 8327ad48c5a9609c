/* worker: asks its supervisor for jobs and works on them. It trusts the data address it is given;
 * a bad one crashes it, and the supervisor decides what happens next. */
#include <microkit.h>
#include <microkit_dbgfmt.h>

#include "jobs.h"

/* A restart rewrites the worker's registers only (seL4_TCB_WriteRegisters): its static data is as
 * it left it, so init counts the starts, and the jobs done survive. */
static seL4_Word jobs_done;
static seL4_Word starts = 100;

/* The "work" stands in for real processing: it reads the job's data only when the address looks
 * bogus (in the first page), which is what a buggy worker would do, and faults. */
static void work(seL4_Word job, seL4_Word data)
{
    microkit_dbg_puts("worker: working on job ");
    dbgfmt_put_dec(job);
    microkit_dbg_puts("\n");
    if (data < 0x1000) {
        volatile seL4_Word *p = (volatile seL4_Word *)data;
        (void)*p; /* faults */
    }
    jobs_done++;
}

void init(void)
{
    starts++;
    microkit_dbg_puts("worker: init (start ");
    dbgfmt_put_dec(starts);
    microkit_dbg_puts(", jobs done ");
    dbgfmt_put_dec(jobs_done);
    microkit_dbg_puts(")\n");
    seL4_Word last = 0;
    for (;;) {
        microkit_mr_set(0, last);
        microkit_msginfo job = microkit_ppcall(WORKER_TO_SUPERVISOR, microkit_msginfo_new(JOB_NEXT, 1));
        if (microkit_msginfo_get_label(job) != JOB_WORK)
            break;
        last = microkit_mr_get(0);
        work(last, microkit_mr_get(1));
    }
    microkit_dbg_puts("worker: finished after ");
    dbgfmt_put_dec(jobs_done);
    microkit_dbg_puts(" jobs\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
