# tests.mk — the test suite, run by `make test` (and by .ci/run).
# - tests/test_*.c: one cmocka program each, reporting TAP; `prove` runs them all and sums up.
#   They link the monitor's objects (all of src/ but the CLI's main) so they can test parts directly.
# - tests/systems/SYS/PD.c: PD images for the test systems, built to build/tests/systems/SYS/PD.elf;
#   a test runs `hostkit run --search-path build/tests/systems/SYS tests/systems/SYS/SYS.system`.
# - tests/test_*.sh, tests/test_*.py: executable scripts printing TAP, run by prove beside them
#   (test_portable.sh: every example PD builds freestanding for seL4; test_microkit_sdk.sh: the
#   Microkit SDK build's commands, against a fake SDK; test_differential.sh: every case of
#   tests/differential/ prints on hostkit what it printed on seL4, its sel4.txt;
#   test_conformance.sh: the Microkit tool's own cases from ../shared/sdf-cases, one test each;
#   test_deps.sh: scripts/debian-packages.txt and the README agree; test_layers.sh: the layers
#   of the Makefile's comment, and no circle among a folder's files, from the objects' symbols).
# - tests/prove.pl runs them all with prove's harness, prints its summary and then the skipped
#   tests ("Skipped: N tests"); HOSTKIT_FAIL_ON_SKIP=1 (.ci/run, make test-fresh) fails on a skip.
# - inputs from ../shared (SHARED): the Microkit tool's cases, and nanopb's C runtime
#   (sel4/nanopb-0.4.7-core.tar.gz, unpacked into $(BUILD)/nanopb-0.4.7) for the SDK cross build of
#   examples/ipc. Without ../shared those tests report SKIP.

TEST_SRCS := $(wildcard tests/test_*.c)
TEST_SCRIPTS := $(wildcard tests/test_*.py tests/test_*.sh)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_PD_SRCS := $(wildcard tests/systems/*/*.c)
TEST_PD_ELFS := $(TEST_PD_SRCS:tests/systems/%.c=$(BUILD)/tests/systems/%.elf)
CORE_OBJS := $(filter-out $(BUILD)/obj/src/cli/hostkit.o,$(HOSTKIT_SRCS:%.c=$(BUILD)/obj/%.o))
TESTUTIL_OBJ := $(BUILD)/obj/tests/testutil.o
EXAMPLES := $(patsubst %/Makefile,%,$(wildcard examples/*/Makefile))
SHARED := $(abspath $(TOP)/../shared)
NANOPB_TARBALL := $(SHARED)/sel4/nanopb-0.4.7-core.tar.gz
TEST_NANOPB_SRC := $(BUILD)/nanopb-0.4.7

$(BUILD)/obj/tests/%.o: tests/%.c tests/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iinclude -Isrc -Itests -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(CORE_OBJS) $(TESTUTIL_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_BASE) -o $@ $^ -lcmocka $(HOSTKIT_LDLIBS)

# written as a user's test would be: against libhostkit_test (include/hostkit_test.h)
$(BUILD)/tests/test_control_api: $(LIBHOSTKIT_TEST)

$(BUILD)/tests/systems/%.elf: tests/systems/%.c $(wildcard tests/systems/*/*.h) include/microkit.h $(LIBHOSTKIT)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iinclude -o $@ $< $(LIBHOSTKIT) $(LDFLAGS_BASE)

.PHONY: examples test-build
examples: all
	@for d in $(EXAMPLES); do $(MAKE) --no-print-directory -C $$d || exit 1; done

test-build: deps all examples $(TEST_BINS) $(TEST_PD_ELFS) fuzz-if-available \
    $(if $(wildcard $(NANOPB_TARBALL)),$(TEST_NANOPB_SRC)/pb_encode.c)

$(TEST_NANOPB_SRC)/pb_encode.c: $(NANOPB_TARBALL)
	@mkdir -p $(BUILD)
	rm -rf $(TEST_NANOPB_SRC) && tar -xzf $< -C $(BUILD) && touch $@

# VALGRIND=1 runs every `hostkit` the tests start under valgrind (memcheck, leaks included); a
# run with an error exits 99, which fails the test that made it, and the logs stay in
# $(BUILD)/valgrind/. `make deps` installs valgrind then (the `valgrind` group).
ifeq ($(VALGRIND),1)
TEST_HOSTKIT := $(BUILD)/hostkit-valgrind
# valgrind's path, found after `make deps` and rewritten only when it changes, so the wrapper is
# made again when valgrind appears or moves; without valgrind this stops, saying so.
$(BUILD)/valgrind.path: FORCE | deps
	@mkdir -p $(dir $@)
	@v=$$(command -v valgrind) || { echo "VALGRIND=1: valgrind is not installed (scripts/deps.sh valgrind installs it)" >&2; exit 1; }; \
	    [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@
$(TEST_HOSTKIT): $(HOSTKIT) $(BUILD)/valgrind.path tests/tests.mk
	@mkdir -p $(BUILD)/valgrind
	printf '#!/bin/sh\nexec %s -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --log-file=$(BUILD)/valgrind/%%p.log $(HOSTKIT) "$$@"\n' \
	    "$$(cat $(BUILD)/valgrind.path)" > $@
	chmod +x $@
test-build: $(TEST_HOSTKIT)
.PHONY: FORCE
FORCE:
else
TEST_HOSTKIT := $(HOSTKIT)
endif

# What every test program is run with.
TEST_ENV := HOSTKIT=$(TEST_HOSTKIT) BUILD=$(BUILD) CMOCKA_MESSAGE_OUTPUT=TAP HOSTKIT_SDF_CASES=$(SHARED)/sdf-cases \
    HOSTKIT_TEST_NANOPB_SRC=$(if $(wildcard $(NANOPB_TARBALL)),$(TEST_NANOPB_SRC))

# tests/prove.pl (prove's harness, Debian's perl) runs each test program as a TAP producer and
# prints the totals, then the skipped tests.
test: test-build
	cd $(TOP) && $(TEST_ENV) perl tests/prove.pl $(if $(V),-v) $(TEST_BINS) $(TEST_SCRIPTS)

# Only the Microkit tool's own system-description cases (../shared/sdf-cases): every case must
# give the tool's exit status and message.
conformance: $(HOSTKIT)
	cd $(TOP) && $(TEST_ENV) HOSTKIT=$(HOSTKIT) perl tests/prove.pl -v tests/test_conformance.sh

# The soak test at full length: 63 PDs for 60 s (make test runs it for 3 s).
.PHONY: soak
soak: test-build
	cd $(TOP) && $(TEST_ENV) HOSTKIT_SOAK_SECONDS=$(or $(SOAK_SECONDS),60) perl tests/prove.pl -v $(BUILD)/tests/test_soak

# Keep the test objects (make would delete them as intermediates, after prove's summary).
.SECONDARY: $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.o) $(TESTUTIL_OBJ)
