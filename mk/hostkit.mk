# hostkit.mk — build Microkit PD images for hostkit. Include it from a Makefile, then:
#   microkit-foo.elf: foo.c       (one rule per image; sources as you would give the SDK)
#       $(HOSTKIT_LINK)
# HOSTKIT_CFLAGS (never -Werror: see below) and HOSTKIT_LIBS can be used directly by other rules;
# $(HOSTKIT) is the hostkit program, to run the system with (`$(HOSTKIT) run my.system`).
#
# The same file works in two places, found from where it sits:
#   - in the hostkit source tree (mk/hostkit.mk, used by examples/ and tests): the tree's include/
#     and its build/ (hostkit, libhostkit.a);
#   - installed by `make install PREFIX=P` as P/share/hostkit/hostkit.mk: P/include, P/lib and
#     P/bin/hostkit. The prefix is worked out from the file's location, so an installed tree can be
#     moved; HOSTKIT_PREFIX overrides it.
#
# seL4: with MICROKIT_SDK=/path/to/microkit-sdk-X.Y.Z set, the same Makefile builds for seL4 instead
# (microkit-sdk.mk, beside this file): the image rules cross-compile the same sources against the
# SDK's libmicrokit, `make` also builds the SDK tool's loader.img, and `$(HOSTKIT) run` boots it in
# QEMU.
HOSTKIT_MK_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ifneq ($(wildcard $(HOSTKIT_MK_DIR)/../src/cli/hostkit.c),)
TOP ?= $(abspath $(HOSTKIT_MK_DIR)/..)
BUILD ?= $(TOP)/build
HOSTKIT ?= $(BUILD)/hostkit
HOSTKIT_INCLUDE = $(TOP)/include
HOSTKIT_LIBS = $(BUILD)/libhostkit.a
else
HOSTKIT_PREFIX ?= $(abspath $(HOSTKIT_MK_DIR)/../..)
HOSTKIT ?= $(HOSTKIT_PREFIX)/bin/hostkit
HOSTKIT_INCLUDE = $(HOSTKIT_PREFIX)/include
HOSTKIT_LIBS = $(HOSTKIT_PREFIX)/lib/libhostkit.a
endif
CFLAGS_BASE ?= -std=c11 -D_GNU_SOURCE -Wall -Wextra -g -O2 -fno-omit-frame-pointer
# PD sources are the user's code: they get hostkit's flags (warnings, debug info, the sanitizers of
# SANITIZE=1) but never -Werror, which is for hostkit's own code (a Microkit PD's
# `notified(microkit_channel ch) {}` warns of an unused parameter and must still build; a Makefile
# that wants -Werror adds it to CFLAGS), and GNU C11, which Microkit code and libsel4's headers use
# (asm). The PD's Makefile's own CFLAGS come last.
HOSTKIT_PD_CFLAGS = $(patsubst -std=c11,-std=gnu11,$(filter-out -Werror -Werror=%,$(CFLAGS_BASE)))
HOSTKIT_CFLAGS = $(HOSTKIT_PD_CFLAGS) -I$(HOSTKIT_INCLUDE)
HOSTKIT_LINK = $(CC) $(HOSTKIT_CFLAGS) $(CPPFLAGS) $(CFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(HOSTKIT_LIBS) $(LDFLAGS_BASE) $(LDFLAGS) $(LDLIBS)

# HOSTKIT_DEPS: what `simulate` needs besides the images. In the hostkit source tree, hostkit and
# libhostkit.a are built first when they are missing (without becoming the including Makefile's
# default goal).
HOSTKIT_DEPS :=
ifneq ($(strip $(MICROKIT_SDK)),)
include $(HOSTKIT_MK_DIR)/microkit-sdk.mk
else ifneq ($(wildcard $(HOSTKIT_MK_DIR)/../src/cli/hostkit.c),)
hostkit_mk_goal := $(.DEFAULT_GOAL)
$(BUILD)/libhostkit.a $(BUILD)/hostkit &:
	$(MAKE) -C $(TOP) all
.DEFAULT_GOAL := $(hostkit_mk_goal)
HOSTKIT_DEPS := $(HOSTKIT)
endif
