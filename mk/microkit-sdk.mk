# microkit-sdk.mk — build the same PDs and system for seL4, with the Microkit SDK.
#
# hostkit.mk includes this file when MICROKIT_SDK is set. Then a Makefile written for hostkit (one
# rule per image, recipe $(HOSTKIT_LINK); `simulate` running `$(HOSTKIT) run SYSTEM`) builds for
# seL4 instead, with no change:
#   make MICROKIT_SDK=/path/to/microkit-sdk-X.Y.Z [MICROKIT_BOARD=qemu_virt_aarch64] [MICROKIT_CONFIG=debug]
#       each image's rule cross-compiles its .c prerequisites against the SDK's
#       board/BOARD/CONFIG/include and links them with its lib/libmicrokit.a and lib/microkit.ld,
#       writing the ELF to MICROKIT_BUILD_DIR; then the SDK's bin/microkit turns the system
#       description into MICROKIT_BUILD_DIR/loader.img and report.txt.
#   make simulate MICROKIT_SDK=…
#       the same, then boots loader.img in QEMU with the command line the Microkit manual gives for
#       the board (qemu_virt_aarch64, qemu_virt_riscv64, zcu102). Quit QEMU with Ctrl-A X.
#
# Settings (all optional but MICROKIT_SDK):
#   MICROKIT_BOARD      board directory under $(MICROKIT_SDK)/board (default qemu_virt_aarch64)
#   MICROKIT_CONFIG     debug, release or benchmark (default debug)
#   MICROKIT_SYSTEM     the system description (default: the one *.system file in the directory)
#   MICROKIT_BUILD_DIR  where the ELFs, loader.img and report.txt go
#   MICROKIT_ARCH       aarch64 or riscv64 (default: read from the board's kernel/gen_config.h)
#   MICROKIT_TOOLCHAIN  gcc or llvm (default: a cross gcc if one is installed, else clang + ld.lld)
#   MICROKIT_CROSS_COMPILE  the cross gcc's prefix, e.g. aarch64-linux-gnu- (default: found on PATH)
#   MICROKIT_CFLAGS     compiler flags besides the target's (default -std=gnu11 -g -O2 -Wall -Wextra:
#                       libsel4's headers use `asm`, which -std=c11 does not have)
#   NANOPB_SRC          a nanopb source tree (pb_common.c, pb_encode.c, pb_decode.c), for images
#                       that link nanopb (LDLIBS has -lprotobuf-nanopb): Debian ships only the
#                       host library, so nanopb is compiled from source for the target.
#   MICROKIT_QEMU       the QEMU program (default qemu-system-aarch64 / qemu-system-riscv64)
#
# PD sources see the SDK's microkit.h (never hostkit's), hostkit's other headers
# (microkit_msgbytes.h), and mk/microkit-sdk/pb_system.h in place of libc for nanopb; every PD also
# links mk/microkit-sdk/hostkit-sdk-runtime.c (memcpy, memset, ... as weak definitions).

MICROKIT_SDK_MK_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
MICROKIT_BOARD ?= qemu_virt_aarch64
MICROKIT_CONFIG ?= debug
MICROKIT_SDK_DIR := $(abspath $(MICROKIT_SDK))
MICROKIT_BOARD_DIR := $(MICROKIT_SDK_DIR)/board/$(MICROKIT_BOARD)/$(MICROKIT_CONFIG)
MICROKIT_TOOL ?= $(MICROKIT_SDK_DIR)/bin/microkit

# ---- Is this a Microkit SDK, and does it have the board? ----
ifeq ($(wildcard $(MICROKIT_SDK_DIR)/.),)
$(error MICROKIT_SDK=$(MICROKIT_SDK): no such directory. Set it to an unpacked Microkit SDK (microkit-sdk-X.Y.Z, with bin/microkit and board/))
endif
ifeq ($(wildcard $(MICROKIT_TOOL)),)
$(error MICROKIT_SDK=$(MICROKIT_SDK) has no bin/microkit: is it a Microkit SDK? Set MICROKIT_SDK to the directory that holds bin/, board/ and doc/)
endif
ifeq ($(wildcard $(MICROKIT_SDK_DIR)/board/$(MICROKIT_BOARD)/.),)
$(error MICROKIT_BOARD=$(MICROKIT_BOARD): this SDK has no board/$(MICROKIT_BOARD); it has: $(notdir $(wildcard $(MICROKIT_SDK_DIR)/board/*)))
endif
ifeq ($(wildcard $(MICROKIT_BOARD_DIR)/.),)
$(error MICROKIT_CONFIG=$(MICROKIT_CONFIG): this SDK has no $(MICROKIT_CONFIG) configuration for $(MICROKIT_BOARD); it has: $(notdir $(wildcard $(MICROKIT_SDK_DIR)/board/$(MICROKIT_BOARD)/*)))
endif
MICROKIT_SDK_MISSING := $(filter-out $(wildcard $(addprefix $(MICROKIT_BOARD_DIR)/,include/microkit.h lib/libmicrokit.a lib/microkit.ld)),$(addprefix $(MICROKIT_BOARD_DIR)/,include/microkit.h lib/libmicrokit.a lib/microkit.ld))
ifneq ($(MICROKIT_SDK_MISSING),)
$(error The SDK's $(MICROKIT_BOARD)/$(MICROKIT_CONFIG) lacks $(MICROKIT_SDK_MISSING): not a Microkit SDK board directory)
endif

# ---- The board's architecture ----
MICROKIT_ARCH ?= $(shell sed -n 's/^\#define[[:space:]]*CONFIG_SEL4_ARCH[[:space:]]*\([a-z0-9_]*\).*/\1/p' $(MICROKIT_BOARD_DIR)/include/kernel/gen_config.h 2>/dev/null)
ifeq ($(MICROKIT_ARCH),aarch64)
MICROKIT_TARGET := aarch64-none-elf
MICROKIT_GCC_PREFIXES := aarch64-none-elf- aarch64-linux-gnu-
MICROKIT_GCC_PACKAGE := gcc-aarch64-linux-gnu
MICROKIT_ARCH_CFLAGS := -mstrict-align
else ifeq ($(MICROKIT_ARCH),riscv64)
MICROKIT_TARGET := riscv64-unknown-elf
MICROKIT_GCC_PREFIXES := riscv64-unknown-elf- riscv64-linux-gnu-
MICROKIT_GCC_PACKAGE := gcc-riscv64-unknown-elf
MICROKIT_ARCH_CFLAGS := -mabi=lp64d
else ifeq ($(MICROKIT_ARCH),)
$(error Cannot tell $(MICROKIT_BOARD)'s architecture: no CONFIG_SEL4_ARCH in $(MICROKIT_BOARD_DIR)/include/kernel/gen_config.h. Set MICROKIT_ARCH=aarch64 or riscv64)
else
$(error MICROKIT_ARCH=$(MICROKIT_ARCH): hostkit builds for aarch64 and riscv64 only)
endif

# ---- The cross compiler: a gcc for the target, else clang with ld.lld ----
ifeq ($(MICROKIT_TOOLCHAIN),)
MICROKIT_CROSS_COMPILE ?= $(firstword $(foreach p,$(MICROKIT_GCC_PREFIXES),$(if $(shell command -v $(p)gcc 2>/dev/null),$(p))))
MICROKIT_TOOLCHAIN := $(if $(MICROKIT_CROSS_COMPILE),gcc,$(if $(and $(shell command -v clang 2>/dev/null),$(shell command -v ld.lld 2>/dev/null)),llvm,none))
endif
ifeq ($(MICROKIT_TOOLCHAIN),gcc)
MICROKIT_CROSS_COMPILE ?= $(firstword $(foreach p,$(MICROKIT_GCC_PREFIXES),$(if $(shell command -v $(p)gcc 2>/dev/null),$(p))))
ifeq ($(and $(MICROKIT_CROSS_COMPILE),$(shell command -v $(MICROKIT_CROSS_COMPILE)gcc 2>/dev/null)),)
$(error No $(MICROKIT_ARCH) cross compiler ($(if $(MICROKIT_CROSS_COMPILE),$(MICROKIT_CROSS_COMPILE)gcc,$(addsuffix gcc,$(MICROKIT_GCC_PREFIXES)))): install Debian's $(MICROKIT_GCC_PACKAGE) (scripts/deps.sh $(MICROKIT_GCC_PACKAGE)), or use clang: MICROKIT_TOOLCHAIN=llvm with Debian's clang and lld)
endif
MICROKIT_CC := $(MICROKIT_CROSS_COMPILE)gcc
MICROKIT_LD := $(MICROKIT_CROSS_COMPILE)ld
# Debian's cross gcc targets Linux: no PIE, no stack protector (libmicrokit has no __stack_chk_*).
MICROKIT_TOOLCHAIN_CFLAGS := -fno-pie -fno-stack-protector $(if $(filter riscv64,$(MICROKIT_ARCH)),-march=rv64imafdc_zicsr_zifencei)
else ifeq ($(MICROKIT_TOOLCHAIN),llvm)
ifeq ($(and $(shell command -v clang 2>/dev/null),$(shell command -v ld.lld 2>/dev/null)),)
$(error MICROKIT_TOOLCHAIN=llvm needs clang and ld.lld: install Debian's clang and lld (scripts/deps.sh), or a cross gcc: $(MICROKIT_GCC_PACKAGE))
endif
MICROKIT_CC := clang --target=$(MICROKIT_TARGET)
MICROKIT_LD := ld.lld
MICROKIT_TOOLCHAIN_CFLAGS := -fno-stack-protector $(if $(filter riscv64,$(MICROKIT_ARCH)),-march=rv64imafdc -mno-relax)
else ifeq ($(MICROKIT_TOOLCHAIN),none)
$(error No $(MICROKIT_ARCH) cross compiler: install Debian's $(MICROKIT_GCC_PACKAGE) (scripts/deps.sh $(MICROKIT_GCC_PACKAGE)), or clang and lld (then MICROKIT_TOOLCHAIN=llvm is chosen by itself))
else
$(error MICROKIT_TOOLCHAIN=$(MICROKIT_TOOLCHAIN): use gcc or llvm)
endif

# ---- The system and where the build goes ----
MICROKIT_SYSTEM ?= $(wildcard *.system)
ifneq ($(words $(MICROKIT_SYSTEM)),1)
$(error Set MICROKIT_SYSTEM to the system description to build ($(if $(MICROKIT_SYSTEM),several here: $(MICROKIT_SYSTEM),no *.system file in $(CURDIR))))
endif
MICROKIT_BUILD_DIR ?= $(if $(BUILD),$(BUILD)/microkit/$(notdir $(CURDIR)),$(CURDIR)/microkit-build)/$(MICROKIT_BOARD)/$(MICROKIT_CONFIG)
MICROKIT_IMAGE := $(MICROKIT_BUILD_DIR)/loader.img
MICROKIT_REPORT := $(MICROKIT_BUILD_DIR)/report.txt
# The program images the system names: the Makefile's image rules build them (for the SDK, into
# MICROKIT_BUILD_DIR, which the tool searches). Phony, since the hostkit ELFs of the same names
# beside the system say nothing about the SDK's.
MICROKIT_PD_IMAGES := $(sort $(shell sed -n 's/.*<program_image[^>]*path="\([^"]*\)".*/\1/p' $(MICROKIT_SYSTEM)))

# ---- The QEMU command line, as the Microkit manual gives it for the board ----
ifeq ($(MICROKIT_BOARD),qemu_virt_aarch64)
MICROKIT_QEMU ?= qemu-system-aarch64
MICROKIT_QEMU_PACKAGE := qemu-system-arm
MICROKIT_QEMU_ARGS := -machine virt,virtualization=on -cpu cortex-a53 -nographic -serial mon:stdio \
    -device loader,file=$(MICROKIT_IMAGE),addr=0x70000000,cpu-num=0 -m size=2G
else ifeq ($(MICROKIT_BOARD),qemu_virt_riscv64)
MICROKIT_QEMU ?= qemu-system-riscv64
MICROKIT_QEMU_PACKAGE := qemu-system-misc
MICROKIT_QEMU_ARGS := -machine virt -nographic -serial mon:stdio -kernel $(MICROKIT_IMAGE) -m size=2G
else ifeq ($(MICROKIT_BOARD),zcu102)
MICROKIT_QEMU ?= qemu-system-aarch64
MICROKIT_QEMU_PACKAGE := qemu-system-arm
MICROKIT_QEMU_ARGS := -m size=4G -machine xlnx-zcu102,virtualization=on -nographic \
    -device loader,file=$(MICROKIT_IMAGE),addr=0x40000000,cpu-num=0 -serial mon:stdio
endif
ifneq ($(filter simulate,$(MAKECMDGOALS)),)
ifeq ($(MICROKIT_QEMU_ARGS),)
$(error MICROKIT_BOARD=$(MICROKIT_BOARD) cannot be simulated: QEMU runs qemu_virt_aarch64, qemu_virt_riscv64 and zcu102. `make MICROKIT_SDK=…` builds $(MICROKIT_IMAGE) for the board's own bootloader (see the Microkit manual))
endif
endif

# ---- Compiling and linking one image ----
MICROKIT_CFLAGS ?= -std=gnu11 -g -O2 -Wall -Wextra
# (No -nostdlib here: the link below runs ld itself, which adds no C library.)
MICROKIT_ALL_CFLAGS = -ffreestanding $(MICROKIT_ARCH_CFLAGS) $(MICROKIT_TOOLCHAIN_CFLAGS) \
    $(MICROKIT_CFLAGS) -isystem $(MICROKIT_BOARD_DIR)/include -idirafter $(HOSTKIT_INCLUDE) \
    -I$(MICROKIT_SDK_MK_DIR)/microkit-sdk '-DPB_SYSTEM_HEADER="pb_system.h"' \
    $(if $(NANOPB_SRC),-I$(NANOPB_SRC)) $(CPPFLAGS)
MICROKIT_RUNTIME_SRC := $(MICROKIT_SDK_MK_DIR)/microkit-sdk/hostkit-sdk-runtime.c
MICROKIT_NANOPB_SRCS = $(if $(filter -lprotobuf-nanopb,$(LDLIBS)),$(if $(wildcard $(NANOPB_SRC)/pb_encode.c),$(addprefix $(NANOPB_SRC)/,pb_common.c pb_encode.c pb_decode.c),$(error $@ links nanopb (-lprotobuf-nanopb): set NANOPB_SRC to a nanopb $(shell nanopb_generator.py --version 2>/dev/null | sed -n 's/.*nanopb-\([0-9.]*\).*/\1 /p')source tree (the directory with pb_encode.c); Debian ships only the host library. $(if $(NANOPB_SRC),NANOPB_SRC=$(NANOPB_SRC) has no pb_encode.c))))
define microkit_newline


endef
# The runtime is compiled once per make run (the images are phony, so once per build, not per image)
# into MICROKIT_BUILD_DIR/obj/, and linked into every image.
MICROKIT_RUNTIME_OBJ := $(MICROKIT_BUILD_DIR)/obj/hostkit-sdk-runtime.o
# $(call microkit_link,IMAGE,SOURCES): compile each source into MICROKIT_BUILD_DIR/obj/IMAGE/, then
# link them as the SDK's own examples do: ld -L BOARD/lib OBJECTS -lmicrokit -Tmicrokit.ld.
microkit_obj = $(MICROKIT_BUILD_DIR)/obj/$(1)/$(notdir $(basename $(2))).o
microkit_link = @mkdir -p $(MICROKIT_BUILD_DIR)/obj/$(1)$(microkit_newline)$(foreach s,$(2),$(MICROKIT_CC) $(MICROKIT_ALL_CFLAGS) -c $(s) -o $(call microkit_obj,$(1),$(s))$(microkit_newline))$(MICROKIT_LD) -L$(MICROKIT_BOARD_DIR)/lib $(foreach s,$(2),$(call microkit_obj,$(1),$(s))) $(MICROKIT_RUNTIME_OBJ) -lmicrokit -Tmicrokit.ld -o $(MICROKIT_BUILD_DIR)/$(1)

# ---- What the Makefile's own rules now mean ----
# The first rule here is the default goal: the loader image, after the Makefile's own `all`.
all: $(MICROKIT_IMAGE)
HOSTKIT_LIBS := $(MICROKIT_BOARD_DIR)/lib/libmicrokit.a
HOSTKIT_LINK = $(call microkit_link,$@,$(filter %.c,$^) $(MICROKIT_NANOPB_SRCS))
# `$(HOSTKIT) run SYSTEM` boots the loader image in QEMU.
HOSTKIT = hostkit() { [ "$$1" = run ] || { echo "MICROKIT_SDK: only 'hostkit run' has a seL4 counterpart (QEMU)" >&2; return 1; }; \
    $(MICROKIT_QEMU) $(MICROKIT_QEMU_ARGS); }; hostkit

.PHONY: $(MICROKIT_PD_IMAGES) microkit-qemu-check microkit-force
$(MICROKIT_PD_IMAGES): $(MICROKIT_RUNTIME_OBJ)
$(MICROKIT_RUNTIME_OBJ): $(MICROKIT_RUNTIME_SRC) microkit-force
	@mkdir -p $(dir $@)
	$(MICROKIT_CC) $(MICROKIT_ALL_CFLAGS) -c $< -o $@
$(MICROKIT_IMAGE) $(MICROKIT_REPORT) &: $(MICROKIT_PD_IMAGES) $(MICROKIT_SYSTEM)
	cd $(MICROKIT_BUILD_DIR) && $(MICROKIT_TOOL) $(abspath $(MICROKIT_SYSTEM)) --search-path $(MICROKIT_BUILD_DIR) --board $(MICROKIT_BOARD) --config $(MICROKIT_CONFIG) -o $(MICROKIT_IMAGE) -r $(MICROKIT_REPORT)

simulate: $(MICROKIT_IMAGE) microkit-qemu-check
microkit-qemu-check: $(MICROKIT_IMAGE)
	@command -v $(MICROKIT_QEMU) >/dev/null || { echo "$(MICROKIT_QEMU) not found: install Debian's $(MICROKIT_QEMU_PACKAGE) (scripts/deps.sh $(MICROKIT_QEMU_PACKAGE))" >&2; exit 1; }
	@echo "Booting $(MICROKIT_IMAGE) in QEMU ($(MICROKIT_BOARD)); quit with Ctrl-A X"
