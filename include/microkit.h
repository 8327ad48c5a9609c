/* microkit.h — the libmicrokit API (Microkit 2.3) for PDs run by hostkit.
 *
 * A PD written for seL4 Microkit includes this header instead of the SDK's and builds unchanged.
 * As libmicrokit's, the API is a thin layer over seL4 system calls on the capabilities the
 * Microkit tool lays out in every PD's CSpace (the BASE_*_CAP ranges below, indexed by channel or
 * child id); hostkit's kernel layer serves those calls. Names, types, capability layout and
 * behaviour follow the Microkit manual's API section and libmicrokit's documented behaviour: an
 * invalid channel prints "<pd> microkit_<call>: invalid channel given '<ch>'" and does nothing; a
 * failed child operation prints its message and crashes the PD (a fault at the error's address).
 *
 * hostkit adds one check libmicrokit does not make: a message register index past the last one
 * (119) prints a diagnostic and is ignored, where on seL4 it would reach other IPC-buffer fields. */
#ifndef MICROKIT_H
#define MICROKIT_H

#include <sel4/sel4.h>

typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef unsigned int microkit_ioport;
typedef seL4_MessageInfo_t microkit_msginfo;

/* The CSpace every PD is given (Microkit's layout). */
#define MONITOR_EP 5
#define TCB_CAP 6       /* the PD's own TCB: the benchmark configuration only */
#define ARM_SMC_CAP 7   /* PDs allowed to make SMC calls */
#define BASE_OUTPUT_NOTIFICATION_CAP 10
#define BASE_ENDPOINT_CAP 74
#define BASE_IRQ_CAP 138
#define BASE_TCB_CAP 202
#define BASE_VM_TCB_CAP 266
#define BASE_VCPU_CAP 330
#define BASE_IOPORT_CAP 394
#define BASE_USER_CAPS 458
#define PD_ROOT_CAP_BITS 6
#define PD_ROOT_CAP_SIZE (1ULL << PD_ROOT_CAP_BITS)
#define MICROKIT_MAX_USER_CAPS 128

#define MICROKIT_MAX_CHANNELS 62
#define MICROKIT_MAX_CHANNEL_ID (MICROKIT_MAX_CHANNELS - 1)
#define MICROKIT_MAX_IOPORT_ID MICROKIT_MAX_CHANNELS
#define MICROKIT_PD_NAME_LENGTH 64

/* Entry points the PD provides. protected() and fault() are optional: a PD without one that is
 * sent a call or a child's fault prints that it is missing the entry point and crashes. */
void init(void);
void notified(microkit_channel ch);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

extern char microkit_name[MICROKIT_PD_NAME_LENGTH];
/* A signal to combine with the event loop's next receive (microkit_deferred_*). */
extern seL4_Bool microkit_have_signal;
extern seL4_CPtr microkit_signal_cap;
extern seL4_MessageInfo_t microkit_signal_msg;
/* Bit c is set when channel c of this PD is a notification / ppcall / IRQ channel / I/O port. */
extern seL4_Word microkit_irqs;
extern seL4_Word microkit_notifications;
extern seL4_Word microkit_pps;
extern seL4_Word microkit_ioports;

void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);
void microkit_dbg_put8(seL4_Uint8 x);
void microkit_dbg_put32(seL4_Uint32 x);

/* Crashes the PD with a fault at address ERR, which the fault report then names (a fault, on
 * purpose: not one for a sanitizer to stop first). */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
__attribute__((no_sanitize("undefined")))
#endif
#endif
static inline void microkit_internal_crash(seL4_Error err)
{
    volatile int *at = (volatile int *)(seL4_Word)err;
    *at = 0;
}

static inline int microkit_internal_bad_id(const char *call, const char *what, unsigned id, seL4_Word mask,
                                           unsigned max)
{
    if (id <= max && (mask & (1ULL << id)) != 0)
        return 0;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(call);
    microkit_dbg_puts(": invalid ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(" given '");
    microkit_dbg_put32(id);
    microkit_dbg_puts("'\n");
    return 1;
}
#define microkit_internal_bad_channel(call, ch, mask) \
    microkit_internal_bad_id(call, "channel", ch, mask, MICROKIT_MAX_CHANNEL_ID)

static inline void microkit_notify(microkit_channel ch)
{
    if (microkit_internal_bad_channel("microkit_notify", ch, microkit_notifications))
        return;
    seL4_Signal(BASE_OUTPUT_NOTIFICATION_CAP + ch);
}

static inline void microkit_irq_ack(microkit_channel ch)
{
    if (microkit_internal_bad_channel("microkit_irq_ack", ch, microkit_irqs))
        return;
    seL4_IRQHandler_Ack(BASE_IRQ_CAP + ch);
}

static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    if (microkit_internal_bad_channel("microkit_ppcall", ch, microkit_pps))
        return seL4_MessageInfo_new(0, 0, 0, 0);
    return seL4_Call(BASE_ENDPOINT_CAP + ch, msginfo);
}

/* The signal goes out with the event loop's next receive; a later deferred call in the same
 * handler replaces an earlier one (there is one pending signal). */
static inline void microkit_deferred_notify(microkit_channel ch)
{
    if (microkit_internal_bad_channel("microkit_deferred_notify", ch, microkit_notifications))
        return;
    microkit_have_signal = seL4_True;
    microkit_signal_msg = seL4_MessageInfo_new(0, 0, 0, 0);
    microkit_signal_cap = BASE_OUTPUT_NOTIFICATION_CAP + ch;
}

static inline void microkit_deferred_irq_ack(microkit_channel ch)
{
    if (microkit_internal_bad_channel("microkit_deferred_irq_ack", ch, microkit_irqs))
        return;
    microkit_have_signal = seL4_True;
    microkit_signal_msg = seL4_MessageInfo_new(IRQAckIRQ, 0, 0, 0);
    microkit_signal_cap = BASE_IRQ_CAP + ch;
}

/* seL4_TCB_WriteRegisters of the program counter, resuming: how a PD or a VM restarts. */
static inline seL4_Error microkit_internal_restart(seL4_CPtr tcb, seL4_Word entry_point)
{
    seL4_UserContext ctxt = {0};
#if defined(__aarch64__)
    ctxt.pc = entry_point;
#else
    ctxt.rip = entry_point;
#endif
    return seL4_TCB_WriteRegisters(tcb, seL4_True, 0, 1, &ctxt);
}

/* A child restarts at ENTRY_POINT (its registers are rewritten; its memory stays as it is). */
static inline void microkit_pd_restart(microkit_child pd, seL4_Word entry_point)
{
    seL4_Error err = microkit_internal_restart(BASE_TCB_CAP + pd, entry_point);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_pd_restart: error writing TCB registers\n");
        microkit_internal_crash(err);
    }
}

static inline void microkit_pd_stop(microkit_child pd)
{
    seL4_Error err = seL4_TCB_Suspend(BASE_TCB_CAP + pd);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_pd_stop: error stopping TCB '");
        microkit_dbg_put32(pd);
        microkit_dbg_puts("'\n");
        microkit_internal_crash(err);
    }
}

static inline void microkit_pd_resume(microkit_child pd)
{
    seL4_Error err = seL4_TCB_Resume(BASE_TCB_CAP + pd);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_pd_resume: error resuming TCB '");
        microkit_dbg_put32(pd);
        microkit_dbg_puts("'\n");
        microkit_internal_crash(err);
    }
}

static inline microkit_msginfo microkit_msginfo_new(seL4_Word label, seL4_Uint16 count)
{
    return seL4_MessageInfo_new(label, 0, 0, count);
}

static inline seL4_Word microkit_msginfo_get_label(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_label(msginfo);
}

static inline seL4_Word microkit_msginfo_get_count(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_length(msginfo);
}

static inline int microkit_internal_bad_mr(const char *call, seL4_Uint8 mr)
{
    if (mr < seL4_MsgMaxLength)
        return 0;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(call);
    microkit_dbg_puts(": invalid message register '");
    microkit_dbg_put32(mr);
    microkit_dbg_puts("'\n");
    return 1;
}

static inline void microkit_mr_set(seL4_Uint8 mr, seL4_Word value)
{
    if (microkit_internal_bad_mr("microkit_mr_set", mr))
        return;
    seL4_SetMR(mr, value);
}

static inline seL4_Word microkit_mr_get(seL4_Uint8 mr)
{
    if (microkit_internal_bad_mr("microkit_mr_get", mr))
        return 0;
    return seL4_GetMR(mr);
}

/* The cptr of slot SLOT of the PD's CSpace root, where <cap> mappings put their capabilities. */
static inline seL4_CPtr microkit_cspace_root_slot_to_cptr(seL4_Word slot)
{
    if (slot == 0 || slot >= PD_ROOT_CAP_SIZE)
        return seL4_CapNull;
    return slot << (seL4_WordBits - PD_ROOT_CAP_BITS);
}

/* ---- x86 I/O ports (<ioport> elements; the board's devices answer them) ---- */
#define microkit_internal_ioport_write(bits)                                                          \
    static inline void microkit_x86_ioport_write_##bits(microkit_ioport ioport_id, seL4_Word port_addr, \
                                                         seL4_Word data)                              \
    {                                                                                                 \
        if (microkit_internal_bad_id("microkit_x86_ioport_write_" #bits, "I/O Port ID", ioport_id,    \
                                     microkit_ioports, MICROKIT_MAX_IOPORT_ID))                       \
            return;                                                                                   \
        seL4_Error err = seL4_X86_IOPort_Out##bits(BASE_IOPORT_CAP + ioport_id, port_addr, data);     \
        if (err != seL4_NoError) {                                                                    \
            microkit_dbg_puts("microkit_x86_ioport_write_" #bits ": error writing data\n");           \
            microkit_internal_crash(err);                                                             \
        }                                                                                             \
    }
#define microkit_internal_ioport_read(bits)                                                           \
    static inline seL4_Uint##bits microkit_x86_ioport_read_##bits(microkit_ioport ioport_id,          \
                                                                  seL4_Word port_addr)                \
    {                                                                                                 \
        if (microkit_internal_bad_id("microkit_x86_ioport_read_" #bits, "I/O Port ID", ioport_id,     \
                                     microkit_ioports, MICROKIT_MAX_IOPORT_ID))                       \
            return 0;                                                                                 \
        seL4_X86_IOPort_In##bits##_t ret = seL4_X86_IOPort_In##bits(BASE_IOPORT_CAP + ioport_id,      \
                                                                     (seL4_Uint16)port_addr);         \
        if (ret.error != seL4_NoError) {                                                              \
            microkit_dbg_puts("microkit_x86_ioport_read_" #bits ": error reading data\n");            \
            microkit_internal_crash((seL4_Error)ret.error);                                           \
        }                                                                                             \
        return ret.result;                                                                            \
    }
microkit_internal_ioport_write(8)
microkit_internal_ioport_write(16)
microkit_internal_ioport_write(32)
microkit_internal_ioport_read(8)
microkit_internal_ioport_read(16)
microkit_internal_ioport_read(32)

/* ---- virtual machines (Arm hypervisor configurations): hostkit runs none; each call is a
 *      fault of the PD, naming it ---- */
#if defined(CONFIG_ARM_HYPERVISOR_SUPPORT)
static inline void microkit_vcpu_restart(microkit_child vcpu, seL4_Word entry_point)
{
    seL4_Error err = microkit_internal_restart(BASE_VM_TCB_CAP + vcpu, entry_point);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_vcpu_restart: error writing registers\n");
        microkit_internal_crash(err);
    }
}

static inline void microkit_vcpu_stop(microkit_child vcpu)
{
    seL4_Error err = seL4_TCB_Suspend(BASE_VM_TCB_CAP + vcpu);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_vcpu_stop: error suspending TCB\n");
        microkit_internal_crash(err);
    }
}

static inline void microkit_vcpu_arm_inject_irq(microkit_child vcpu, seL4_Uint16 irq, seL4_Uint8 priority,
                                                seL4_Uint8 group, seL4_Uint8 index)
{
    seL4_Error err = seL4_ARM_VCPU_InjectIRQ(BASE_VCPU_CAP + vcpu, irq, priority, group, index);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_vcpu_arm_inject_irq: error injecting IRQ\n");
        microkit_internal_crash(err);
    }
}

static inline void microkit_vcpu_arm_ack_vppi(microkit_child vcpu, seL4_Word irq)
{
    seL4_Error err = seL4_ARM_VCPU_AckVPPI(BASE_VCPU_CAP + vcpu, irq);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_vcpu_arm_ack_vppi: error acking VPPI\n");
        microkit_internal_crash(err);
    }
}

static inline seL4_Word microkit_vcpu_arm_read_reg(microkit_child vcpu, seL4_Word reg)
{
    seL4_ARM_VCPU_ReadRegs_t ret = seL4_ARM_VCPU_ReadRegs(BASE_VCPU_CAP + vcpu, reg);
    if (ret.error != seL4_NoError) {
        microkit_dbg_puts("microkit_vcpu_arm_read_reg: error reading vCPU register\n");
        microkit_internal_crash((seL4_Error)ret.error);
    }
    return ret.value;
}

static inline void microkit_vcpu_arm_write_reg(microkit_child vcpu, seL4_Word reg, seL4_Word value)
{
    seL4_Error err = seL4_ARM_VCPU_WriteRegs(BASE_VCPU_CAP + vcpu, reg, value);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_vcpu_arm_write_reg: error writing vCPU register\n");
        microkit_internal_crash(err);
    }
}
#endif

/* ---- Arm SMC calls (PDs with smc="true"): no secure monitor on a host; the call faults ---- */
static inline void microkit_arm_smc_call(seL4_ARM_SMCContext *args, seL4_ARM_SMCContext *response)
{
    seL4_Error err = seL4_ARM_SMC_Call(ARM_SMC_CAP, args, response);
    if (err != seL4_NoError) {
        microkit_dbg_puts("microkit_arm_smc_call: error making SMC call\n");
        microkit_internal_crash(err);
    }
}

#endif /* MICROKIT_H */
