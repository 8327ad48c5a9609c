/* irq.c — IRQ handlers and x86 I/O ports, the device-facing objects of a Microkit PD; with them
 * the Arm calls a host has no hardware for: cache maintenance (memory is coherent: nothing to
 * do) and virtual CPUs (faults naming the call), and SMC, which the board's firmware model answers.
 *
 * IRQs behave as level interrupts (seL4 manual, "Interrupts"): one delivered (its bit in the
 * PD's notification badge) is masked until its handler is acknowledged; raised again in the
 * meantime it stays pending once, and is delivered after the ack. The monitor raises them
 * (--irq, device models) in the PD's control page.
 *
 * I/O ports (<ioport id addr size>): In and Out on a port inside the capability's range go to the
 * monitor, whose device models answer; with none there, a read gives all ones (an empty bus) and
 * a write goes nowhere (logged with --log). A port outside the range is seL4_RangeError, a
 * capability of another kind seL4_IllegalOperation, as seL4's decodeX86PortInvocation decides. */
#include "kernel/cspace.h"

void hk_irq_ack(unsigned ch)
{
    uint64_t bit = 1ull << ch;
    hk_trace_ev(HK_TR_IRQ_ACK, ch, 0);
    atomic_fetch_and(&hk_ctl->irq_masked, ~bit);
    if (atomic_load(&hk_ctl->irq_pending) & bit)
        atomic_fetch_or(&hk_sched->pd[hk_self].hint, bit);
}

seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler service)
{
    unsigned id;
    enum hk_cap kind = hk_cap_lookup(service, &id);
    switch (kind) {
    case HK_CAP_IRQ:
        hk_irq_ack(id);
        return seL4_NoError;
    case HK_CAP_NOTIFICATION:
        hk_signal_channel(id, false); /* a Call on a notification signals it */
        return seL4_NoError;
    case HK_CAP_NULL:
    case HK_CAP_INVALID:
        return hk_no_cap(service, kind, true);
    default:
        return hk_illegal_operation(kind);
    }
}

/* ---- I/O ports ---- */
static seL4_Error port_access(seL4_X86_IOPort service, uint64_t port, unsigned bytes, bool out, uint32_t *data)
{
    unsigned id;
    enum hk_cap kind = hk_cap_lookup(service, &id);
    if (kind == HK_CAP_NULL || kind == HK_CAP_INVALID)
        return hk_no_cap(service, kind, true);
    if (kind != HK_CAP_IOPORT)
        return hk_illegal_operation(kind);
    const struct hk_ioport_cfg *io = &hk_cfg->ioport[id];
    if (port < io->addr || port + bytes > io->addr + io->size)
        return seL4_RangeError;
    hk_request(out ? HK_REQ_IOPORT_OUT : HK_REQ_IOPORT_IN, id,
               port | (uint64_t)bytes << 16 | (uint64_t)(out ? *data : 0) << 32);
    if (!out)
        *data = (uint32_t)hk_ctl->req_regs[0];
    return seL4_NoError;
}

#define IOPORT_IN(bits)                                                                         \
    seL4_X86_IOPort_In##bits##_t seL4_X86_IOPort_In##bits(seL4_X86_IOPort service, seL4_Uint16 port) \
    {                                                                                           \
        uint32_t v = 0;                                                                         \
        seL4_X86_IOPort_In##bits##_t r = {0, 0};                                                \
        r.error = port_access(service, port, bits / 8, false, &v);                              \
        r.result = (seL4_Uint##bits)v;                                                          \
        return r;                                                                               \
    }
#define IOPORT_OUT(bits)                                                                        \
    seL4_Error seL4_X86_IOPort_Out##bits(seL4_X86_IOPort service, seL4_Word port, seL4_Word data) \
    {                                                                                           \
        uint32_t v = (uint32_t)data & (uint32_t)((1ull << bits) - 1);                           \
        return port_access(service, port, bits / 8, true, &v);                                  \
    }
IOPORT_IN(8)
IOPORT_IN(16)
IOPORT_IN(32)
IOPORT_OUT(8)
IOPORT_OUT(16)
IOPORT_OUT(32)

/* ---- cache maintenance: coherent on a host ---- */
static seL4_Error cache_op(seL4_CPtr service, seL4_Word start, seL4_Word end)
{
    unsigned id;
    enum hk_cap kind = hk_cap_lookup(service, &id);
    if (kind == HK_CAP_NULL || kind == HK_CAP_INVALID)
        return hk_no_cap(service, kind, true);
    if (kind != HK_CAP_VSPACE)
        return hk_illegal_operation(kind);
    return start > end ? seL4_InvalidArgument : seL4_NoError; /* seL4: an empty or reversed range */
}
seL4_Error seL4_ARM_VSpace_Clean_Data(seL4_CPtr service, seL4_Word start, seL4_Word end) { return cache_op(service, start, end); }
seL4_Error seL4_ARM_VSpace_Invalidate_Data(seL4_CPtr service, seL4_Word start, seL4_Word end) { return cache_op(service, start, end); }
seL4_Error seL4_ARM_VSpace_CleanInvalidate_Data(seL4_CPtr service, seL4_Word start, seL4_Word end) { return cache_op(service, start, end); }
seL4_Error seL4_ARM_VSpace_Unify_Instruction(seL4_CPtr service, seL4_Word start, seL4_Word end) { return cache_op(service, start, end); }

/* ---- virtual CPUs: no virtual machine on a host ---- */
seL4_Error seL4_ARM_VCPU_InjectIRQ(seL4_CPtr service, seL4_Uint16 virq, seL4_Uint8 priority, seL4_Uint8 group,
                                   seL4_Uint8 index)
{
    (void)service, (void)virq, (void)priority, (void)group, (void)index;
    hk_unsupported_call("seL4_ARM_VCPU_InjectIRQ (hostkit runs no virtual machine)");
    return seL4_IllegalOperation;
}
seL4_Error seL4_ARM_VCPU_AckVPPI(seL4_CPtr service, seL4_Word irq)
{
    (void)service, (void)irq;
    hk_unsupported_call("seL4_ARM_VCPU_AckVPPI (hostkit runs no virtual machine)");
    return seL4_IllegalOperation;
}
seL4_ARM_VCPU_ReadRegs_t seL4_ARM_VCPU_ReadRegs(seL4_CPtr service, seL4_Word field)
{
    (void)service, (void)field;
    hk_unsupported_call("seL4_ARM_VCPU_ReadRegs (hostkit runs no virtual machine)");
    return (seL4_ARM_VCPU_ReadRegs_t){seL4_IllegalOperation, 0};
}
seL4_Error seL4_ARM_VCPU_WriteRegs(seL4_CPtr service, seL4_Word field, seL4_Word value)
{
    (void)service, (void)field, (void)value;
    hk_unsupported_call("seL4_ARM_VCPU_WriteRegs (hostkit runs no virtual machine)");
    return seL4_IllegalOperation;
}

/* ---- SMC: the board's firmware, if hostkit models it ---- */
/* seL4 makes the SMC for the PD with x0..x7 from SMC_ARGS and returns x0..x7 of the answer in
 * SMC_RESPONSE (seL4 manual, "ARM SMC"). On hostkit the board's firmware model in the monitor
 * answers (QEMU virt's PSCI: src/devices/psci.c); on a board without one the call is the PD's fault,
 * naming it. */
seL4_Error seL4_ARM_SMC_Call(seL4_CPtr service, seL4_ARM_SMCContext *smc_args, seL4_ARM_SMCContext *smc_response)
{
    unsigned id;
    enum hk_cap kind = hk_cap_lookup(service, &id);
    if (kind == HK_CAP_NULL || kind == HK_CAP_INVALID)
        return hk_no_cap(service, kind, true);
    if (kind != HK_CAP_SMC)
        return hk_illegal_operation(kind);
    const seL4_Word in[8] = {smc_args->x0, smc_args->x1, smc_args->x2, smc_args->x3,
                             smc_args->x4, smc_args->x5, smc_args->x6, smc_args->x7};
    for (unsigned k = 0; k < 8; k++)
        hk_ctl->req_regs[k] = in[k];
    seL4_Error err = hk_request(HK_REQ_SMC, 0, 0);
    if ((int)err == HK_NO_MODEL) {
        hk_unsupported_call("seL4_ARM_SMC_Call (no model of the firmware)");
        return seL4_IllegalOperation;
    }
    if (err != seL4_NoError)
        return err;
    const uint64_t *out = hk_ctl->req_regs;
    *smc_response = (seL4_ARM_SMCContext){out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7]};
    return seL4_NoError;
}
