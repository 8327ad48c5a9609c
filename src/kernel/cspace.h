/* cspace.h — a thread's capabilities: the CSpace the Microkit tool lays out for every PD
 * (Microkit manual, "Capabilities"; libmicrokit's BASE_*_CAP, which microkit.h repeats and
 * libmicrokit/main.c checks against these), decoded against the PD's configuration:
 *   1 its input endpoint (or notification), 3 its VSpace, 4 its reply object, 5 the monitor's endpoint,
 *   6 its own TCB, 7 the SMC capability;
 *   10 + ch   the notification of channel ch's peer (channels it may notify)
 *   74 + ch   the endpoint of channel ch's peer (ends with pp="true")
 *   138 + ch  the handler of the IRQ on channel ch
 *   202 + id  the TCB of child id
 *   394 + id  I/O port id (x86)
 *   slot << 58  the slots of the PD's <cspace> element (cap_tcb, cap_sc of any PD)
 * Any other slot of the PD's CNode (512 slots, as the Microkit tool makes it) holds a null
 * capability: invoking it is seL4_InvalidCapability (a Send's error is dropped). An address
 * beyond the CNode is no slot at all: a blocking call on it is a capability fault. */
#ifndef HOSTKIT_KERNEL_CSPACE_H
#define HOSTKIT_KERNEL_CSPACE_H

#include "kernel/kernel.h"

enum {
    HK_CPTR_INPUT = 1,
    HK_CPTR_VSPACE = 3,
    HK_CPTR_REPLY = 4,
    HK_CPTR_MONITOR = 5,
    HK_CPTR_SELF_TCB = 6,
    HK_CPTR_SMC = 7,
    HK_CPTR_NOTIFICATION = 10,
    HK_CPTR_ENDPOINT = 74,
    HK_CPTR_IRQ = 138,
    HK_CPTR_TCB = 202,
    HK_CPTR_VM_TCB = 266,
    HK_CPTR_VCPU = 330,
    HK_CPTR_IOPORT = 394,
    HK_CPTR_USER = 458,
    HK_CSPACE_SLOT_SHIFT = 58, /* seL4_WordBits - PD_ROOT_CAP_BITS */
    HK_CNODE_SLOTS = 512,      /* the PD's CNode (the Microkit tool's PD_CAP_SIZE) */
};

enum hk_cap {
    HK_CAP_NULL = 0,     /* an empty slot of the CNode */
    HK_CAP_INVALID,      /* an address outside the CSpace */
    HK_CAP_INPUT,        /* the thread's own endpoint / notification */
    HK_CAP_VSPACE,       /* its address space */
    HK_CAP_REPLY,        /* its reply object */
    HK_CAP_MONITOR,      /* the monitor's endpoint */
    HK_CAP_NOTIFICATION, /* id: our channel id */
    HK_CAP_ENDPOINT,     /* id: our channel id */
    HK_CAP_IRQ,          /* id: our channel id */
    HK_CAP_TCB,          /* id: HK_TCB_CHILD + child id, or HK_TCB_SLOT + cspace slot */
    HK_CAP_SCHED_CONTEXT, /* id: HK_TCB_SLOT + cspace slot */
    HK_CAP_IOPORT,       /* id: the ioport id */
    HK_CAP_SMC,
};

/* What CPTR names for this thread; *ID is the object's index within its kind. */
static inline enum hk_cap hk_cap_lookup(seL4_CPtr cptr, unsigned *id)
{
    const struct hk_cfg *c = hk_cfg;
    if (cptr == HK_CPTR_INPUT) { /* every receive: first */
        *id = 0;
        return HK_CAP_INPUT;
    }
    if (cptr >= HK_CPTR_NOTIFICATION && cptr < HK_CPTR_NOTIFICATION + HK_NCH) {
        unsigned ch = (unsigned)(cptr - HK_CPTR_NOTIFICATION);
        *id = ch;
        return c->ch[ch].kind == HK_CH_CHANNEL && (c->notifications >> ch & 1) ? HK_CAP_NOTIFICATION : HK_CAP_NULL;
    }
    if (cptr >= HK_CPTR_ENDPOINT && cptr < HK_CPTR_ENDPOINT + HK_NCH) {
        unsigned ch = (unsigned)(cptr - HK_CPTR_ENDPOINT);
        *id = ch;
        return c->ch[ch].kind == HK_CH_CHANNEL && c->ch[ch].pp_out ? HK_CAP_ENDPOINT : HK_CAP_NULL;
    }
    if (cptr >= HK_CPTR_IRQ && cptr < HK_CPTR_IRQ + HK_NCH) {
        unsigned ch = (unsigned)(cptr - HK_CPTR_IRQ);
        *id = ch;
        return c->ch[ch].kind == HK_CH_IRQ ? HK_CAP_IRQ : HK_CAP_NULL;
    }
    if (cptr >= HK_CPTR_TCB && cptr < HK_CPTR_TCB + HK_NCH) {
        unsigned child = (unsigned)(cptr - HK_CPTR_TCB);
        *id = HK_TCB_CHILD + child;
        return c->child_pd[child] >= 0 ? HK_CAP_TCB : HK_CAP_NULL;
    }
    if (cptr >= HK_CPTR_IOPORT && cptr <= HK_CPTR_IOPORT + HK_NCH) {
        unsigned io = (unsigned)(cptr - HK_CPTR_IOPORT);
        *id = io;
        return io < HK_MAX_IOPORTS && c->ioport[io].size ? HK_CAP_IOPORT : HK_CAP_NULL;
    }
    *id = 0;
    switch (cptr) {
    case HK_CPTR_VSPACE: return HK_CAP_VSPACE;
    case HK_CPTR_REPLY: return HK_CAP_REPLY;
    case HK_CPTR_MONITOR: return HK_CAP_MONITOR;
    case HK_CPTR_SMC: return c->smc ? HK_CAP_SMC : HK_CAP_NULL;
    default: break;
    }
    /* a <cspace> slot: the top bits of the cptr, nothing below them */
    uint64_t slot = cptr >> HK_CSPACE_SLOT_SHIFT;
    if (slot && slot < HK_CSPACE_SLOTS && !(cptr & ((1ull << HK_CSPACE_SLOT_SHIFT) - 1))) {
        *id = HK_TCB_SLOT + (unsigned)slot;
        switch (c->cspace[slot]) {
        case HK_CSLOT_TCB: return HK_CAP_TCB;
        case HK_CSLOT_SC: return HK_CAP_SCHED_CONTEXT;
        default: return HK_CAP_NULL;
        }
    }
    return cptr < HK_CNODE_SLOTS ? HK_CAP_NULL : HK_CAP_INVALID;
}

/* seL4's answer to an invocation of CPTR that finds no capability (KIND: HK_CAP_NULL or
 * HK_CAP_INVALID): the debug kernel's line; for an address outside the CSpace in a blocking call,
 * a capability fault (the thread waits for its fault handler). Returns the error a Call gets. */
seL4_Error hk_no_cap(seL4_CPtr cptr, enum hk_cap kind, bool blocking);
/* seL4's answer to a method the object KIND does not have: the debug kernel's line, and the
 * error (seL4_IllegalOperation). */
seL4_Error hk_illegal_operation(enum hk_cap kind);

#endif
