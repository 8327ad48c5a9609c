/* The job protocol: the worker's ppcall (label JOB_NEXT, MR0 = the job it just finished, 0 for
 * none) is answered with label JOB_WORK (MR0 job number, MR1 address of its data, MR2 length) or
 * JOB_NONE when there is nothing left. */
#ifndef RESTART_JOBS_H
#define RESTART_JOBS_H

#define JOB_NEXT 1
#define JOB_WORK 2
#define JOB_NONE 3

#define WORKER_CHILD_ID 0      /* the worker's id as the supervisor's child */
#define WORKER_TO_SUPERVISOR 0 /* the worker's end of their channel */
#define SUPERVISOR_TO_WORKER 1 /* the supervisor's end */

#endif
