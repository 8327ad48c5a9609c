/* kernel/gen_config.h — seL4's configuration as hostkit's SDK has it for board hostkit,
 * configuration debug, host architecture x86_64. Written by mk/sdk/gen-config.sh; docs/sdk.md says which
 * names are the board's (CONFIG_SEL4_ARCH, the platform, the kernel's features) and which the
 * host's (the CONFIG_ARCH_* a C file tests to pick instructions). */
#pragma once

#define CONFIG_SEL4_ARCH  x86_64
#define CONFIG_ARCH  x86
/* disabled: CONFIG_ARCH_AARCH32 */
/* disabled: CONFIG_ARCH_AARCH64 */
/* disabled: CONFIG_ARCH_ARM_HYP */
/* disabled: CONFIG_ARCH_RISCV32 */
/* disabled: CONFIG_ARCH_RISCV64 */
#define CONFIG_ARCH_X86_64  1
/* disabled: CONFIG_ARCH_IA32 */
/* disabled: CONFIG_ARCH_ARM */
/* disabled: CONFIG_ARCH_RISCV */
#define CONFIG_ARCH_X86  1
#define CONFIG_WORD_SIZE  64
#define CONFIG_HAVE_FPU  1
#define CONFIG_L1_CACHE_LINE_SIZE_BITS  6
/* disabled: CONFIG_ARCH_ARM_V8A */
/* disabled: CONFIG_EXPORT_PCNT_USER */
/* disabled: CONFIG_EXPORT_PTMR_USER */
/* disabled: CONFIG_EXPORT_PMU_USER */
/* disabled: CONFIG_AARCH64_USER_CACHE_ENABLE */
#define CONFIG_PLAT  hostkit
#define CONFIG_PLAT_HOSTKIT  1
#define CONFIG_KERNEL_MCS  1
#define CONFIG_ROOT_CNODE_SIZE_BITS  17
#define CONFIG_NUM_PRIORITIES  256
#define CONFIG_RETYPE_FAN_OUT_LIMIT  256
#define CONFIG_FASTPATH  1
#define CONFIG_MAX_NUM_NODES  1
/* disabled: CONFIG_ENABLE_SMP_SUPPORT */
#define CONFIG_NUM_DOMAINS  16
/* disabled: CONFIG_ARM_HYPERVISOR_SUPPORT */
/* disabled: CONFIG_ALLOW_SMC_CALLS */
/* disabled: CONFIG_ARM_PA_SIZE_BITS_40 */
/* disabled: CONFIG_IOMMU */
/* disabled: CONFIG_VTX */
#define CONFIG_IRQ_IOAPIC  1
#define CONFIG_DEBUG_BUILD  1
#define CONFIG_PRINTING  1
#define CONFIG_HARDWARE_DEBUG_API  1
#define CONFIG_IRQ_REPORTING  1
#define CONFIG_COLOUR_PRINTING  1
#define CONFIG_USER_STACK_TRACE_LENGTH  16
/* disabled: CONFIG_VERIFICATION_BUILD */
/* disabled: CONFIG_SIGNAL_FASTPATH */
#define CONFIG_NO_BENCHMARKS  1
/* disabled: CONFIG_ENABLE_BENCHMARKS */
/* disabled: CONFIG_BENCHMARK_TRACK_UTILISATION */
#define CONFIG_KERNEL_BENCHMARK  none
#define CONFIG_MAX_NUM_TRACE_POINTS  0
