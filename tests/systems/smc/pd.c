/* Prints the PSCI version the board's firmware answers an SMC with (PSCI_VERSION, Arm DEN0022). */
#include "../common/pd.h"

void init(void)
{
    seL4_ARM_SMCContext args = {.x0 = 0x84000000}, resp = {0};
    seL4_Error err = seL4_ARM_SMC_Call(ARM_SMC_CAP, &args, &resp);
    say("PSCI version %u.%u (error %u)", (unsigned)(resp.x0 >> 16) & 0xffff, (unsigned)resp.x0 & 0xffff, (unsigned)err);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
