# hostkit — top-level build. `make simulate` runs the IPC example, `make test` runs every test.
# Fragments: mk/hostkit.mk (how a PD image is built, used by every example and test system),
# tests/tests.mk (the test suite), tests/fresh.mk (`make test-fresh`: the README's commands on a
# minimal Debian root), mk/sel4.mk (`make sel4-sdk`, `make test-sel4`), mk/sdk.mk (`make sdk`:
# hostkit as a Microkit SDK tree), tests/sddf/sddf.mk (`make test-sddf`), mk/coverage.mk
# (`make coverage`: lcov HTML of the examples' PD code), bench/bench.mk (benchmarks).

TOP := $(abspath .)
# Sanitized builds live apart, so switching SANITIZE never mixes objects.
BUILD := $(TOP)/build$(if $(filter 1,$(SANITIZE)),-san)
export TOP BUILD

CC ?= cc
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O2 -fno-omit-frame-pointer
ifeq ($(SANITIZE),1)
CFLAGS_BASE += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS_BASE += -fsanitize=address,undefined
endif
export SANITIZE CFLAGS_BASE LDFLAGS_BASE

HOSTKIT := $(BUILD)/hostkit
LIBHOSTKIT := $(BUILD)/libhostkit.a

# The layers of ../shared/DESIGN.md §2, a folder each (arrows point down only; tests/test_layers.sh
# checks them, and that no folder's files call each other in a circle, from the built objects):
#   src/cli          the `hostkit` command            -> monitor, sdf
#   src/monitor      `hostkit run`                    -> sdf, devices, kernel (its shared objects)
#   src/sdf          the system description           -> nothing of ours
#   src/devices      device models                    -> kernel (its shared objects)
#   src/libmicrokit  a PD's event loop, microkit API  -> kernel
#   src/kernel       seL4's objects and system calls on shared memory; sched.c and kobj.h are
#                    shared with the monitor, the rest runs in the PD
#   src/testapi      libhostkit_test, users' tests' C API (include/hostkit_test.h): speaks the
#                    monitor's control channel protocol (docs/testing.md) -> nothing of ours
# hostkit: the CLI, the monitor, the system description and the devices, with the scheduler.
HOSTKIT_SRCS := $(wildcard src/cli/*.c src/monitor/*.c src/sdf/*.c src/devices/*.c) src/kernel/sched.c
# libhostkit (the libmicrokit of a hostkit PD): libmicrokit's layer over the kernel layer.
LIB_SRCS := $(wildcard src/libmicrokit/*.c src/kernel/*.c)
# libhostkit_test: a test program's side of the control channel (tests/test_control_api.c uses it).
LIBHOSTKIT_TEST := $(BUILD)/libhostkit_test.a
TESTAPI_SRCS := $(wildcard src/testapi/*.c)

.PHONY: all simulate test deps clean bench conformance
all: $(HOSTKIT) $(LIBHOSTKIT) $(LIBHOSTKIT_TEST)

$(BUILD)/obj/%.o: %.c $(wildcard src/*/*.h include/*.h include/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iinclude -Isrc -c $< -o $@

# expat reads system files; elfutils' libdw names a fault's backtrace (src/monitor/symbolize.c).
HOSTKIT_LDLIBS := -lexpat -ldw -lelf -lseccomp
$(HOSTKIT): $(HOSTKIT_SRCS:%.c=$(BUILD)/obj/%.o)
	$(CC) $(LDFLAGS_BASE) -o $@ $^ $(HOSTKIT_LDLIBS)

$(LIBHOSTKIT): $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
	rm -f $@; ar rcs $@ $^

$(LIBHOSTKIT_TEST): $(TESTAPI_SRCS:%.c=$(BUILD)/obj/%.o)
	rm -f $@; ar rcs $@ $^

# Installs the Debian packages `make simulate` and `make test` need when one is missing (the
# `default` group of scripts/debian-packages.txt), and valgrind for `make test VALGRIND=1`.
deps:
	@./scripts/deps.sh default $(if $(filter 1,$(VALGRIND)),valgrind)

# With MICROKIT_SDK=/path/to/microkit-sdk-X.Y.Z it builds the example for seL4 and boots it in QEMU
# instead (mk/microkit-sdk.mk); hostkit itself is not needed then.
simulate: deps $(if $(MICROKIT_SDK),,all)
	$(MAKE) -C examples/ipc simulate $(if $(MICROKIT_SDK),MICROKIT_SDK=$(abspath $(MICROKIT_SDK)))

include tests/tests.mk
include tests/fresh.mk
include mk/coverage.mk
include mk/sel4.mk
include mk/sdk.mk
include tests/sddf/sddf.mk
-include bench/bench.mk
-include fuzz/fuzz.mk

clean:
	rm -rf $(BUILD)
	for d in examples/*/; do $(MAKE) -C $$d clean; done
-include mk/install.mk
