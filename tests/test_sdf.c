/* test_sdf.c — the system-description parser and checker (sdf_load) and `hostkit check`.
 *
 * Every rule has its own small file under tests/sdf/ (named after the rule) and the exact message
 * the Microkit tool words for it; the table below lists them. Further tests build the inputs that
 * cannot live in a file comfortably (NUL bytes, bad UTF-8, deep nesting, a large system) and
 * look at the structure sdf_load fills. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdf/sdf.h"
#include "testutil.h"

struct rule_case {
    const char *name;            /* tests/sdf/NAME.system */
    enum sdf_arch arch;
    unsigned cores;
    bool iommu, hypervisor;
    const char *message;         /* NULL: valid */
};

static const struct rule_case cases[] = {
    { "valid_full", SDF_AARCH64, 1, true, true,
      NULL },
    { "valid_vm", SDF_AARCH64, 1, true, true,
      NULL },
    { "valid_x86", SDF_X86_64, 1, true, true,
      NULL },
    { "valid_domains", SDF_AARCH64, 1, true, true,
      NULL },
    { "valid_prefill", SDF_AARCH64, 1, true, true,
      NULL },
    { "valid_multicore", SDF_AARCH64, 4, true, true,
      NULL },
    { "number_invalid_digit", SDF_AARCH64, 1, true, true,
      "failed to parse integer '0x1g00' on element 'memory_region': invalid digit found in string: number_invalid_digit.system:2:3" },
    { "number_empty", SDF_AARCH64, 1, true, true,
      "failed to parse integer '' on element 'memory_region': cannot parse integer from empty string: number_empty.system:2:3" },
    { "number_too_large", SDF_AARCH64, 1, true, true,
      "failed to parse integer '0x1_0000_0000_0000_0000' on element 'memory_region': number too large to fit in target type: number_too_large.system:2:3" },
    { "number_negative", SDF_AARCH64, 1, true, true,
      "failed to parse integer '-1' on element 'protection_domain': invalid digit found in string: number_negative.system:2:3" },
    { "number_uppercase_hex_prefix", SDF_AARCH64, 1, true, true,
      "failed to parse integer '0X10' on element 'protection_domain': invalid digit found in string: number_uppercase_hex_prefix.system:2:3" },
    { "mr_invalid_attribute", SDF_AARCH64, 1, true, true,
      "invalid attribute 'colour' on element 'memory_region': mr_invalid_attribute.system:2:3" },
    { "mr_missing_name", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'name' on element 'memory_region': mr_missing_name.system:2:3" },
    { "mr_name_too_long", SDF_AARCH64, 1, true, true,
      "name 'mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm' is too long, the maximum is 63 characters on element 'memory_region': mr_name_too_long.system:2:3" },
    { "mr_page_size_unsupported", SDF_AARCH64, 1, true, true,
      "page size 0x3000 not supported on element 'memory_region': mr_page_size_unsupported.system:2:3" },
    { "mr_size_not_page_multiple", SDF_AARCH64, 1, true, true,
      "size is not a multiple of the page size on element 'memory_region': mr_size_not_page_multiple.system:2:3" },
    { "mr_phys_addr_unaligned", SDF_AARCH64, 1, true, true,
      "phys_addr is not aligned to the page size on element 'memory_region': mr_phys_addr_unaligned.system:2:3" },
    { "mr_missing_size", SDF_AARCH64, 1, true, true,
      "size must be specified if memory region is not prefilled on element 'memory_region': mr_missing_size.system:2:3" },
    { "mr_prefill_not_found", SDF_AARCH64, 1, true, true,
      "unable to find prefill file: 'no-such-file.bin' on element 'memory_region': mr_prefill_not_found.system:2:3" },
    { "mr_prefill_empty", SDF_AARCH64, 1, true, true,
      "prefill file 'empty.bin' is empty on element 'memory_region': mr_prefill_empty.system:2:3" },
    { "mr_prefill_exceeds_size", SDF_AARCH64, 1, true, true,
      "size of prefill file exceeds memory region size: 1388 > 1000 on element 'memory_region': mr_prefill_exceeds_size.system:2:3" },
    { "mr_prefill_and_bootinfo", SDF_AARCH64, 1, true, true,
      "prefill_path and prefill_bootinfo cannot be both specified on element 'memory_region': mr_prefill_and_bootinfo.system:2:3" },
    { "mr_bootinfo_unknown", SDF_AARCH64, 1, true, true,
      "BootInfoMap type: 'acpi' is not supported on element 'memory_region': mr_bootinfo_unknown.system:2:3" },
    { "mr_duplicate_name", SDF_AARCH64, 1, true, true,
      "duplicate memory region name 'm'." },
    { "mr_phys_overlap", SDF_AARCH64, 1, true, true,
      "memory region 'high' physical address range [0x12000..0x13000) overlaps with another memory region 'low' [0x10000..0x13000) @ mr_phys_overlap.system:4:3" },
    { "pd_invalid_attribute", SDF_AARCH64, 1, true, true,
      "invalid attribute 'colour' on element 'protection_domain': pd_invalid_attribute.system:2:3" },
    { "pd_missing_name", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'name' on element 'protection_domain': pd_missing_name.system:2:3" },
    { "pd_name_too_long", SDF_AARCH64, 1, true, true,
      "name 'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp' is too long, the maximum is 63 characters on element 'protection_domain': pd_name_too_long.system:2:3" },
    { "pd_priority_too_high", SDF_AARCH64, 1, true, true,
      "priority must be between 0 and 254 on element 'protection_domain': pd_priority_too_high.system:2:3" },
    { "pd_budget_exceeds_period", SDF_AARCH64, 1, true, true,
      "budget (2000) must be less than, or equal to, period (1000) on element 'protection_domain': pd_budget_exceeds_period.system:2:3" },
    { "pd_period_defaults_to_budget", SDF_AARCH64, 1, true, true,
      NULL },
    { "pd_passive_not_bool", SDF_AARCH64, 1, true, true,
      "passive must be 'true' or 'false' on element 'protection_domain': pd_passive_not_bool.system:2:3" },
    { "pd_stack_too_small", SDF_AARCH64, 1, true, true,
      "stack size must be between 0x1000 bytes and 0x1000000 bytes on element 'protection_domain': pd_stack_too_small.system:2:3" },
    { "pd_stack_too_big", SDF_AARCH64, 1, true, true,
      "stack size must be between 0x1000 bytes and 0x1000000 bytes on element 'protection_domain': pd_stack_too_big.system:2:3" },
    { "pd_stack_unaligned", SDF_AARCH64, 1, true, true,
      "stack size must be aligned to the smallest page size, 4096 bytes on element 'protection_domain': pd_stack_unaligned.system:2:3" },
    { "pd_cpu_out_of_range", SDF_AARCH64, 1, true, true,
      "cpu core must be less than 1, got 1 on element 'protection_domain': pd_cpu_out_of_range.system:2:3" },
    { "pd_fpu_not_bool", SDF_AARCH64, 1, true, true,
      "fpu must be 'true' or 'false' on element 'protection_domain': pd_fpu_not_bool.system:2:3" },
    { "pd_smc_not_bool", SDF_AARCH64, 1, true, true,
      "smc must be 'true' or 'false' on element 'protection_domain': pd_smc_not_bool.system:2:3" },
    { "pd_smc_not_arm", SDF_RISCV64, 1, true, true,
      "ARM SMC forwarding support is not available for this architecture" },
    { "pd_missing_program_image", SDF_AARCH64, 1, true, true,
      "missing 'program_image' element on protection_domain: 'a'" },
    { "pd_program_image_twice", SDF_AARCH64, 1, true, true,
      "program_image must only be specified once on element 'protection_domain': pd_program_image_twice.system:2:3" },
    { "pd_program_image_missing_path", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'path' on element 'program_image': pd_program_image_missing_path.system:3:5" },
    { "pd_program_image_invalid_attribute", SDF_AARCH64, 1, true, true,
      "invalid attribute 'entry' on element 'program_image': pd_program_image_invalid_attribute.system:3:5" },
    { "pd_unknown_child_element", SDF_AARCH64, 1, true, true,
      "Invalid XML element 'thread': pd_unknown_child_element.system:4:5" },
    { "pd_duplicate_name", SDF_AARCH64, 1, true, true,
      "duplicate protection domain name 'a'." },
    { "pd_monitor_name", SDF_AARCH64, 1, true, true,
      "the PD name 'monitor' is reserved for the Microkit Monitor." },
    { "pd_too_many", SDF_AARCH64, 1, true, true,
      "too many protection domains (64) defined. Maximum is 63." },
    { "pd_none", SDF_AARCH64, 1, true, true,
      "at least one protection domain must be defined" },
    { "pd_top_level_id", SDF_AARCH64, 1, true, true,
      "invalid attribute 'id' on element 'protection_domain': pd_top_level_id.system:2:3" },
    { "pd_child_missing_id", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'id' on element 'protection_domain': pd_child_missing_id.system:4:5" },
    { "pd_child_id_too_big", SDF_AARCH64, 1, true, true,
      "id must be < 62 on element 'protection_domain': pd_child_id_too_big.system:4:5" },
    { "pd_child_duplicate_id", SDF_AARCH64, 1, true, true,
      "duplicate id: 1 in protection domain: 'a' @ pd_child_duplicate_id.system:7:5" },
    { "pd_child_id_clashes_vcpu", SDF_AARCH64, 1, true, true,
      "duplicate id: 4 clashes with virtual machine vcpu id in protection domain: 'a' @ pd_child_id_clashes_vcpu.system:4:5" },
    { "pd_child_setvar_id_duplicate", SDF_AARCH64, 1, true, true,
      "setvar on symbol 'sym' already exists on element 'protection_domain': pd_child_setvar_id_duplicate.system:5:5" },
    { "map_missing_mr", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'mr' on element 'map': map_missing_mr.system:5:5" },
    { "map_missing_vaddr", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'vaddr' on element 'map': map_missing_vaddr.system:5:5" },
    { "map_invalid_attribute", SDF_AARCH64, 1, true, true,
      "invalid attribute 'size' on element 'map': map_invalid_attribute.system:5:5" },
    { "map_unknown_mr", SDF_AARCH64, 1, true, true,
      "invalid memory region name 'n' on 'map' @ map_unknown_mr.system:5:5" },
    { "map_unaligned", SDF_AARCH64, 1, true, true,
      "invalid vaddr alignment on 'map' @ map_unaligned.system:5:5" },
    { "map_vaddr_too_high", SDF_AARCH64, 1, true, true,
      "vaddr (0xffffffc000) must be less than 0xffffffc000 on element 'map': map_vaddr_too_high.system:5:5" },
    { "map_vaddr_too_high_riscv", SDF_RISCV64, 1, true, true,
      "vaddr (0x4000000000) must be less than 0x3fffffb000 on element 'map': map_vaddr_too_high_riscv.system:5:5" },
    { "map_range_too_high", SDF_AARCH64, 1, true, true,
      "map for 'm' has virtual address range [0xffffffa000..0xffffffe000) which exceeds valid address space [0x0..0xffffffc000) @ map_range_too_high.system:5:5" },
    { "map_overlap", SDF_AARCH64, 1, true, true,
      "map for 'm2' has virtual address range [0x1002000..0x1003000) which overlaps with map for 'm1' [0x1000000..0x1003000) in protection domain 'a' @ map_overlap.system:8:5" },
    { "map_perms_invalid", SDF_AARCH64, 1, true, true,
      "perms must only be a combination of 'r', 'w', and 'x' on element 'map': map_perms_invalid.system:5:5" },
    { "map_perms_write_only", SDF_AARCH64, 1, true, true,
      "perms must not be 'w', write-only mappings are not allowed on element 'map': map_perms_write_only.system:5:5" },
    { "map_cached_not_bool", SDF_AARCH64, 1, true, true,
      "cached must be 'true' or 'false' on element 'map': map_cached_not_bool.system:5:5" },
    { "map_setvar_duplicate", SDF_AARCH64, 1, true, true,
      "setvar on symbol 'x' already exists on element 'map': map_setvar_duplicate.system:5:5" },
    { "setvar_missing_symbol", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'symbol' on element 'setvar': setvar_missing_symbol.system:5:5" },
    { "setvar_duplicate_symbol", SDF_AARCH64, 1, true, true,
      "setvar on symbol 'p' already exists on element 'setvar': setvar_duplicate_symbol.system:6:5" },
    { "setvar_unknown_region", SDF_AARCH64, 1, true, true,
      "invalid memory region name 'n' on 'setvar' @ setvar_unknown_region.system:5:5" },
    { "setvar_region_paddr_x86_without_phys", SDF_X86_64, 1, true, true,
      "setvar with 'region_paddr' for MR without a specified paddr is unsupported on x86-64 @ 'm' setvar_region_paddr_x86_without_phys.system:2:3" },
    { "setvar_prefill_size_without_prefill", SDF_AARCH64, 1, true, true,
      "'setvar_prefill_size' used for MR without a `prefill_path` @ 'm' setvar_prefill_size_without_prefill.system:2:3" },
    { "irq_missing_irq", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'irq' on element 'irq': irq_missing_irq.system:4:5" },
    { "irq_missing_id", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'id' on element 'irq': irq_missing_id.system:4:5" },
    { "irq_id_too_big", SDF_AARCH64, 1, true, true,
      "id must be < 62 on element 'irq': irq_id_too_big.system:4:5" },
    { "irq_id_negative", SDF_AARCH64, 1, true, true,
      "id must be >= 0 on element 'irq': irq_id_negative.system:4:5" },
    { "irq_id_not_a_number", SDF_AARCH64, 1, true, true,
      "failed to parse integer '0x1' on element 'irq': invalid digit found in string: irq_id_not_a_number.system:4:5" },
    { "irq_trigger_invalid", SDF_AARCH64, 1, true, true,
      "trigger must be either 'level' or 'edge' on element 'irq': irq_trigger_invalid.system:4:5" },
    { "irq_invalid_attribute", SDF_AARCH64, 1, true, true,
      "invalid attribute 'polarity' on element 'irq': irq_invalid_attribute.system:4:5" },
    { "irq_duplicate_number", SDF_AARCH64, 1, true, true,
      "duplicate irq: 7 in protection domain: 'b' @ irq_duplicate_number.system:6:3" },
    { "irq_duplicate_id", SDF_AARCH64, 1, true, true,
      "duplicate channel id: 1 in protection domain: 'a' @ irq_duplicate_id.system:2:3" },
    { "irq_ioapic_on_arm", SDF_AARCH64, 1, true, true,
      "x86 I/O APIC IRQ isn't supported on ARM and RISC-V on element 'irq': irq_ioapic_on_arm.system:4:5" },
    { "irq_msi_on_riscv", SDF_RISCV64, 1, true, true,
      "x86 MSI IRQ isn't supported on ARM and RISC-V on element 'irq': irq_msi_on_riscv.system:4:5" },
    { "irq_conventional_on_x86", SDF_X86_64, 1, true, true,
      "ARM and RISC-V IRQs are not supported on x86 on element 'irq': irq_conventional_on_x86.system:4:5" },
    { "irq_x86_missing_kind", SDF_X86_64, 1, true, true,
      "Missing required attribute 'pin' on element 'irq': irq_x86_missing_kind.system:4:5" },
    { "irq_ioapic_negative", SDF_X86_64, 1, true, true,
      "ioapic must be >= 0 on element 'irq': irq_ioapic_negative.system:4:5" },
    { "irq_ioapic_pin_negative", SDF_X86_64, 1, true, true,
      "pin must be >= 0 on element 'irq': irq_ioapic_pin_negative.system:4:5" },
    { "irq_ioapic_vector_too_big", SDF_X86_64, 1, true, true,
      "vector must be within [0..107] on element 'irq': irq_ioapic_vector_too_big.system:4:5" },
    { "irq_ioapic_missing_vector", SDF_X86_64, 1, true, true,
      "Missing required attribute 'vector' on element 'irq': irq_ioapic_missing_vector.system:4:5" },
    { "irq_ioapic_polarity_invalid", SDF_X86_64, 1, true, true,
      "polarity must be either 'low' or 'high' on element 'irq': irq_ioapic_polarity_invalid.system:4:5" },
    { "irq_ioapic_trigger_invalid", SDF_X86_64, 1, true, true,
      "trigger must be either 'level' or 'edge' on element 'irq': irq_ioapic_trigger_invalid.system:4:5" },
    { "irq_msi_malformed", SDF_X86_64, 1, true, true,
      "expected PCI address in bus:device.function form on element 'irq': irq_msi_malformed.system:4:5" },
    { "irq_msi_bus_unparsable", SDF_X86_64, 1, true, true,
      "failed to parse PCI bus on element 'irq': irq_msi_bus_unparsable.system:4:5" },
    { "irq_msi_bus_too_big", SDF_X86_64, 1, true, true,
      "PCI bus must be within [0..255] on element 'irq': irq_msi_bus_too_big.system:4:5" },
    { "irq_msi_device_too_big", SDF_X86_64, 1, true, true,
      "PCI device must be within [0..31] on element 'irq': irq_msi_device_too_big.system:4:5" },
    { "irq_msi_function_too_big", SDF_X86_64, 1, true, true,
      "PCI function must be within [0..7] on element 'irq': irq_msi_function_too_big.system:4:5" },
    { "irq_msi_handle_negative", SDF_X86_64, 1, true, true,
      "handle must be >= 0 on element 'irq': irq_msi_handle_negative.system:4:5" },
    { "irq_msi_vector_negative", SDF_X86_64, 1, true, true,
      "vector must be within [0..107] on element 'irq': irq_msi_vector_negative.system:4:5" },
    { "irq_x86_duplicate_vector", SDF_X86_64, 1, true, true,
      "duplicate irq: 9 in protection domain: 'a' @ irq_x86_duplicate_vector.system:2:3" },
    { "irq_ioapic_duplicate_pin", SDF_X86_64, 1, true, true,
      "duplicate I/O APIC pin: ioapic 0 pin 2 in protection domain: 'b' @ irq_ioapic_duplicate_pin.system:8:5" },
    { "irq_msi_duplicate_device", SDF_X86_64, 1, true, true,
      "duplicate MSI PCI device: 00:01.2 in protection domain: 'a' @ irq_msi_duplicate_device.system:5:5" },
    { "xml_text_after_comment", SDF_AARCH64, 1, true, true,
      "unexpected text found in element 'system' @ xml_text_after_comment.system:7:13" },
    { "ioport_on_arm", SDF_AARCH64, 1, true, true,
      "I/O Ports are only available on x86 on element 'protection_domain': ioport_on_arm.system:2:3" },
    { "ioport_size_zero", SDF_X86_64, 1, true, true,
      "size must be > 0 on element 'ioport': ioport_size_zero.system:4:5" },
    { "ioport_missing_addr", SDF_X86_64, 1, true, true,
      "Missing required attribute 'addr' on element 'ioport': ioport_missing_addr.system:4:5" },
    { "ioport_id_too_big", SDF_X86_64, 1, true, true,
      "id must be < 62 on element 'ioport': ioport_id_too_big.system:4:5" },
    { "ioport_duplicate_id", SDF_X86_64, 1, true, true,
      "duplicate I/O port id: 1 in protection domain: 'a' @ ioport_duplicate_id.system:2:3" },
    { "ioport_overlap", SDF_X86_64, 1, true, true,
      "I/O port id: 2, half-open range: [0x3fc, 0x3fe) in protection domain: 'a' @ ioport_overlap.system:2:3 overlaps with I/O port id: 1, half-open range: [0x3f8, 0x400) in protection domain: 'a' @ ioport_overlap.system:2:3" },
    { "ch_unknown_pd", SDF_AARCH64, 1, true, true,
      "invalid PD name 'c' on element 'end': ch_unknown_pd.system:10:5" },
    { "ch_missing_pd", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'pd' on element 'end': ch_missing_pd.system:9:5" },
    { "ch_invalid_attribute", SDF_AARCH64, 1, true, true,
      "invalid attribute 'name' on element 'channel': ch_invalid_attribute.system:8:3" },
    { "ch_end_invalid_attribute", SDF_AARCH64, 1, true, true,
      "invalid attribute 'badge' on element 'end': ch_end_invalid_attribute.system:9:5" },
    { "ch_not_an_end", SDF_AARCH64, 1, true, true,
      "invalid XML element 'start': ch_not_an_end.system:10:5" },
    { "ch_one_end", SDF_AARCH64, 1, true, true,
      "exactly two end elements must be specified on element 'channel': ch_one_end.system:8:3" },
    { "ch_three_ends", SDF_AARCH64, 1, true, true,
      "exactly two end elements must be specified on element 'channel': ch_three_ends.system:8:3" },
    { "ch_id_too_big", SDF_AARCH64, 1, true, true,
      "id must be < 62 on element 'end': ch_id_too_big.system:9:5" },
    { "ch_id_negative", SDF_AARCH64, 1, true, true,
      "id must be >= 0 on element 'end': ch_id_negative.system:10:5" },
    { "ch_pp_not_bool", SDF_AARCH64, 1, true, true,
      "pp must be 'true' or 'false' on element 'end': ch_pp_not_bool.system:9:5" },
    { "ch_notify_not_bool", SDF_AARCH64, 1, true, true,
      "notify must be 'true' or 'false' on element 'end': ch_notify_not_bool.system:9:5" },
    { "ch_pp_both_ends", SDF_AARCH64, 1, true, true,
      "cannot ppc bidirectionally on element 'channel': ch_pp_both_ends.system:8:3" },
    { "ch_ppc_same_priority", SDF_AARCH64, 1, true, true,
      "PPCs must be to protection domains of strictly higher priorities; channel with PPC exists from pd b (priority: 5) to pd a (priority: 5)" },
    { "ch_ppc_lower_priority", SDF_AARCH64, 1, true, true,
      "PPCs must be to protection domains of strictly higher priorities; channel with PPC exists from pd b (priority: 2) to pd a (priority: 1)" },
    { "ch_duplicate_id", SDF_AARCH64, 1, true, true,
      "duplicate channel id: 1 in protection domain: 'b' @ ch_duplicate_id.system:5:3" },
    { "ch_id_clashes_irq", SDF_AARCH64, 1, true, true,
      "duplicate channel id: 3 in protection domain: 'a' @ ch_id_clashes_irq.system:2:3" },
    { "ch_setvar_duplicate", SDF_AARCH64, 1, true, true,
      "setvar on symbol 'x' already exists on element 'channel': ch_setvar_duplicate.system:12:3" },
    { "vm_not_child", SDF_AARCH64, 1, true, true,
      "virtual machine must be a child of a protection domain: vm_not_child.system:5:3" },
    { "vm_missing_vcpu", SDF_AARCH64, 1, true, true,
      "missing 'vcpu' element on virtual_machine: 'guest'" },
    { "vm_missing_name", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'name' on element 'virtual_machine': vm_missing_name.system:4:5" },
    { "vm_twice", SDF_AARCH64, 1, true, true,
      "virtual_machine must only be specified once on element 'protection_domain': vm_twice.system:2:3" },
    { "vm_vcpu_id_too_big", SDF_AARCH64, 1, true, true,
      "id must be < 62 on element 'vcpu': vm_vcpu_id_too_big.system:5:7" },
    { "vm_vcpu_duplicate", SDF_AARCH64, 1, true, true,
      "duplicate vcpu id 1 in virtual machine 'guest' @ vm_vcpu_duplicate.system:6:7" },
    { "vm_vcpu_cpu_out_of_range", SDF_AARCH64, 2, true, true,
      "cpu core must be less than 2, got 2 on element 'vcpu': vm_vcpu_cpu_out_of_range.system:5:7" },
    { "vm_priority_on_x86", SDF_X86_64, 1, true, true,
      "invalid attribute 'priority' on element 'virtual_machine': vm_priority_on_x86.system:4:5" },
    { "vm_unknown_element", SDF_AARCH64, 1, true, true,
      "invalid XML element 'irq': vm_unknown_element.system:6:7" },
    { "vm_map_unknown_mr", SDF_AARCH64, 1, true, true,
      "invalid memory region name 'ram' on 'map' @ vm_map_unknown_mr.system:6:7" },
    { "vm_map_setvar", SDF_AARCH64, 1, true, true,
      "invalid attribute 'setvar_vaddr' on element 'map': vm_map_setvar.system:7:7" },
    { "vm_duplicate_name", SDF_AARCH64, 1, true, true,
      "duplicate virtual machine name 'guest'." },
    { "vm_without_hypervisor", SDF_AARCH64, 1, true, false,
      "seL4 has not been built as a hypervisor, virtual machines are disabled on element 'protection_domain': vm_without_hypervisor.system:2:3" },
    { "vm_x86_with_children", SDF_X86_64, 1, true, true,
      "It is not possible for PD 'a' with a bound vCPU to have children on x86_64: vm_x86_with_children.system:2:3" },
    { "vm_x86_ppc_to_vmm", SDF_X86_64, 1, true, true,
      "It is not possible to PPC to PD 'vmm' with a bound vCPU from PD 'user' on x86_64 @ vm_x86_ppc_to_vmm.system:8:3" },
    { "cspace_slot_zero", SDF_AARCH64, 1, true, true,
      "The destination slot 0 has been reserved for Microkit CNode on element 'cap_tcb': cspace_slot_zero.system:8:7" },
    { "cspace_slot_too_big", SDF_AARCH64, 1, true, true,
      "There are only 128 destination cspace slots available. on element 'cap_tcb': cspace_slot_too_big.system:8:7" },
    { "cspace_unknown_cap", SDF_AARCH64, 1, true, true,
      "Cap type: 'notification' is not supported at 'cspace_unknown_cap.system:8:7'" },
    { "cspace_unknown_element", SDF_AARCH64, 1, true, true,
      "Element 'slot' is not supported in a <cspace> element at 'cspace_unknown_element.system:8:7'" },
    { "cspace_unknown_pd", SDF_AARCH64, 1, true, true,
      "unknown PD name 'z': cspace_unknown_pd.system:8:7" },
    { "cspace_missing_slot", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'slot' on element 'cap_sc': cspace_missing_slot.system:8:7" },
    { "cspace_twice", SDF_AARCH64, 1, true, true,
      "cspace must only be specified once on element 'protection_domain': cspace_twice.system:5:3" },
    { "cspace_slot_overlap", SDF_AARCH64, 1, true, true,
      "overlapping user caps in slot 5 of protection domain 'b':\n  type Tcb from 'a' at 'cspace_slot_overlap.system:8:7'\n  type Sc from 'b' at 'cspace_slot_overlap.system:9:7'" },
    { "domains_missing_schedule", SDF_AARCH64, 1, true, true,
      "The <domain_schedule> element must appear once on element 'domains': domains_missing_schedule.system:2:3" },
    { "domains_twice", SDF_AARCH64, 1, true, true,
      "domains must only be specified once on element 'domains': domains_twice.system:8:3" },
    { "domains_schedule_twice", SDF_AARCH64, 1, true, true,
      "The <domain_schedule> element can only appear once on element 'domain_schedule': domains_schedule_twice.system:7:5" },
    { "domains_unknown_element", SDF_AARCH64, 1, true, true,
      "invalid XML element as child of <domains> 'slot': domains_unknown_element.system:4:5" },
    { "domains_multicore", SDF_AARCH64, 2, true, true,
      "The domain scheduler is not supported in multicore builds of seL4" },
    { "domain_duplicate_name", SDF_AARCH64, 1, true, true,
      "Each <domain>'s name element must be unique found existing domain 'd1' with id 'Some(2)' on element 'domain': domain_duplicate_name.system:4:5" },
    { "domain_duplicate_id", SDF_AARCH64, 1, true, true,
      "Each <domain>'s id element must be unique found existing domain 'd1' with id '2' on element 'domain': domain_duplicate_id.system:4:5" },
    { "domain_id_too_big", SDF_AARCH64, 1, true, true,
      "domain id 16 should be less than the configured KernelNumDomains value of 16 on element 'domain': domain_id_too_big.system:3:5" },
    { "domain_too_many", SDF_AARCH64, 1, true, true,
      "Number of domains exceeds 16 on element 'domains': domain_too_many.system:2:3" },
    { "domain_pd_missing", SDF_AARCH64, 1, true, true,
      "Missing required attribute 'domain' on element 'protection_domain': domain_pd_missing.system:8:3" },
    { "domain_pd_undeclared", SDF_AARCH64, 1, true, true,
      "domain 'd9' not declared in <domains>: on element 'protection_domain': domain_pd_undeclared.system:8:3" },
    { "domain_without_domains", SDF_AARCH64, 1, true, true,
      "Specifying a domain 'd1' without declaring a domain schedule is not allowed: on element 'protection_domain': domain_without_domains.system:2:3" },
    { "schedule_unknown_domain", SDF_AARCH64, 1, true, true,
      "domain 'd2' does not exist, on element 'schedule_entry': schedule_unknown_domain.system:5:7" },
    { "schedule_duration_without_unit", SDF_AARCH64, 1, true, true,
      "The duration '100' must contain a value and a unit, e.g. '1000 us' on element 'schedule_entry': schedule_duration_without_unit.system:5:7" },
    { "schedule_duration_zero", SDF_AARCH64, 1, true, true,
      "The duration '0 ticks' must be non-zero on element 'schedule_entry': schedule_duration_zero.system:5:7" },
    { "schedule_duration_bad_unit", SDF_AARCH64, 1, true, true,
      "The duration '5 ms' must be in either 'ticks' or 'us' on element 'schedule_entry': schedule_duration_bad_unit.system:5:7" },
    { "schedule_duration_bad_number", SDF_AARCH64, 1, true, true,
      "failed to parse integer 'five' on element 'schedule_entry': invalid digit found in string: schedule_duration_bad_number.system:5:7" },
    { "schedule_start_index_too_big", SDF_AARCH64, 1, true, true,
      "schedule_start_index '2' is greater than the length of the schedule '2' on element 'domain_schedule': schedule_start_index_too_big.system:4:5" },
    { "schedule_index_shift_too_big", SDF_AARCH64, 1, true, true,
      "schedule_index_shift '0' on top of the schedule length '2' would exceed than the configured KernelNumDomainSchedules 100 on element 'domain_schedule': schedule_index_shift_too_big.system:4:5" },
    { "schedule_too_long", SDF_AARCH64, 1, true, true,
      "More than configured KernelNumDomainSchedules 100 number of <schedule_entry> elements found" },
    { "schedule_unknown_element", SDF_AARCH64, 1, true, true,
      "invalid XML element as child of <domain_schedule> 'pause': schedule_unknown_element.system:6:7" },
    { "schedule_invalid_attribute", SDF_AARCH64, 1, true, true,
      "invalid attribute 'loop' on element 'domain_schedule': schedule_invalid_attribute.system:4:5" },
    { "iommu_not_configured", SDF_X86_64, 1, false, true,
      "io address space requires seL4 to be built with IOMMU support: iommu_not_configured.system:3:3" },
    { "iommu_on_riscv", SDF_RISCV64, 1, true, true,
      "failed to parse device peripheral_id '0:1.0': IOMMU device identifiers are not supported on RISC-V (64-bit) on element 'io_address_space': iommu_on_riscv.system:3:3" },
    { "iommu_missing_domain_id", SDF_X86_64, 1, true, true,
      "Missing required attribute 'domain_id' on element 'io_address_space': iommu_missing_domain_id.system:3:3" },
    { "iommu_peripheral_malformed", SDF_X86_64, 1, true, true,
      "failed to parse device peripheral_id '0-1-0': expected PCI address in bus:device.function form on element 'io_address_space': iommu_peripheral_malformed.system:3:3" },
    { "iommu_peripheral_function_too_big", SDF_X86_64, 1, true, true,
      "failed to parse device peripheral_id '0:1.9': PCI function must be within [0..7] on element 'io_address_space': iommu_peripheral_function_too_big.system:3:3" },
    { "iommu_duplicate_name", SDF_X86_64, 1, true, true,
      "duplicate name 'dev' on element 'io_address_space': iommu_duplicate_name.system:6:3" },
    { "iommu_duplicate_device", SDF_X86_64, 1, true, true,
      "duplicate device peripheral_id 'PCI device 00:01.0' on element 'io_address_space': iommu_duplicate_device.system:6:3" },
    { "iommu_duplicate_domain_id", SDF_X86_64, 1, true, true,
      "reusing a domain id is forbidden on element 'io_address_space': iommu_duplicate_domain_id.system:6:3" },
    { "iommu_unknown_element", SDF_X86_64, 1, true, true,
      "invalid XML element 'map': iommu_unknown_element.system:4:5" },
    { "iomap_iovaddr_too_high", SDF_X86_64, 1, true, true,
      "iovaddr (0x8000000000) must be less than 0x8000000000 on element 'iomap': iomap_iovaddr_too_high.system:4:5" },
    { "iomap_perms_invalid", SDF_X86_64, 1, true, true,
      "perms for io mapped memory must only be a combination of 'r' and 'w' on element 'iomap': iomap_perms_invalid.system:4:5" },
    { "iomap_unknown_mr", SDF_X86_64, 1, true, true,
      "invalid memory region name 'dmb' on 'iomap' @ iomap_unknown_mr.system:4:5" },
    { "iomap_unaligned", SDF_X86_64, 1, true, true,
      "invalid iovaddr alignment on 'iomap' @ iomap_unaligned.system:4:5" },
    { "iomap_exceeds", SDF_X86_64, 1, true, true,
      "iomap for 'dma' has io address range [0x7ffffff000..0x8000001000) which exceeds valid address space [0x0..0x8000000000) @ iomap_exceeds.system:4:5" },
    { "iomap_overlap", SDF_X86_64, 1, true, true,
      "map for 'dma' has io address range [0x1000..0x3000) which overlaps with map for 'dma' [0x0..0x2000) in PCI device 00:01.0 @ iomap_overlap.system:5:5" },
    { "iomap_large_page", SDF_X86_64, 1, true, true,
      "currently seL4 does not have large page support for the IOMMU" },
    { "xml_dtd", SDF_AARCH64, 1, true, true,
      "Could not parse 'xml_dtd.system': XML with DTD detected (DTDs and entity declarations are not allowed): xml_dtd.system:2:18" },
    { "xml_external_entity", SDF_AARCH64, 1, true, true,
      "Could not parse 'xml_external_entity.system': XML with DTD detected (DTDs and entity declarations are not allowed): xml_external_entity.system:2:45" },
    { "xml_undefined_entity", SDF_AARCH64, 1, true, true,
      "Could not parse 'xml_undefined_entity.system': undefined entity: xml_undefined_entity.system:2:3" },
    { "xml_malformed", SDF_AARCH64, 1, true, true,
      "Could not parse 'xml_malformed.system': mismatched tag: xml_malformed.system:5:3" },
    { "xml_root_not_system", SDF_AARCH64, 1, true, true,
      "the root element must be 'system', not 'sys': xml_root_not_system.system:1:1" },
    { "xml_text_in_system", SDF_AARCH64, 1, true, true,
      "unexpected text found in element 'system' @ xml_text_in_system.system:5:3" },
    { "xml_text_in_pd", SDF_AARCH64, 1, true, true,
      "unexpected text found in element 'protection_domain' @ xml_text_in_pd.system:4:5" },
    { "xml_text_in_map", SDF_AARCH64, 1, true, true,
      "unexpected text found in element 'map' @ xml_text_in_map.system:5:35" },
    { "xml_child_of_leaf", SDF_AARCH64, 1, true, true,
      "invalid XML element 'extra': xml_child_of_leaf.system:5:35" },
    { "xml_unknown_top_element", SDF_AARCH64, 1, true, true,
      "invalid XML element 'thread': xml_unknown_top_element.system:5:3" },
    { "xml_latin1_declared", SDF_AARCH64, 1, true, true,
      NULL },
};

static void load_case(void **state)
{
    const struct rule_case *c = *state;
    char path[256], err[4096];
    snprintf(path, sizeof path, "tests/sdf/%s.system", c->name);
    struct sdf_options o;
    sdf_default_options(&o);
    o.arch = c->arch;
    o.cores = c->cores;
    o.iommu = c->iommu;
    o.hypervisor = c->hypervisor;
    struct sdf_system sys;
    int rc = sdf_load(path, &o, &sys, err, sizeof err);
    if (!c->message) {
        if (rc)
            fail_msg("%s: unexpected error: %s", c->name, err);
        sdf_free(&sys);
        return;
    }
    assert_int_equal(rc, -1);
    assert_string_equal(err, c->message);
}

/* ---- helpers for generated inputs ---- */

static char *write_temp(const void *data, size_t len)
{
    char *path = strdup("/tmp/hostkit-test-sdf-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

/* Loads TEXT (LEN bytes) from a temporary file; returns sdf_load's result, message in err. */
static int load_text(const char *text, size_t len, const struct sdf_options *o, struct sdf_system *sys,
                     char *err, size_t errlen, char **path_out)
{
    char *path = write_temp(text, len);
    int rc = sdf_load(path, o, sys, err, errlen);
    if (path_out)
        *path_out = path;
    else {
        unlink(path);
        free(path);
    }
    return rc;
}

/* The message with the temporary file's name replaced by FILE. */
static void expect_error(const char *text, size_t len, const char *expected_fmt)
{
    struct sdf_system sys;
    char err[4096], *path, expected[4096];
    assert_int_equal(load_text(text, len, NULL, &sys, err, sizeof err, &path), -1);
    const char *base = strrchr(path, '/') + 1;
    snprintf(expected, sizeof expected, expected_fmt, base, base);
    assert_string_equal(err, expected);
    unlink(path);
    free(path);
}

static void nul_byte_is_refused(void **state)
{
    (void)state;
    static const char text[] = "<system>\n  <protection_domain name=\"a\">\0</protection_domain>\n</system>\n";
    expect_error(text, sizeof text - 1, "Could not parse '%s': NUL byte in the file: %s:2:31");
}

static void invalid_utf8_is_refused(void **state)
{
    (void)state;
    /* a lone continuation byte, an overlong encoding, a surrogate, and a sequence cut by the end */
#define EXPECT(lit, fmt) expect_error((lit), sizeof(lit) - 1, (fmt))
    EXPECT("<system>\n<protection_domain name=\"\x80\"/>\n</system>\n",
           "Could not parse '%s': invalid UTF-8: %s:2:26");
    EXPECT("<system>\n<!-- \xc0\xaf -->\n</system>\n", "Could not parse '%s': invalid UTF-8: %s:2:6");
    EXPECT("<system>\n<!-- \xed\xa0\x80 -->\n</system>\n", "Could not parse '%s': invalid UTF-8: %s:2:6");
    EXPECT("<system>\n<!-- \xf5\x80\x80\x80 -->\n</system>\n", "Could not parse '%s': invalid UTF-8: %s:2:6");
    EXPECT("<system/>\n\xe2\x82", "Could not parse '%s': partial character: %s:2:1");
#undef EXPECT
    /* valid multi-byte text is fine in names */
    struct sdf_system sys;
    char err[512];
    const char ok[] = "<system><protection_domain name=\"caf\xc3\xa9-\xe2\x82\xac-\xf0\x9f\x98\x80\">"
                      "<program_image path=\"x\"/></protection_domain></system>";
    assert_int_equal(load_text(ok, sizeof ok - 1, NULL, &sys, err, sizeof err, NULL), 0);
    assert_string_equal(sys.pds[0].name, "caf\xc3\xa9-\xe2\x82\xac-\xf0\x9f\x98\x80");
    sdf_free(&sys);
}

static void deep_nesting_is_refused(void **state)
{
    (void)state;
    size_t depth = 100000, cap = depth * 64 + 64, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)sprintf(text + n, "<system>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(text + n, "<protection_domain name=\"p%zu\" id=\"1\">", i);
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(text + n, "</protection_domain>");
    n += (size_t)sprintf(text + n, "</system>");
    struct sdf_system sys;
    char err[512];
    assert_int_equal(load_text(text, n, NULL, &sys, err, sizeof err, NULL), -1);
    assert_non_null(strstr(err, "elements are nested more than 64 deep"));
    free(text);
}

static void dtd_and_entities_are_refused(void **state)
{
    (void)state;
    /* billion laughs: never expanded, refused at the DOCTYPE */
    const char *lol = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
                      " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                      " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
                      "]>\n<system>&lol2;</system>\n";
    struct sdf_system sys;
    char err[512];
    assert_int_equal(load_text(lol, strlen(lol), NULL, &sys, err, sizeof err, NULL), -1);
    assert_non_null(strstr(err, "XML with DTD detected"));
    /* an external entity cannot even be declared */
    const char *ext = "<!DOCTYPE system [<!ENTITY x SYSTEM \"/etc/passwd\">]><system>&x;</system>";
    assert_int_equal(load_text(ext, strlen(ext), NULL, &sys, err, sizeof err, NULL), -1);
    assert_non_null(strstr(err, "XML with DTD detected"));
    /* the predefined entities and character references are plain XML and stay allowed */
    const char *pre = "<system><protection_domain name=\"a&amp;b&#x41;\"><program_image path=\"x\"/>"
                      "</protection_domain></system>";
    assert_int_equal(load_text(pre, strlen(pre), NULL, &sys, err, sizeof err, NULL), 0);
    assert_string_equal(sys.pds[0].name, "a&bA");
    sdf_free(&sys);
}

/* About 10 MB: 63 PDs with maps, channels and IRQs, and many memory regions; must load, and
 * an overlap placed at the very end must be found with the tool's exact message. */
static char *big_system(size_t nmaps, bool overlap_at_end, size_t *len)
{
    size_t cap = nmaps * 200 + 100000, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)sprintf(t + n, "<system>\n");
    for (size_t i = 0; i < nmaps; i++)
        n += (size_t)sprintf(t + n, "  <memory_region name=\"region_%zu\" size=\"0x1_000\" phys_addr=\"0x%zx\" />\n",
                             i, 0x10000000 + i * 0x1000);
    for (int p = 0; p < 63; p++) {
        n += (size_t)sprintf(t + n, "  <protection_domain name=\"pd%d\" priority=\"%d\">\n"
                                    "    <program_image path=\"pd.elf\" />\n", p, p + 1);
        if (p < 40)
            n += (size_t)sprintf(t + n, "    <irq irq=\"%d\" id=\"60\" />\n", 32 + p);
        if (p == 0) {
            for (size_t i = 0; i < nmaps; i++)
                n += (size_t)sprintf(t + n, "    <map mr=\"region_%zu\" vaddr=\"0x%zx\" perms=\"rw\" setvar_vaddr=\"v%zu\" />\n",
                                     i, 0x40000000 + i * 0x1000, i);
            if (overlap_at_end)
                n += (size_t)sprintf(t + n, "    <map mr=\"region_0\" vaddr=\"0x%zx\" />\n",
                                     0x40000000 + (nmaps / 2) * 0x1000);
        }
        n += (size_t)sprintf(t + n, "  </protection_domain>\n");
    }
    for (int p = 0; p + 1 < 63; p++)
        n += (size_t)sprintf(t + n, "  <channel><end pd=\"pd%d\" id=\"1\" pp=\"true\" /><end pd=\"pd%d\" id=\"2\" /></channel>\n",
                             p, p + 1);
    n += (size_t)sprintf(t + n, "</system>\n");
    assert_true(n < cap);
    *len = n;
    return t;
}

static void large_system_loads_quickly(void **state)
{
    (void)state;
    size_t len, nmaps = 60000;
    char *text = big_system(nmaps, false, &len);
    assert_true(len > 9 * 1000 * 1000);
    struct sdf_system sys;
    char err[1024];
    clock_t t0 = clock();
    int rc = load_text(text, len, NULL, &sys, err, sizeof err, NULL);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (rc)
        fail_msg("%s", err);
    assert_int_equal(sys.npds, 63);
    assert_int_equal(sys.nmrs, nmaps);
    assert_int_equal(sys.pds[0].nmaps, nmaps);
    assert_int_equal(sys.nchannels, 62);
    assert_int_equal(sys.nirqs, 40);
    assert_int_equal(sys.pds[0].maps[nmaps - 1].mr, (int)nmaps - 1);
    assert_true(secs < 10.0);
    sdf_free(&sys);
    free(text);

    text = big_system(nmaps, true, &len);
    char *path;
    assert_int_equal(load_text(text, len, NULL, &sys, err, sizeof err, &path), -1);
    char expected[1024];
    snprintf(expected, sizeof expected,
             "map for 'region_0' has virtual address range [0x%zx..0x%zx) which overlaps with map for "
             "'region_%zu' [0x%zx..0x%zx) in protection domain 'pd0' @ %s:%zu:5",
             (size_t)0x40000000 + (nmaps / 2) * 0x1000, (size_t)0x40000000 + (nmaps / 2 + 1) * 0x1000,
             nmaps / 2, (size_t)0x40000000 + (nmaps / 2) * 0x1000,
             (size_t)0x40000000 + (nmaps / 2 + 1) * 0x1000, strrchr(path, '/') + 1, nmaps + 5 + nmaps);
    assert_string_equal(err, expected);
    unlink(path);
    free(path);
    free(text);
}

/* ---- what sdf_load fills ---- */

static void valid_system_fields_and_defaults(void **state)
{
    (void)state;
    struct sdf_system sys;
    char err[1024];
    struct sdf_options o;
    sdf_default_options(&o);
    if (sdf_load("tests/sdf/valid_full.system", &o, &sys, err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(sys.file, "tests/sdf/valid_full.system");
    assert_int_equal(sys.npds, 3);
    int server = sdf_find_pd(&sys, "server"), child = sdf_find_pd(&sys, "child"),
        client = sdf_find_pd(&sys, "client");
    assert_int_equal(server, 0);
    assert_int_equal(child, 1);   /* children follow their parent */
    assert_int_equal(client, 2);
    assert_int_equal(sdf_find_pd(&sys, "nobody"), -1);
    const struct sdf_pd *s = &sys.pds[server], *c = &sys.pds[child], *cl = &sys.pds[client];
    assert_int_equal(s->priority, 200);
    assert_int_equal(s->budget, 500);
    assert_int_equal(s->period, 1000);
    assert_int_equal(s->stack_size, 0x4000);
    assert_false(s->passive);
    assert_false(s->fpu);
    assert_int_equal(s->parent, -1);
    assert_int_equal(c->parent, server);
    assert_int_equal(c->child_id, 3);
    assert_string_equal(c->setvar_id, "child_id");
    assert_int_equal(c->priority, 60);
    /* defaults */
    assert_true(cl->passive);
    assert_int_equal(cl->budget, 1000);
    assert_int_equal(cl->period, 1000);
    assert_int_equal(cl->stack_size, 0x2000);
    assert_int_equal(cl->cpu, 0);
    assert_int_equal(cl->domain, -1);
    assert_true(cl->fpu);
    assert_int_equal(cl->nmaps, 1);
    assert_int_equal(cl->maps[0].perms, SDF_PERM_R | SDF_PERM_W);
    assert_true(cl->maps[0].cached);
    assert_string_equal(s->program_image, "server.elf");
    assert_null(s->image_resolved); /* not there: only a warning */
    /* maps, irqs, setvars */
    assert_int_equal(s->nmaps, 2);
    assert_int_equal(s->maps[0].mr, 0);
    assert_int_equal(s->maps[0].vaddr, 0x40000000);
    assert_string_equal(s->maps[0].setvar_vaddr, "shared_vaddr");
    assert_string_equal(s->maps[0].setvar_size, "shared_size");
    assert_int_equal(s->maps[1].perms, SDF_PERM_R);
    assert_false(s->maps[1].cached);
    assert_int_equal(s->nirqs, 2);
    assert_int_equal(s->irqs[0].irq, 33);
    assert_int_equal(s->irqs[0].id, 5);
    assert_true(s->irqs[0].edge);
    assert_false(s->irqs[1].edge);
    assert_int_equal(s->nsetvars, 1);
    assert_string_equal(s->setvars[0].symbol, "dev_paddr");
    assert_int_equal(s->setvars[0].region_paddr, 1);
    assert_int_equal(sys.nirqs, 2);
    /* memory regions: sizes, and large pages chosen where size and every address allow it */
    assert_int_equal(sys.nmrs, 3);
    assert_int_equal(sys.mrs[0].size, 0x200000);
    assert_int_equal(sys.mrs[0].page_size, 0x200000); /* size and both map addresses allow it */
    assert_true(sys.mrs[1].has_phys_addr);
    assert_int_equal(sys.mrs[1].phys_addr, 0x9000000);
    assert_int_equal(sys.mrs[2].page_size, 0x200000);
    /* channels */
    assert_int_equal(sys.nchannels, 2);
    assert_int_equal(sys.channels[0].end[0].pd, client);
    assert_true(sys.channels[0].end[0].pp);
    assert_false(sys.channels[0].end[0].notify);
    assert_string_equal(sys.channels[0].end[0].setvar_id, "server_ch");
    assert_int_equal(sys.channels[0].end[1].pd, server);
    assert_false(sys.channels[0].end[1].pp);
    assert_true(sys.channels[0].end[1].notify);
    assert_int_equal(sys.channels[1].end[0].id, 61);
    /* cap mappings */
    assert_int_equal(s->ncaps, 3);
    assert_int_equal(s->caps[2].kind, SDF_CAP_VSPACE);
    assert_int_equal(s->caps[2].slot, 127);
    assert_int_equal(s->caps[2].pd, child);
    sdf_free(&sys);
}

static void x86_vm_domain_fields(void **state)
{
    (void)state;
    struct sdf_system sys;
    char err[1024];
    struct sdf_options o;
    sdf_default_options(&o);
    o.arch = SDF_X86_64;
    if (sdf_load("tests/sdf/valid_x86.system", &o, &sys, err, sizeof err))
        fail_msg("%s", err);
    const struct sdf_pd *d = &sys.pds[0];
    assert_int_equal(d->irqs[0].kind, SDF_IRQ_IOAPIC);
    assert_int_equal(d->irqs[0].pin, 2);
    assert_int_equal(d->irqs[0].vector, 107);
    assert_int_equal(d->irqs[0].polarity, 0);
    assert_int_equal(d->irqs[0].level, 0);
    assert_int_equal(d->irqs[1].kind, SDF_IRQ_MSI);
    assert_int_equal(d->irqs[1].pci_bus, 1);
    assert_int_equal(d->irqs[1].pci_dev, 2);
    assert_int_equal(d->irqs[1].pci_func, 3);
    assert_int_equal(d->nioports, 1);
    assert_int_equal(d->ioports[0].addr, 0x3f8);
    assert_int_equal(d->ioports[0].size, 8);
    assert_int_equal(sys.niomaps, 2);
    assert_string_equal(sys.iomaps[1].space, "disk");
    assert_int_equal(sys.iomaps[1].pci_bus, 0x1f);
    assert_int_equal(sys.iomaps[1].pci_dev, 0x1f);
    assert_int_equal(sys.iomaps[1].pci_func, 7);
    assert_int_equal(sys.iomaps[1].perms, SDF_PERM_R);
    assert_int_equal(sys.iomaps[1].mr, 1);
    sdf_free(&sys);

    sdf_default_options(&o);
    if (sdf_load("tests/sdf/valid_vm.system", &o, &sys, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(sys.nvms, 1);
    assert_int_equal(sys.pds[0].vm, 0);
    assert_int_equal(sys.vms[0].pd, 0);
    assert_int_equal(sys.vms[0].nvcpus, 2);
    assert_string_equal(sys.vms[0].vcpus[1].setvar_id, "vcpu1");
    assert_int_equal(sys.vms[0].priority, 100);
    assert_int_equal(sys.vms[0].maps[0].perms, SDF_PERM_R | SDF_PERM_W | SDF_PERM_X);
    sdf_free(&sys);

    if (sdf_load("tests/sdf/valid_domains.system", &o, &sys, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(sys.ndomains, 2);
    assert_int_equal(sys.domains[0].id, 3);
    assert_int_equal(sys.domains[1].id, 0);   /* the first free id */
    assert_int_equal(sys.pds[0].domain, 3);
    assert_int_equal(sys.pds[1].domain, 0);
    assert_int_equal(sys.nschedule, 3);
    assert_int_equal(sys.schedule[1].duration, 16);
    assert_true(sys.schedule[1].ticks);
    assert_int_equal(sys.schedule[2].domain, -1);
    assert_int_equal(sys.schedule_start_index, 1);
    assert_true(sys.has_index_shift);
    assert_int_equal(sys.schedule_index_shift, 2);
    sdf_free(&sys);
}

static void numbers_as_the_tool_reads_them(void **state)
{
    (void)state;
    const char *text = "<system><memory_region name=\"m\" size=\"0x20_0000\" phys_addr=\"1_048_576\" />"
                       "<protection_domain name=\"a\" priority=\"0xfe\" budget=\"1_0\" period=\"0x_10\">"
                       "<program_image path=\"x\"/><map mr=\"m\" vaddr=\"0x4000_0000\"/></protection_domain></system>";
    struct sdf_system sys;
    char err[512];
    if (load_text(text, strlen(text), NULL, &sys, err, sizeof err, NULL))
        fail_msg("%s", err);
    assert_int_equal(sys.mrs[0].size, 0x200000);
    assert_int_equal(sys.mrs[0].phys_addr, 1048576);
    assert_int_equal(sys.pds[0].priority, 254);
    assert_int_equal(sys.pds[0].budget, 10);
    assert_int_equal(sys.pds[0].period, 16);
    sdf_free(&sys);
}

static void images_and_prefills_are_found(void **state)
{
    (void)state;
    char dir[] = "/tmp/hostkit-test-sdf-dirXXXXXX", sub[64], p[128];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/images", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(p, sizeof p, "%s/here.elf", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(p, sizeof p, "%s/there.elf", sub);
    f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(p, sizeof p, "%s/data.bin", sub);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs("12345", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/s.system", dir);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs("<system><memory_region name=\"d\" prefill_path=\"data.bin\" />"
          "<protection_domain name=\"a\"><program_image path=\"here.elf\"/>"
          "<map mr=\"d\" vaddr=\"0x1000000\"/></protection_domain>"
          "<protection_domain name=\"b\"><program_image path=\"there.elf\"/></protection_domain>"
          "<protection_domain name=\"c\"><program_image path=\"nowhere.elf\"/></protection_domain>"
          "</system>", f);
    fclose(f);
    struct sdf_options o;
    sdf_default_options(&o);
    const char *paths[] = { "/nonexistent", sub, NULL };
    o.search_paths = paths;
    struct sdf_system sys;
    char err[512], want[256];
    if (sdf_load(p, &o, &sys, err, sizeof err))
        fail_msg("%s", err);
    snprintf(want, sizeof want, "%s/here.elf", dir);
    assert_string_equal(sys.pds[0].image_resolved, want);
    snprintf(want, sizeof want, "%s/there.elf", sub);
    assert_string_equal(sys.pds[1].image_resolved, want);
    assert_null(sys.pds[2].image_resolved);
    assert_int_equal(sys.mrs[0].prefill_size, 5);
    assert_int_equal(sys.mrs[0].size, 0x1000);
    snprintf(want, sizeof want, "%s/data.bin", sub);
    assert_string_equal(sys.mrs[0].prefill_resolved, want);
    assert_int_equal(sys.nwarnings, 1);
    assert_string_equal(sys.warnings[0], "program image 'nowhere.elf' not found");
    sdf_free(&sys);
    /* without the search path the prefill file is an error */
    o.search_paths = NULL;
    assert_int_equal(sdf_load(p, &o, &sys, err, sizeof err), -1);
    assert_string_equal(err, "unable to find prefill file: 'data.bin' on element 'memory_region': s.system:1:9");
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void missing_file_is_an_error(void **state)
{
    (void)state;
    struct sdf_system sys;
    char err[512];
    assert_int_equal(sdf_load("tests/sdf/no-such.system", NULL, &sys, err, sizeof err), -1);
    assert_string_equal(err, "Could not read 'tests/sdf/no-such.system': No such file or directory");
}

/* ---- the command ---- */

static void check_command(void **state)
{
    (void)state;
    struct run_result r;
    char *ok[] = { (char *)hostkit_path(), "check", "tests/sdf/valid_full.system", NULL };
    run_command(&r, ok);
    assert_exit(&r, 0);
    assert_string_equal(r.out, "tests/sdf/valid_full.system: valid: 3 protection domains, 2 channels, "
                               "3 memory regions, 2 IRQs\n");
    assert_true(has_line(r.err, "Warning: program image 'server.elf' not found"));
    run_result_free(&r);

    char *bad[] = { (char *)hostkit_path(), "check", "--arch", "x86_64", "tests/sdf/irq_conventional_on_x86.system", NULL };
    run_command(&r, bad);
    assert_exit(&r, 1);
    assert_string_equal(r.err, "Error: ARM and RISC-V IRQs are not supported on x86 on element 'irq': "
                               "irq_conventional_on_x86.system:4:5\n");
    assert_string_equal(r.out, "");
    run_result_free(&r);

    char *flags[] = { (char *)hostkit_path(), "check", "--cores", "4", "--search-path", "tests/sdf",
                      "--no-iommu", "tests/sdf/valid_multicore.system", NULL };
    run_command(&r, flags);
    assert_exit(&r, 0);
    run_result_free(&r);

    char *usage[] = { (char *)hostkit_path(), "check", "--arch", "sparc", "x.system", NULL };
    run_command(&r, usage);
    assert_exit(&r, 2);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest others[] = {
        cmocka_unit_test(valid_system_fields_and_defaults),
        cmocka_unit_test(x86_vm_domain_fields),
        cmocka_unit_test(numbers_as_the_tool_reads_them),
        cmocka_unit_test(images_and_prefills_are_found),
        cmocka_unit_test(missing_file_is_an_error),
        cmocka_unit_test(nul_byte_is_refused),
        cmocka_unit_test(invalid_utf8_is_refused),
        cmocka_unit_test(deep_nesting_is_refused),
        cmocka_unit_test(dtd_and_entities_are_refused),
        cmocka_unit_test(large_system_loads_quickly),
        cmocka_unit_test(check_command),
    };
    size_t n = sizeof cases / sizeof cases[0], m = sizeof others / sizeof others[0];
    /* one group, so that the TAP stream has one plan: a test per rule file, then the others */
    struct CMUnitTest *tests = calloc(n + m, sizeof *tests);
    if (!tests)
        return 1;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = load_case;
        tests[i].initial_state = (void *)&cases[i];
    }
    memcpy(tests + n, others, sizeof others);
    int failed = _cmocka_run_group_tests("sdf", tests, n + m, NULL, NULL);
    free(tests);
    return failed ? 1 : 0;
}
