/* psci.c — the secure firmware of QEMU's virt board (aarch64) as a PD's SMC reaches it: QEMU's
 * PSCI emulation, which answers SMCs when the machine has virtualization on and no EL3 firmware,
 * as Microkit runs it (seL4 makes the SMC for a PD with smc="true", seL4_ARM_SMC_Call).
 *
 * It follows the PSCI specification (Arm DEN0022) and the SMC Calling Convention (Arm DEN0028):
 * the function id in x0, arguments in x1.., the result in x0, the other registers as they were.
 * What hostkit answers:
 *   PSCI_VERSION        1.1 (major << 16 | minor), the version seL4 on QEMU 7.2 reports
 *                       (tests/upstream/arm_smc.expected);
 *   PSCI_FEATURES       0 (implemented) for PSCI_VERSION, PSCI_FEATURES, MIGRATE_INFO_TYPE and
 *                       SYSTEM_OFF, NOT_SUPPORTED for any other function;
 *   MIGRATE_INFO_TYPE   2: no Trusted OS to migrate;
 *   SYSTEM_OFF          the board is off: nothing runs any more, and the run ends (QEMU exits);
 *   anything else       NOT_SUPPORTED (-1): the PSCI calls that power cores on and off or reset
 *                       the machine (CPU_ON, SYSTEM_RESET, ...) act on hardware hostkit's seL4 owns,
 *                       and other function ids have no service here (SMCCC's "unknown function").
 * seL4 on QEMU gives the same answers: tests/differential/smc_psci and smc_system_off. */
#include <stdbool.h>

#include "devices/device.h"

enum {
    PSCI_VERSION = 0x84000000u,
    PSCI_MIGRATE_INFO_TYPE = 0x84000006u,
    PSCI_SYSTEM_OFF = 0x84000008u,
    PSCI_FEATURES = 0x8400000au,
    PSCI_VERSION_1_1 = 1u << 16 | 1u,
    PSCI_TOS_NOT_PRESENT = 2,
};
#define PSCI_NOT_SUPPORTED ((uint64_t)-1) /* -1, sign-extended into x0 */

static bool implemented(uint64_t fid)
{
    return fid == PSCI_VERSION || fid == PSCI_FEATURES || fid == PSCI_MIGRATE_INFO_TYPE ||
           fid == PSCI_SYSTEM_OFF;
}

enum firmware_action psci_qemu_virt_smc(uint64_t x[8])
{
    switch (x[0]) {
    case PSCI_VERSION:
        x[0] = PSCI_VERSION_1_1;
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        x[0] = PSCI_TOS_NOT_PRESENT;
        break;
    case PSCI_FEATURES:
        x[0] = implemented(x[1]) ? 0 : PSCI_NOT_SUPPORTED;
        break;
    case PSCI_SYSTEM_OFF:
        return FIRMWARE_POWER_OFF;
    default:
        x[0] = PSCI_NOT_SUPPORTED;
        break;
    }
    return FIRMWARE_ANSWERED;
}
