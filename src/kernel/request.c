/* request.c — what a PD's kernel asks of the monitor, which owns every PD's process and schedule:
 * a TCB method on a child (tcb.c), a fault's end (ipc.c), the monitor endpoint's messages, a
 * trapped device access (mmio.c) or I/O port (irq.c), and a device sync at kernel entry (cpu.h).
 * The request goes on the control page, the monitor is woken through our event fd, and we wait
 * for its answer on the page's futex: the kernel's work, not the handler's time. The monitor checks
 * each request against its own copy of the system (a PD's control page could say anything). */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/cpu.h"
#include "kernel/host.h"

seL4_Error hk_request_only(uint32_t op, uint32_t target, uint64_t arg)
{
    hk_out_flush();
    hk_ctl->req_op = op;
    hk_ctl->req_target = target;
    hk_ctl->req_arg = arg;
    uint32_t seq = atomic_fetch_add(&hk_ctl->req_seq, 1) + 1;
    uint64_t one = 1;
    if (hk_sys_write(HK_FD_EVENT, &one, sizeof one) < 0)
        _exit(122); /* the monitor is gone */
    uint32_t ack;
    uint64_t wait_begin = hk_ticks();
    while ((ack = atomic_load(&hk_ctl->ack_seq)) != seq)
        syscall(SYS_futex, &hk_ctl->ack_seq, FUTEX_WAIT, ack, NULL, NULL, 0);
    hk_budget_waited(hk_ticks() - wait_begin); /* the monitor's work, not ours */
    return (seL4_Error)hk_ctl->req_result;
}

seL4_Error hk_request(uint32_t op, uint32_t target, uint64_t arg)
{
    seL4_Error result = hk_request_only(op, target, arg);
    /* The request may have made a PD of higher priority runnable (a restarted or resumed child),
     * or stopped us (a TCB suspending itself). */
    hk_lock_cpu(hk_cpu);
    int next = hk_pick(hk_sched, hk_cpu, hk_cfg->prio);
    if (!(atomic_load(&hk_sched->cpu[hk_cpu].runnable) & (1ull << hk_self)))
        hk_reschedule_unlock();
    else if (next >= 0 && next != hk_self && hk_cfg->prio[next] > hk_cfg->prio[hk_self])
        hk_preempted_unlock(0);
    else
        hk_unlock(hk_sched, hk_cpu);
    return result;
}

/* The monitor's devices see this kernel entry (cpu.h). Not again from inside the request itself. */
void hk_device_sync_slow(void)
{
    static bool syncing;
    if (syncing)
        return;
    syncing = true;
    hk_request_only(HK_REQ_DEVICE_SYNC, 0, 0);
    syncing = false;
}
