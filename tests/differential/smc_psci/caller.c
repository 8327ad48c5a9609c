/* caller: PSCI calls through seL4_ARM_SMC_Call, printing x0 and x1 of each answer (PSCI, Arm
 * DEN0022: the result in x0; SMCCC: the registers above it as they were). */
#include <microkit.h>

static void put_hex(seL4_Word w)
{
    static const char digits[] = "0123456789abcdef";
    char s[19] = "0x";
    for (int i = 0; i < 16; i++)
        s[2 + i] = digits[(w >> (60 - 4 * i)) & 0xf];
    s[18] = '\0';
    microkit_dbg_puts(s);
}

static void smc(const char *what, seL4_Word fid, seL4_Word x1)
{
    seL4_ARM_SMCContext args = {0}, resp = {0};
    args.x0 = fid;
    args.x1 = x1;
    args.x2 = 0x22;
    seL4_Error err = seL4_ARM_SMC_Call(ARM_SMC_CAP, &args, &resp);
    microkit_dbg_puts("caller: ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(": error ");
    microkit_dbg_put32(err);
    microkit_dbg_puts(", x0 ");
    put_hex(resp.x0);
    microkit_dbg_puts(", x1 ");
    put_hex(resp.x1);
    microkit_dbg_puts(", x2 ");
    put_hex(resp.x2);
    microkit_dbg_puts("\n");
}

void init(void)
{
    smc("PSCI_VERSION", 0x84000000, 0x11);
    smc("PSCI_FEATURES(PSCI_VERSION)", 0x8400000a, 0x84000000);
    smc("PSCI_FEATURES(PSCI_FEATURES)", 0x8400000a, 0x8400000a);
    smc("PSCI_FEATURES(MIGRATE_INFO_TYPE)", 0x8400000a, 0x84000006);
    smc("PSCI_FEATURES(an unknown PSCI function)", 0x8400000a, 0x8400001f);
    smc("MIGRATE_INFO_TYPE", 0x84000006, 0);
    smc("an unknown PSCI function", 0x8400001f, 0);
    microkit_dbg_puts("caller: done\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
