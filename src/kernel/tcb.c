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
#include "kernel/cpu.h"
#include "kernel/cspace.h"

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
    return hk_request(op, (uint32_t)target, arg);
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
