/* caller: asks whether SYSTEM_OFF is implemented (PSCI_FEATURES), then calls it (PSCI, Arm
 * DEN0022: it does not return). */
#include <microkit.h>

void init(void)
{
    seL4_ARM_SMCContext args = {0}, resp = {0};
    args.x0 = 0x8400000a; /* PSCI_FEATURES */
    args.x1 = 0x84000008; /* SYSTEM_OFF */
    seL4_ARM_SMC_Call(ARM_SMC_CAP, &args, &resp);
    microkit_dbg_puts("caller: SYSTEM_OFF implemented: ");
    microkit_dbg_puts(resp.x0 == 0 ? "yes\n" : "no\n");
    microkit_dbg_puts("caller: powering off\n");
    args.x0 = 0x84000008;
    args.x1 = 0;
    seL4_ARM_SMC_Call(ARM_SMC_CAP, &args, &resp);
    microkit_dbg_puts("caller: still running after SYSTEM_OFF\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
