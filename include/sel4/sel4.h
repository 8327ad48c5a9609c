/* sel4/sel4.h — the part of seL4's user API (libsel4) that a Microkit PD reaches, for PDs run by
 * hostkit.
 *
 * The types and constants keep seL4's names, values and 64-bit layouts (seL4 manual, "System
 * Calls" and the object methods of its API; libsel4's errors.h, shared_types.bf and the
 * architecture's UserContext). The system calls are functions of hostkit's kernel layer
 * (src/kernel/), which keeps seL4's semantics on the objects Microkit lays out: notifications,
 * endpoints with replies, children's TCBs, IRQ handlers and x86 I/O ports, named by the
 * capability addresses (cptrs) of Microkit's layout (microkit.h: BASE_*_CAP). A cptr that names
 * nothing makes a blocking call (Send, Call, Signal) a capability fault of the caller, as on seL4;
 * a method the object does not have returns seL4_IllegalOperation.
 *
 * A PD runs on the host's own architecture (x86_64 on most machines): seL4_UserContext is that
 * architecture's, and <sel4/config.h> says so (CONFIG_ARCH_X86_64 or CONFIG_ARCH_AARCH64). */
#ifndef HOSTKIT_SEL4_SEL4_H
#define HOSTKIT_SEL4_SEL4_H

#include <stdint.h>

#if defined(__has_include)
#if __has_include(<sel4/config.h>)
#include <sel4/config.h>
#endif
#endif

/* ---- words, pointers to capabilities, booleans ---- */
typedef uint8_t seL4_Uint8;
typedef uint16_t seL4_Uint16;
typedef uint32_t seL4_Uint32;
typedef uint64_t seL4_Uint64;
typedef int8_t seL4_Int8;
typedef int16_t seL4_Int16;
typedef int32_t seL4_Int32;
typedef int64_t seL4_Int64;
typedef uint64_t seL4_Word;
typedef seL4_Word seL4_CPtr;
typedef seL4_Int8 seL4_Bool;
#define seL4_True ((seL4_Bool)1)
#define seL4_False ((seL4_Bool)0)

typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Notification;
typedef seL4_CPtr seL4_Endpoint;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_X86_IOPort;
typedef seL4_CPtr seL4_SchedContext;

#define seL4_WordBits 64
#define seL4_WordSizeBits 3
#define seL4_PageBits 12
#define seL4_CapNull ((seL4_CPtr)0)

#define seL4_MsgMaxLength 120
#define seL4_MsgLengthBits 7
#define seL4_MsgExtraCapBits 2
#define seL4_MsgMaxExtraCaps 3

/* ---- errors (libsel4 errors.h) ---- */
typedef enum {
    seL4_NoError = 0,
    seL4_InvalidArgument,
    seL4_InvalidCapability,
    seL4_IllegalOperation,
    seL4_RangeError,
    seL4_AlignmentError,
    seL4_FailedLookup,
    seL4_TruncatedMessage,
    seL4_DeleteFirst,
    seL4_RevokeFirst,
    seL4_NotEnoughMemory,
    seL4_NumErrors
} seL4_Error;

/* ---- the message info word: label 63..12, caps unwrapped 11..9, extra caps 8..7, length 6..0 ---- */
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
static inline seL4_MessageInfo_t seL4_MessageInfo_set_label(seL4_MessageInfo_t m, seL4_Uint64 v)
{
    m.words[0] = (m.words[0] & 0xfffull) | ((v & 0xfffffffffffffull) << 12);
    return m;
}
static inline seL4_MessageInfo_t seL4_MessageInfo_set_length(seL4_MessageInfo_t m, seL4_Uint64 v)
{
    m.words[0] = (m.words[0] & ~0x7full) | (v & 0x7fu);
    return m;
}

/* ---- the IPC buffer: the thread's message registers ---- */
typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode, receiveIndex, receiveDepth;
} seL4_IPCBuffer;

/* Where this thread's IPC buffer is (libsel4's variable; libmicrokit sets it). */
extern seL4_IPCBuffer *__sel4_ipc_buffer;
static inline seL4_IPCBuffer *seL4_GetIPCBuffer(void) { return __sel4_ipc_buffer; }
static inline seL4_Word seL4_GetMR(int i) { return __sel4_ipc_buffer->msg[i]; }
static inline void seL4_SetMR(int i, seL4_Word v) { __sel4_ipc_buffer->msg[i] = v; }
static inline seL4_Word seL4_GetUserData(void) { return __sel4_ipc_buffer->userData; }
static inline void seL4_SetUserData(seL4_Word v) { __sel4_ipc_buffer->userData = v; }

/* ---- faults, as a fault handler receives them (MCS numbering, which Microkit's seL4 uses) ---- */
typedef enum {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    seL4_Fault_Timeout = 5,
    seL4_Fault_VMFault = 6,
} seL4_FaultType;
/* The message registers of each fault. */
enum { seL4_VMFault_IP = 0, seL4_VMFault_Addr, seL4_VMFault_PrefetchFault, seL4_VMFault_FSR,
       seL4_VMFault_Length };
enum { seL4_UserException_FaultIP = 0, seL4_UserException_SP, seL4_UserException_FLAGS,
       seL4_UserException_Number, seL4_UserException_Code, seL4_UserException_Length };
enum { seL4_CapFault_IP = 0, seL4_CapFault_Addr, seL4_CapFault_InRecvPhase,
       seL4_CapFault_LookupFailureType, seL4_CapFault_BitsLeft,
       seL4_CapFault_DepthMismatch_BitsFound, seL4_CapFault_GuardMismatch_GuardFound = seL4_CapFault_DepthMismatch_BitsFound,
       seL4_CapFault_GuardMismatch_BitsFound, seL4_CapFault_Length };
enum { seL4_UnknownSyscall_FaultIP = 0, seL4_UnknownSyscall_SP, seL4_UnknownSyscall_FLAGS,
       seL4_UnknownSyscall_Syscall, seL4_UnknownSyscall_Length = 4 };
enum { seL4_Timeout_Data = 0, seL4_Timeout_Consumed, seL4_Timeout_Length };
/* Why a capability lookup failed (seL4_CapFault_LookupFailureType). */
typedef enum {
    seL4_NoFailure = 0,
    seL4_InvalidRoot,
    seL4_MissingCapability,
    seL4_DepthMismatch,
    seL4_GuardMismatch,
} seL4_LookupFailureType;

/* ---- a thread's registers (seL4_TCB_ReadRegisters/WriteRegisters), the host's architecture ---- */
#if defined(__aarch64__)
typedef struct seL4_UserContext_ {
    seL4_Word pc, sp, spsr, x0, x1, x2, x3, x4, x5, x6, x7, x8, x16, x17, x18, x29, x30;
    seL4_Word x9, x10, x11, x12, x13, x14, x15, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
    seL4_Word tpidr_el0, tpidrro_el0;
} seL4_UserContext;
#else
typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word fs_base, gs_base;
} seL4_UserContext;
#endif

/* ---- invocation labels of the methods hostkit's kernel serves (the names of seL4's API; the
 *      values are hostkit's, as seL4 numbers them by configuration) ---- */
enum invocation_label {
    InvalidInvocation = 0,
    TCBReadRegisters,
    TCBWriteRegisters,
    TCBSuspend,
    TCBResume,
    IRQAckIRQ,
    X86IOPortIn8,
    X86IOPortIn16,
    X86IOPortIn32,
    X86IOPortOut8,
    X86IOPortOut16,
    X86IOPortOut32,
    ARMSMCCall,
    nInvocationLabels
};

/* ---- system calls ---- */
void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo);
void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo);
void seL4_Signal(seL4_CPtr dest);
seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo);
seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply);
seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply);
seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                  seL4_CPtr reply);
seL4_MessageInfo_t seL4_NBSendRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                   seL4_Word *sender, seL4_CPtr reply);
void seL4_Wait(seL4_CPtr src, seL4_Word *sender);
seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender);
void seL4_Yield(void);

/* ---- debugging (a debug kernel's system calls) ---- */
void seL4_DebugPutChar(char c);
void seL4_DebugPutString(const char *s);
void seL4_DebugHalt(void);
void seL4_DebugDumpScheduler(void);
void seL4_DebugNameThread(seL4_CPtr tcb, const char *name);

/* ---- object methods ---- */
seL4_Error seL4_TCB_Suspend(seL4_TCB service);
seL4_Error seL4_TCB_Resume(seL4_TCB service);
seL4_Error seL4_TCB_WriteRegisters(seL4_TCB service, seL4_Bool resume_target, seL4_Uint8 arch_flags,
                                   seL4_Word count, seL4_UserContext *regs);
seL4_Error seL4_TCB_ReadRegisters(seL4_TCB service, seL4_Bool suspend_source, seL4_Uint8 arch_flags,
                                  seL4_Word count, seL4_UserContext *regs);
seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler service);

typedef struct seL4_X86_IOPort_In8 {
    int error;
    seL4_Uint8 result;
} seL4_X86_IOPort_In8_t;
typedef struct seL4_X86_IOPort_In16 {
    int error;
    seL4_Uint16 result;
} seL4_X86_IOPort_In16_t;
typedef struct seL4_X86_IOPort_In32 {
    int error;
    seL4_Uint32 result;
} seL4_X86_IOPort_In32_t;
seL4_X86_IOPort_In8_t seL4_X86_IOPort_In8(seL4_X86_IOPort service, seL4_Uint16 port);
seL4_X86_IOPort_In16_t seL4_X86_IOPort_In16(seL4_X86_IOPort service, seL4_Uint16 port);
seL4_X86_IOPort_In32_t seL4_X86_IOPort_In32(seL4_X86_IOPort service, seL4_Uint16 port);
seL4_Error seL4_X86_IOPort_Out8(seL4_X86_IOPort service, seL4_Word port, seL4_Word data);
seL4_Error seL4_X86_IOPort_Out16(seL4_X86_IOPort service, seL4_Word port, seL4_Word data);
seL4_Error seL4_X86_IOPort_Out32(seL4_X86_IOPort service, seL4_Word port, seL4_Word data);

/* ---- cache maintenance (Arm): on a host, memory is coherent with every device model; the
 *      calls check their capability (the PD's VSpace, cptr 3) and do nothing else ---- */
seL4_Error seL4_ARM_VSpace_Clean_Data(seL4_CPtr service, seL4_Word start, seL4_Word end);
seL4_Error seL4_ARM_VSpace_Invalidate_Data(seL4_CPtr service, seL4_Word start, seL4_Word end);
seL4_Error seL4_ARM_VSpace_CleanInvalidate_Data(seL4_CPtr service, seL4_Word start, seL4_Word end);
seL4_Error seL4_ARM_VSpace_Unify_Instruction(seL4_CPtr service, seL4_Word start, seL4_Word end);

/* ---- virtual CPUs (Arm hypervisor): no virtual machine runs on a host; each call is the
 *      caller's fault, naming it (an UnknownSyscall fault in the monitor's report) ---- */
typedef struct seL4_ARM_VCPU_ReadRegs {
    int error;
    seL4_Word value;
} seL4_ARM_VCPU_ReadRegs_t;
seL4_Error seL4_ARM_VCPU_InjectIRQ(seL4_CPtr service, seL4_Uint16 virq, seL4_Uint8 priority, seL4_Uint8 group,
                                   seL4_Uint8 index);
seL4_Error seL4_ARM_VCPU_AckVPPI(seL4_CPtr service, seL4_Word irq);
seL4_ARM_VCPU_ReadRegs_t seL4_ARM_VCPU_ReadRegs(seL4_CPtr service, seL4_Word field);
seL4_Error seL4_ARM_VCPU_WriteRegs(seL4_CPtr service, seL4_Word field, seL4_Word value);

/* ---- extra boot information (prefill_bootinfo regions) ---- */
enum {
    SEL4_BOOTINFO_HEADER_PADDING = 0,
    SEL4_BOOTINFO_HEADER_X86_VBE = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ = 5, /* MHz, 32 bits */
    SEL4_BOOTINFO_HEADER_FDT = 6,
    SEL4_BOOTINFO_HEADER_NUM
};
typedef struct seL4_BootInfoHeader {
    seL4_Word id;  /* which blob follows */
    seL4_Word len; /* bytes of the chunk, this header included */
} seL4_BootInfoHeader;

/* An SMC call (Arm): a host has no secure monitor; the call is the caller's fault, named in the
 * monitor's report (hostkit's kernel: an UnknownSyscall fault), unless a model serves it. */
typedef struct seL4_ARM_SMCContext_ {
    seL4_Word x0, x1, x2, x3, x4, x5, x6, x7;
} seL4_ARM_SMCContext;
seL4_Error seL4_ARM_SMC_Call(seL4_CPtr service, seL4_ARM_SMCContext *smc_args, seL4_ARM_SMCContext *smc_response);

#endif
