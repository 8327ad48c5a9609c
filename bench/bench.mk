# bench.mk — `make bench`: hostkit's benchmark (bench/bench.c), not a test; it times nothing in
# `make test`. Builds the benchmark program and the PD images of bench/systems/SYS/*.c (with the
# same flags as the test systems) to build/bench/, then runs it once and prints the tables.
#   make bench                 7 repetitions, 200 ms per measurement
#   make bench SAVE=1          also writes bench/results/YYYY-MM-DD-HHMM.txt (tables + machine)
#   make bench BENCH_REPS=3 BENCH_MS=100   shorter
BENCH_PD_SRCS := $(wildcard bench/systems/*/*.c)
BENCH_PD_ELFS := $(BENCH_PD_SRCS:bench/systems/%.c=$(BUILD)/bench/systems/%.elf)
BENCH_BIN := $(BUILD)/bench/bench
BENCH_REPS ?= 7
BENCH_MS ?= 200

$(BUILD)/bench/systems/%.elf: bench/systems/%.c $(wildcard bench/systems/*/*.h) include/microkit.h $(LIBHOSTKIT)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iinclude -o $@ $< $(LIBHOSTKIT) $(LDFLAGS_BASE)

# The ppcall system once more, linked with a libhostkit whose trace hooks are compiled out, so the
# benchmark can show what the hooks cost when tracing is off.
NOHOOKS_LIB := $(BUILD)/bench/nohooks/libhostkit.a
NOHOOKS_OBJS := $(LIB_SRCS:%.c=$(BUILD)/bench/nohooks/obj/%.o)
NOHOOKS_ELFS := $(patsubst bench/systems/ppcall/%.c,$(BUILD)/bench/nohooks/ppcall/%.elf,$(wildcard bench/systems/ppcall/*.c))

$(BUILD)/bench/nohooks/obj/%.o: %.c $(wildcard src/*/*.h include/*.h include/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -DHOSTKIT_NO_TRACE -Iinclude -Isrc -c $< -o $@

$(NOHOOKS_LIB): $(NOHOOKS_OBJS)
	rm -f $@; ar rcs $@ $^

$(BUILD)/bench/nohooks/ppcall/%.elf: bench/systems/ppcall/%.c $(wildcard bench/systems/*/*.h) include/microkit.h $(NOHOOKS_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iinclude -o $@ $< $(NOHOOKS_LIB) $(LDFLAGS_BASE)

$(BENCH_BIN): bench/bench.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< $(LDFLAGS_BASE)

.PHONY: bench bench-build
bench-build: all $(BENCH_BIN) $(BENCH_PD_ELFS) $(NOHOOKS_ELFS)

bench: bench-build
	@mkdir -p bench/results
	$(BENCH_BIN) --hostkit $(HOSTKIT) --systems bench/systems --images $(BUILD)/bench/systems \
	    --images-nohooks $(BUILD)/bench/nohooks \
	    --reps $(BENCH_REPS) --ms $(BENCH_MS) $(BENCH_QEMU_ARGS) \
	    $(if $(filter 1,$(SAVE)),--save bench/results/$(shell date +%Y-%m-%d-%H%M).txt)

# Copies the newest bench/results/*.txt into docs/performance.md and README.md (between markers).
.PHONY: bench-publish
bench-publish:
	sh bench/publish.sh

# The seL4 column: when ../shared/sel4 is there (mk/sel4.mk), the ppcall, chain, notify and boot63
# PDs are built unchanged with the SDK of `make sel4-sdk` for qemu_virt_aarch64 (debug), by
# tests/differential/case.mk (one X.c per image X.elf), into build/bench/sel4/SYS/loader.img; bench
# boots each in QEMU once per repetition. On seL4 a PD runs BENCH_SEL4_OPS operations between two
# serial lines (bench/systems/common/bench_pd.h); at ~34 us a ppcall, 20000 take ~0.7 s.
BENCH_SEL4_SYSTEMS := ppcall chain notify boot63
BENCH_SEL4_OPS ?= 20000
BENCH_SEL4_DIR := $(BUILD)/bench/sel4
ifneq ($(wildcard $(SEL4_SOURCES)/.),)
BENCH_QEMU_ARGS := --qemu-images $(BENCH_SEL4_DIR)
bench-build: bench-sel4
endif
.PHONY: bench-sel4
bench-sel4: sel4-sdk
	@for s in $(BENCH_SEL4_SYSTEMS); do \
	    $(MAKE) --no-print-directory -s -C bench/systems/$$s -f $(TOP)/tests/differential/case.mk \
	        MICROKIT_SDK=$(SEL4_SDK) MICROKIT_BOARD=qemu_virt_aarch64 MICROKIT_BUILD_DIR=$(BENCH_SEL4_DIR)/$$s \
	        MICROKIT_CFLAGS="-std=gnu11 -g -O2 -Wall -Wextra -DBENCH_SEL4_OPS=$(BENCH_SEL4_OPS)" >/dev/null || exit 1; \
	done
