/* psci.c — the secure firmware of QEMU's virt board (aarch64) as a PD's SMC reaches it: QEMU's
 * PSCI emulation, which answers SMCs when the machine has virtualization on and no EL3 firmware,
 * as Microkit runs it (seL4 makes the SMC for a PD with smc="true", seL4_ARM_SMC_Call).
 *
 * It follows the PSCI specification (Arm DEN0022) and the SMC Calling Convention (Arm DEN0028):
 * the function id in x0, arguments in x1.., the result in x0, the other registers as they were.
 * What hostkit answers:
 *   PSCI_VERSION        1.1 (major << 16 | minor), the version seL4 on QEMU 7.2 reports
 *                       (tests/upstream/arm_smc.expected);
 *   PSCI_FEATURES       0 (implemented) for PSCI_VERSION, PSCI_FEATURES and MIGRATE_INFO_TYPE,
 *                       NOT_SUPPORTED for any other function;
 *   MIGRATE_INFO_TYPE   2: no Trusted OS to migrate;
 *   anything else       NOT_SUPPORTED (-1): the PSCI calls that power cores or the machine on and
 *                       off (CPU_ON, SYSTEM_OFF, ...) act on hardware hostkit's seL4 owns, and
 *                       other function ids have no service here (SMCCC's "unknown function"). */
#include "devices/device.h"

enum {
    PSCI_VERSION = 0x84000000u,
    PSCI_MIGRATE_INFO_TYPE = 0x84000006u,
    PSCI_FEATURES = 0x8400000au,
    PSCI_VERSION_1_1 = 1u << 16 | 1u,
    PSCI_TOS_NOT_PRESENT = 2,
};
#define PSCI_NOT_SUPPORTED ((uint64_t)-1) /* -1, sign-extended into x0 */

void psci_qemu_virt_smc(uint64_t x[8])
{
    switch (x[0]) {
    case PSCI_VERSION: x[0] = PSCI_VERSION_1_1; break;
    case PSCI_MIGRATE_INFO_TYPE: x[0] = PSCI_TOS_NOT_PRESENT; break;
    case PSCI_FEATURES:
        x[0] = x[1] == PSCI_VERSION || x[1] == PSCI_FEATURES || x[1] == PSCI_MIGRATE_INFO_TYPE ? 0 : PSCI_NOT_SUPPORTED;
        break;
    default: x[0] = PSCI_NOT_SUPPORTED; break;
    }
}
