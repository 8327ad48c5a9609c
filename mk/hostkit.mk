# hostkit.mk — build Microkit PD images for hostkit. Include it from a Makefile, then:
#   microkit-foo.elf: foo.c       (one rule per image; sources as you would give the SDK)
#       $(HOSTKIT_LINK)
# HOSTKIT_CFLAGS and HOSTKIT_LIBS can be used directly by other rules.
TOP ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
BUILD ?= $(TOP)/build
CFLAGS_BASE ?= -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O2
HOSTKIT ?= $(BUILD)/hostkit
HOSTKIT_CFLAGS = $(CFLAGS_BASE) -I$(TOP)/include
HOSTKIT_LIBS = $(BUILD)/libhostkit.a
HOSTKIT_LINK = $(CC) $(HOSTKIT_CFLAGS) $(CPPFLAGS) $(CFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(HOSTKIT_LIBS) $(LDFLAGS_BASE) $(LDFLAGS) $(LDLIBS)
