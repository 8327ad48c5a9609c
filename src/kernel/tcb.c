/* tcb.c — the TCB methods a Microkit PD can invoke (seL4 manual, "Threads": Suspend, Resume,
 * WriteRegisters, ReadRegisters), on its children (BASE_TCB_CAP + id) and on the TCBs its
 * <cspace> element gives it, and messages to the Microkit monitor's endpoint (a passive PD's
 * "I am passive now", libmicrokit's deferred send after init).
 *
 * The monitor carries them out: it owns every PD's process and schedule, and checks each request
 * against its own copy of the system (a PD's control page could say anything). The caller waits
 * for the monitor's answer (the kernel's work, not its own time), then lets a PD the request made
 * runnable preempt it, as seL4 would at the end of the system call.
 *
 * Restart: seL4_TCB_WriteRegisters with the entry point and resume_target is how libmicrokit
 * restarts a child: seL4 rewrites its registers only, so its memory — static data included —
 * stays as it was. hostkit restarts the same process: when the child next gets its CPU (it always
 * waits for it inside the kernel), it jumps to the entry point with its stack reset and its memory
 * kept. An address inside the image's code is honoured: that function runs (as on seL4, it must
 * not return: there is nothing to return to; returning is a fault at address 0). Any other
 * address, the image's ELF entry among them, means the image's start, libmicrokit's start: a host
 * process cannot start at its C runtime's entry again (docs/semantics.md). */
#include <linux/futex.h>
#include <setjmp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/cpu.h"
#include "kernel/cspace.h"

/* ---- requests to the monitor ---- */
static seL4_Error request_result;

void hk_request_only(uint32_t op, uint32_t target, uint64_t arg)
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
    request_result = (seL4_Error)hk_ctl->req_result;
}

void hk_request(uint32_t op, uint32_t target, uint64_t arg)
{
    hk_request_only(op, target, arg);
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
}

/* ---- TCB methods ---- */
/* The TCB capability CPTR, as the monitor is to find it; -1 (and the Call's error) otherwise: an
 * empty slot or an address outside the CSpace as decode.c says; on a notification the Call
 * signals it, whatever the label; on another object, seL4_IllegalOperation. */
static int64_t tcb_target(seL4_CPtr cptr, seL4_Error *err)
{
    unsigned id;
    enum hk_cap kind = hk_cap_lookup(cptr, &id);
    if (kind == HK_CAP_TCB)
        return id;
    if (kind == HK_CAP_NULL || kind == HK_CAP_INVALID) {
        *err = hk_no_cap(cptr, kind, true);
    } else if (kind == HK_CAP_NOTIFICATION) {
        hk_signal_channel(id, false);
        *err = seL4_NoError;
    } else {
        *err = hk_illegal_operation(kind);
    }
    return -1;
}

static seL4_Error tcb_method(seL4_TCB service, uint32_t op, uint64_t arg)
{
    seL4_Error err;
    int64_t target = tcb_target(service, &err);
    if (target < 0)
        return err;
    hk_request(op, (uint32_t)target, arg);
    return request_result;
}

seL4_Error seL4_TCB_Suspend(seL4_TCB service) { return tcb_method(service, HK_REQ_SUSPEND, 0); }
seL4_Error seL4_TCB_Resume(seL4_TCB service) { return tcb_method(service, HK_REQ_RESUME, 0); }

seL4_Error seL4_TCB_WriteRegisters(seL4_TCB service, seL4_Bool resume_target, seL4_Uint8 arch_flags,
                                   seL4_Word count, seL4_UserContext *regs)
{
    (void)arch_flags;
    if (count == 0 || !regs) /* no register written: only the resume */
        return resume_target ? seL4_TCB_Resume(service) : seL4_NoError;
#if defined(__aarch64__)
    uint64_t entry = regs->pc;
#else
    uint64_t entry = regs->rip;
#endif
    return tcb_method(service, resume_target ? HK_REQ_RESTART : HK_REQ_RESTART_SUSPENDED, entry);
}

/* The registers a host can give: a faulted thread's instruction and stack pointers (from its
 * fault), nothing else. */
seL4_Error seL4_TCB_ReadRegisters(seL4_TCB service, seL4_Bool suspend_source, seL4_Uint8 arch_flags,
                                  seL4_Word count, seL4_UserContext *regs)
{
    (void)arch_flags;
    if (count > sizeof *regs / sizeof(seL4_Word))
        return seL4_RangeError;
    seL4_Error err = tcb_method(service, suspend_source ? HK_REQ_READ_REGS_SUSPEND : HK_REQ_READ_REGS, 0);
    if (err != seL4_NoError || !regs)
        return err;
    seL4_Word words[sizeof *regs / sizeof(seL4_Word)] = {0};
    words[0] = hk_ctl->req_regs[0]; /* pc / rip */
    words[1] = hk_ctl->req_regs[1]; /* sp / rsp */
    for (seL4_Word i = 0; i < count; i++)
        ((seL4_Word *)regs)[i] = words[i];
    return seL4_NoError;
}

void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    (void)tcb;
    (void)name; /* the monitor names every PD already */
}

/* ---- restarting this thread ---- */
static sigjmp_buf entry_point;
static uint32_t restarts_seen;

bool hk_restart_pending(void) { return atomic_load_explicit(&hk_ctl->restart_seq, memory_order_acquire) != restarts_seen; }

void hk_restart_now(void)
{
    restarts_seen = atomic_load(&hk_ctl->restart_seq);
    siglongjmp(entry_point, 1);
}

/* The thread starts here (libmicrokit's main, after hk_boot), and starts here again at each
 * restart. */
static void (*thread_entry)(void);

void hk_thread_start(void (*entry)(void))
{
    thread_entry = entry;
    restarts_seen = atomic_load(&hk_ctl->restart_seq);
    if (sigsetjmp(entry_point, 1)) {
        /* restarted: nothing received or owed any more, no handler running */
        hk_ipc_reset();
        hk_budget_running = false;
        uint64_t entry = hk_ctl->restart_entry;
        if (hk_in_image_code(entry)) {
            ((void (*)(void))(uintptr_t)entry)();
            static volatile uintptr_t nowhere = 0;
            *(volatile uint64_t *)nowhere = 0; /* it returned: a fault at address 0 */
        }
    }
    thread_entry();
    _exit(0); /* libmicrokit's start does not return */
}
