# tests.mk — the test suite, run by `make test` (and by .ci/run).
# - tests/test_*.c: one cmocka program each, reporting TAP; `prove` runs them all and sums up.
#   They link the monitor's objects (all of src/ but the CLI's main) so they can test parts directly.
# - tests/systems/SYS/PD.c: PD images for the test systems, built to build/tests/systems/SYS/PD.elf;
#   a test runs `hostkit run --search-path build/tests/systems/SYS tests/systems/SYS/SYS.system`.
# - tests/test_*.sh, tests/test_*.py: executable scripts printing TAP, run by prove beside them
#   (test_portable.sh: every example PD builds freestanding for seL4; test_microkit_sdk.sh: the
#   Microkit SDK build's commands, against a fake SDK; test_differential.sh: every case of
#   tests/differential/ prints on hostkit what it printed on seL4, its sel4.txt).

TEST_SRCS := $(wildcard tests/test_*.c)
TEST_SCRIPTS := $(wildcard tests/test_*.py tests/test_*.sh)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_PD_SRCS := $(wildcard tests/systems/*/*.c)
TEST_PD_ELFS := $(TEST_PD_SRCS:tests/systems/%.c=$(BUILD)/tests/systems/%.elf)
CORE_OBJS := $(filter-out $(BUILD)/obj/src/cli/hostkit.o,$(HOSTKIT_SRCS:%.c=$(BUILD)/obj/%.o))
TESTUTIL_OBJ := $(BUILD)/obj/tests/testutil.o
EXAMPLES := $(patsubst %/Makefile,%,$(wildcard examples/*/Makefile))

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

test-build: deps all examples $(TEST_BINS) $(TEST_PD_ELFS) fuzz-if-available

# VALGRIND=1 runs every `hostkit` the tests start under valgrind (memcheck, leaks included); a
# run with an error exits 99, which fails the test that made it, and the logs stay in
# $(BUILD)/valgrind/.
ifeq ($(VALGRIND),1)
TEST_HOSTKIT := $(BUILD)/hostkit-valgrind
VALGRIND_BIN := $(shell command -v valgrind)
$(TEST_HOSTKIT): $(HOSTKIT)
	@mkdir -p $(BUILD)/valgrind
	printf '#!/bin/sh\nexec $(VALGRIND_BIN) -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --log-file=$(BUILD)/valgrind/%%p.log $(HOSTKIT) "$$@"\n' > $@
	chmod +x $@
test-build: $(TEST_HOSTKIT)
else
TEST_HOSTKIT := $(HOSTKIT)
endif

# prove (Debian's perl) runs each cmocka program as a TAP producer and prints the totals. The
# Microkit tool's own cases run first when ../shared has them (their count is printed on its own).
test: test-build
	@sh tests/conformance.sh $(HOSTKIT) $(TOP)/../shared/sdf-cases
	cd $(TOP) && HOSTKIT=$(TEST_HOSTKIT) BUILD=$(BUILD) CMOCKA_MESSAGE_OUTPUT=TAP \
	    prove --exec '' $(if $(V),-v) $(TEST_BINS) $(TEST_SCRIPTS)

# The Microkit tool's own system-description cases (kept outside the repo, in ../shared/sdf-cases):
# every case must give the tool's exit status and message. Skipped when the cases are absent.
conformance: $(HOSTKIT)
	@sh tests/conformance.sh $(HOSTKIT) $(TOP)/../shared/sdf-cases

# The soak test at full length: 63 PDs for 60 s (make test runs it for 3 s).
.PHONY: soak
soak: test-build
	cd $(TOP) && HOSTKIT=$(TEST_HOSTKIT) BUILD=$(BUILD) CMOCKA_MESSAGE_OUTPUT=TAP HOSTKIT_SOAK_SECONDS=$(or $(SOAK_SECONDS),60) \
	    prove --exec '' -v $(BUILD)/tests/test_soak

# Keep the test objects (make would delete them as intermediates, after prove's summary).
.SECONDARY: $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.o) $(TESTUTIL_OBJ)
