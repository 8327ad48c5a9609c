/* parent: prints what each child's fault looks like (label and the message registers that do not
 * depend on where the host loaded the image), then stops the child. */
#include "../common/pd.h"

static void put_signed(seL4_Word w)
{
    if (w >> 63) {
        microkit_dbg_putc('-');
        w = -w;
    }
    pd_put_dec(w);
}

void init(void)
{
    say("init");
}

void notified(microkit_channel ch) { (void)ch; }

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    seL4_Word label = microkit_msginfo_get_label(msginfo), count = microkit_msginfo_get_count(msginfo);
    seL4_Word ip = microkit_mr_get(0);
    switch (label) {
    case seL4_Fault_VMFault:
        say("child %u: VMFault (count %U): addr %x, ip %s, prefetch %U, fsr %U", child, count,
            microkit_mr_get(seL4_VMFault_Addr),
            ip == 0 ? "zero" : ip == microkit_mr_get(seL4_VMFault_Addr) ? "= addr" : "elsewhere",
            microkit_mr_get(seL4_VMFault_PrefetchFault), microkit_mr_get(seL4_VMFault_FSR));
        break;
    case seL4_Fault_UserException:
        /* of the flags, the one user code always has: interrupts enabled (x86 IF, bit 9) */
        out("%s: child %u: UserException (count %U): ip %s, sp %s, IF %U, number %U, code ", microkit_name,
            child, count,
            ip ? "set" : "zero", microkit_mr_get(seL4_UserException_SP) ? "set" : "zero",
            microkit_mr_get(seL4_UserException_FLAGS) >> 9 & 1, microkit_mr_get(seL4_UserException_Number));
        put_signed(microkit_mr_get(seL4_UserException_Code));
        out("\n");
        break;
    case seL4_Fault_UnknownSyscall:
        say("child %u: UnknownSyscall (count %U): MR1 %U", child, count, microkit_mr_get(1));
        break;
    default:
        say("child %u: label %U (count %U)", child, label, count);
        break;
    }
    microkit_pd_stop(child);
    return seL4_False;
}
