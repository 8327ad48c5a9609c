/* microkit.h — the libmicrokit C API for PDs run by hostkit.
 *
 * A PD written for seL4 Microkit includes this header instead of the SDK's and builds unchanged.
 * Names, types and behaviour follow the Microkit manual's API section and libmicrokit's documented
 * diagnostics: an invalid channel prints "<pd> microkit_<call>: invalid channel given '<ch>'" and
 * does nothing. The seL4 types a PD sees (seL4_Word, seL4_MessageInfo_t, the IPC buffer) keep seL4's
 * 64-bit layout; the kernel operations behind them live in libhostkit (src/pd/). */
#ifndef MICROKIT_H
#define MICROKIT_H

#include <stdint.h>

/* ---- The seL4 types the Microkit API rests on ---- */
typedef uint8_t seL4_Uint8;
typedef uint16_t seL4_Uint16;
typedef uint32_t seL4_Uint32;
typedef uint64_t seL4_Uint64;
typedef int8_t seL4_Int8;
typedef uint64_t seL4_Word;
typedef seL4_Word seL4_CPtr;
typedef seL4_Int8 seL4_Bool;
#define seL4_True ((seL4_Bool)1)
#define seL4_False ((seL4_Bool)0)

#define seL4_MsgMaxLength 120
#define seL4_MsgMaxExtraCaps 3

/* seL4's message info word: label in bits 63..12, caps unwrapped 11..9, extra caps 8..7,
 * length (number of message registers) 6..0. */
typedef struct seL4_MessageInfo {
    seL4_Word words[1];
} seL4_MessageInfo_t;

static inline seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                                                      seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    seL4_MessageInfo_t m;
    m.words[0] = ((label & 0xfffffffffffffull) << 12) | ((capsUnwrapped & 0x7u) << 9) |
                 ((extraCaps & 0x3u) << 7) | (length & 0x7fu);
    return m;
}
static inline seL4_Uint64 seL4_MessageInfo_get_label(seL4_MessageInfo_t m) { return m.words[0] >> 12; }
static inline seL4_Uint64 seL4_MessageInfo_get_length(seL4_MessageInfo_t m) { return m.words[0] & 0x7fu; }
static inline seL4_Uint64 seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t m) { return (m.words[0] >> 7) & 0x3u; }
static inline seL4_Uint64 seL4_MessageInfo_get_capsUnwrapped(seL4_MessageInfo_t m) { return (m.words[0] >> 9) & 0x7u; }

typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode, receiveIndex, receiveDepth;
} seL4_IPCBuffer;

extern seL4_IPCBuffer hostkit_ipc_buffer;
static inline seL4_IPCBuffer *seL4_GetIPCBuffer(void) { return &hostkit_ipc_buffer; }
static inline seL4_Word seL4_GetMR(int i) { return hostkit_ipc_buffer.msg[i]; }
static inline void seL4_SetMR(int i, seL4_Word v) { hostkit_ipc_buffer.msg[i] = v; }

/* Fault labels as seL4 (non-hypervisor, non-MCS numbering of seL4_FaultType) reports them in the
 * msginfo a parent's fault() receives. */
enum seL4_FaultType {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    seL4_Fault_VMFault = 5,
};
/* Message registers of a VM fault, as seL4 lays them out. */
enum { seL4_VMFault_IP = 0, seL4_VMFault_Addr = 1, seL4_VMFault_PrefetchFault = 2, seL4_VMFault_FSR = 3 };
/* Message registers of a user exception. */
enum { seL4_UserException_FaultIP = 0, seL4_UserException_SP = 1, seL4_UserException_Number = 3,
       seL4_UserException_Code = 4 };

/* ---- The Microkit API ---- */
typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef seL4_MessageInfo_t microkit_msginfo;

#define MICROKIT_MAX_CHANNELS 62
#define MICROKIT_MAX_CHANNEL_ID (MICROKIT_MAX_CHANNELS - 1)
#define MICROKIT_PD_NAME_LENGTH 64

/* Entry points the PD provides. fault() is optional (a weak default rejects the fault). */
void init(void);
void notified(microkit_channel ch);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

extern char microkit_name[MICROKIT_PD_NAME_LENGTH];
/* Bit c is set when channel c of this PD is a notification / ppcall / IRQ channel. */
extern seL4_Word microkit_notifications;
extern seL4_Word microkit_pps;
extern seL4_Word microkit_irqs;

void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);
void microkit_dbg_put8(seL4_Uint8 x);
void microkit_dbg_put32(seL4_Uint32 x);

/* Kernel operations, implemented by libhostkit; the checks below guard them as libmicrokit does. */
void hostkit_signal(microkit_channel ch);
microkit_msginfo hostkit_call(microkit_channel ch, microkit_msginfo msginfo);
void hostkit_irq_ack(microkit_channel ch);
void hostkit_defer(microkit_channel ch, int is_irq_ack);
void hostkit_pd_restart(microkit_child child, seL4_Word entry_point);
void hostkit_pd_stop(microkit_child child);

static inline void hostkit_invalid_channel(const char *call, microkit_channel ch)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(call);
    microkit_dbg_puts(": invalid channel given '");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("'\n");
}

static inline int hostkit_channel_ok(microkit_channel ch, seL4_Word mask)
{
    return ch <= MICROKIT_MAX_CHANNEL_ID && (mask & (1ull << ch)) != 0;
}

static inline void microkit_notify(microkit_channel ch)
{
    if (!hostkit_channel_ok(ch, microkit_notifications)) {
        hostkit_invalid_channel("microkit_notify", ch);
        return;
    }
    hostkit_signal(ch);
}

static inline void microkit_irq_ack(microkit_channel ch)
{
    if (!hostkit_channel_ok(ch, microkit_irqs)) {
        hostkit_invalid_channel("microkit_irq_ack", ch);
        return;
    }
    hostkit_irq_ack(ch);
}

static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    if (!hostkit_channel_ok(ch, microkit_pps)) {
        hostkit_invalid_channel("microkit_ppcall", ch);
        return seL4_MessageInfo_new(0, 0, 0, 0);
    }
    return hostkit_call(ch, msginfo);
}

/* The signal goes out when the current handler returns; a later deferred call in the same handler
 * replaces an earlier one, as libmicrokit keeps a single pending signal. */
static inline void microkit_deferred_notify(microkit_channel ch)
{
    if (!hostkit_channel_ok(ch, microkit_notifications)) {
        hostkit_invalid_channel("microkit_deferred_notify", ch);
        return;
    }
    hostkit_defer(ch, 0);
}

static inline void microkit_deferred_irq_ack(microkit_channel ch)
{
    if (!hostkit_channel_ok(ch, microkit_irqs)) {
        hostkit_invalid_channel("microkit_deferred_irq_ack", ch);
        return;
    }
    hostkit_defer(ch, 1);
}

static inline void microkit_pd_restart(microkit_child pd, seL4_Word entry_point)
{
    hostkit_pd_restart(pd, entry_point);
}

static inline void microkit_pd_stop(microkit_child pd)
{
    hostkit_pd_stop(pd);
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

/* Message registers 0..119. Past the last one, hostkit prints a diagnostic and does nothing
 * (on seL4 such a write would land in other IPC-buffer fields). */
static inline void microkit_mr_set(seL4_Uint8 mr, seL4_Word value)
{
    if (mr >= seL4_MsgMaxLength) {
        microkit_dbg_puts(microkit_name);
        microkit_dbg_puts(" microkit_mr_set: invalid message register '");
        microkit_dbg_put32(mr);
        microkit_dbg_puts("'\n");
        return;
    }
    seL4_SetMR(mr, value);
}

static inline seL4_Word microkit_mr_get(seL4_Uint8 mr)
{
    if (mr >= seL4_MsgMaxLength) {
        microkit_dbg_puts(microkit_name);
        microkit_dbg_puts(" microkit_mr_get: invalid message register '");
        microkit_dbg_put32(mr);
        microkit_dbg_puts("'\n");
        return 0;
    }
    return seL4_GetMR(mr);
}

#endif /* MICROKIT_H */
