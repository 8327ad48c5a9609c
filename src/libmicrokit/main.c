/* main.c — libmicrokit's layer of a PD: its variables, its start and its event loop, over the seL4
 * system calls of hostkit's kernel layer, as libmicrokit is written over seL4. It follows
 * libmicrokit 2.3's documented behaviour:
 *   - the process starts in main(), as a PD's image starts in libmicrokit's crt0 and main on
 *     seL4: the kernel layer boots the thread (hk_boot), then starts it at hostkit_pd_main;
 *   - the start runs init(); a passive PD then tells the monitor so, with its first receive (a
 *     deferred send on the monitor's endpoint, which unbinds its scheduling context on seL4);
 *   - the loop first acknowledges every IRQ the PD has (so one raised before it was ready is
 *     delivered), then, for ever: receives — with the reply a call or a fault is owed
 *     (ReplyRecv; a deferred signal is sent first), else with the deferred signal (NBSendRecv),
 *     else plainly (Recv) — and hands what came to the PD: a child's fault (badge bit 62) to
 *     fault(), whose reply msginfo is the reply when it returns true; a call (bit 63) to
 *     protected(), whose result is the reply; else notified() for each channel in the badge,
 *     lowest first.
 * The Microkit tool patches microkit_name, the channel masks and microkit_passive into the image;
 * the monitor does that here, as setvars (src/monitor/monitor_boot.c). Around each handler the
 * kernel is told where it begins and ends (budgets, --trace). */
#include <microkit.h>

#include "kernel/cspace.h"
#include "kernel/kernel.h"

_Static_assert(MONITOR_EP == HK_CPTR_MONITOR && BASE_OUTPUT_NOTIFICATION_CAP == HK_CPTR_NOTIFICATION &&
                   BASE_ENDPOINT_CAP == HK_CPTR_ENDPOINT && BASE_IRQ_CAP == HK_CPTR_IRQ &&
                   BASE_TCB_CAP == HK_CPTR_TCB && BASE_IOPORT_CAP == HK_CPTR_IOPORT &&
                   ARM_SMC_CAP == HK_CPTR_SMC && PD_ROOT_CAP_BITS == seL4_WordBits - HK_CSPACE_SLOT_SHIFT,
               "microkit.h's CSpace layout is the kernel's");

#define INPUT_CAP HK_CPTR_INPUT
#define REPLY_CAP HK_CPTR_REPLY
#define BADGE_FAULT_BIT 62
#define BADGE_ENDPOINT_BIT 63
#define CHILD_MASK 0xffu
#define CHANNEL_MASK 0x3fu

char microkit_name[MICROKIT_PD_NAME_LENGTH];
seL4_Bool microkit_passive;
seL4_Bool microkit_have_signal = seL4_False;
seL4_CPtr microkit_signal_cap;
seL4_MessageInfo_t microkit_signal_msg;
seL4_Word microkit_irqs;
seL4_Word microkit_notifications;
seL4_Word microkit_pps;
seL4_Word microkit_ioports;

/* libsel4's view of the thread's IPC buffer: the kernel's, where messages are transferred. */
seL4_IPCBuffer *__sel4_ipc_buffer = &hk_ipc_buffer;

/* A PD that is sent a call (or a child's fault) must have the entry point for it. */
__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" is missing the 'protected' entry point\n");
    microkit_internal_crash(0);
    return seL4_MessageInfo_new(0, 0, 0, 0);
}

__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)child;
    (void)msginfo;
    (void)reply_msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" is missing the 'fault' entry point\n");
    microkit_internal_crash(0);
    return seL4_False;
}

static void ack_all_irqs(void)
{
    for (seL4_Word irqs = microkit_irqs; irqs; irqs &= irqs - 1)
        microkit_irq_ack((microkit_channel)__builtin_ctzll(irqs));
}

static void flush_deferred_signal(void)
{
    if (microkit_have_signal) {
        seL4_Send(microkit_signal_cap, microkit_signal_msg);
        microkit_have_signal = seL4_False;
    }
}

static void handler_loop(void) __attribute__((noreturn));
static void handler_loop(void)
{
    bool have_reply = false;
    seL4_MessageInfo_t reply_tag = seL4_MessageInfo_new(0, 0, 0, 0);

    ack_all_irqs();
    for (;;) {
        seL4_Word badge;
        seL4_MessageInfo_t tag;
        if (have_reply) {
            flush_deferred_signal();
            tag = seL4_ReplyRecv(INPUT_CAP, reply_tag, &badge, REPLY_CAP);
        } else if (microkit_have_signal) {
            tag = seL4_NBSendRecv(microkit_signal_cap, microkit_signal_msg, INPUT_CAP, &badge, REPLY_CAP);
            microkit_have_signal = seL4_False;
        } else {
            tag = seL4_Recv(INPUT_CAP, &badge, REPLY_CAP);
        }
        have_reply = false;

        if ((badge >> BADGE_FAULT_BIT) & 1) {
            microkit_child child = (microkit_child)(badge & CHILD_MASK);
            uint64_t begin = hk_handler_begin(HK_TR_FAULT, child, tag.words[0]);
            have_reply = fault(child, tag, &reply_tag);
            hk_handler_end(begin, HK_TR_FAULT, child, reply_tag.words[0]);
        } else if (badge >> BADGE_ENDPOINT_BIT) {
            microkit_channel ch = (microkit_channel)(badge & CHANNEL_MASK);
            uint64_t begin = hk_handler_begin(HK_TR_PROTECTED, ch, tag.words[0]);
            reply_tag = protected(ch, tag);
            hk_handler_end(begin, HK_TR_PROTECTED, ch, reply_tag.words[0]);
            have_reply = true;
        } else {
            for (; badge; badge &= badge - 1) {
                microkit_channel ch = (microkit_channel)__builtin_ctzll(badge);
                uint64_t begin = hk_handler_begin(HK_TR_NOTIFIED, ch, 0);
                notified(ch);
                hk_handler_end(begin, HK_TR_NOTIFIED, ch, 0);
            }
        }
    }
}

/* The thread's entry point (kernel.h): where it starts, and starts again when restarted. */
void hostkit_pd_main(void);
void hostkit_pd_main(void)
{
    uint64_t begin = hk_handler_begin(HK_TR_INIT, 0, 0);
    init();
    hk_handler_end(begin, HK_TR_INIT, 0, 0);
    if (microkit_passive) {
        microkit_have_signal = seL4_True;
        microkit_signal_msg = seL4_MessageInfo_new(0, 0, 0, 0);
        microkit_signal_cap = MONITOR_EP;
    }
    handler_loop();
}

/* The program's start: what the loader and seL4 do before a PD's first instruction (kernel/boot.c),
 * then the thread at its entry point, which it never leaves. */
int main(int argc, char **argv)
{
    hk_boot(argc, argv);
    hk_thread_start(hostkit_pd_main);
}
