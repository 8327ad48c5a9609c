# fuzz.mk — libFuzzer targets: the system-description parser and checker (fuzz/fuzz_sdf.c), the
# monitor's ELF reader (fuzz/fuzz_elf.c, seeded with the test systems' PD images) and its trace
# decoder (fuzz/fuzz_trace.c, from no seed).
#   make fuzz-deps                 installs clang and its fuzzer runtime (the `fuzz` group of
#                                  scripts/debian-packages.txt: clang, libclang-rt-14-dev; `make deps` does too)
#   make fuzz [FUZZ_SECONDS=N]     fuzzes for N seconds (default 60); new inputs go to $(BUILD)/fuzz/corpus,
#                                  crashes to $(BUILD)/fuzz/artifacts/
#   make fuzz-build                builds $(BUILD)/fuzz/fuzz_sdf and its seed corpus only
# `make test` runs each fuzzer for a fixed number of executions (tests/test_fuzz.c) when clang's
# fuzzer runtime is there; when it is not, those tests report `# SKIP` with the reason (and
# .ci/run fails). `make fuzz` fuzzes the parser; FUZZ_TARGET=elf or trace fuzzes the others.
# The seed corpus is every .system file of the project (tests, examples, benchmarks) plus the
# hand-written broken and hostile files in fuzz/corpus/, gathered into $(BUILD)/fuzz/seeds.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc
FUZZ_SRCS := fuzz/fuzz_sdf.c $(wildcard src/sdf/*.c)
FUZZ_BIN := $(BUILD)/fuzz/fuzz_sdf
FUZZ_SEED_FILES := $(wildcard fuzz/corpus/*) $(shell find tests examples bench -name '*.system' 2>/dev/null)

FUZZ_ELF_BIN := $(BUILD)/fuzz/fuzz_elf
FUZZ_TRACE_BIN := $(BUILD)/fuzz/fuzz_trace
FUZZ_TARGET ?= sdf

.PHONY: fuzz fuzz-build fuzz-deps fuzz-if-available

fuzz-deps:
	@./scripts/deps.sh fuzz

$(FUZZ_BIN): $(FUZZ_SRCS) $(wildcard src/sdf/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SRCS) -lexpat

$(FUZZ_ELF_BIN): fuzz/fuzz_elf.c src/monitor/elf.c src/monitor/elf_sym.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/fuzz_elf.c src/monitor/elf.c

$(FUZZ_TRACE_BIN): fuzz/fuzz_trace.c src/monitor/trace.c src/monitor/trace.h src/kernel/kobj.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/fuzz_trace.c src/monitor/trace.c

$(BUILD)/fuzz/seeds/.stamp: $(FUZZ_SEED_FILES)
	@rm -rf $(BUILD)/fuzz/seeds && mkdir -p $(BUILD)/fuzz/seeds
	@for f in $(FUZZ_SEED_FILES); do cp "$$f" "$(BUILD)/fuzz/seeds/$$(echo $$f | tr / _)"; done
	@touch $@

fuzz-build: $(FUZZ_BIN) $(BUILD)/fuzz/seeds/.stamp $(FUZZ_ELF_BIN) $(FUZZ_TRACE_BIN)

# The ELF fuzzer's seeds are PD images of the test systems (`make test-build` first).
FUZZ_CORPUS := $(BUILD)/fuzz/corpus$(if $(filter sdf,$(FUZZ_TARGET)),,-$(FUZZ_TARGET))
FUZZ_SEEDS_sdf := $(BUILD)/fuzz/seeds
FUZZ_SEEDS_elf := $(BUILD)/tests/systems/pingpong $(BUILD)/tests/systems/attack_trace
fuzz: fuzz-build
	@mkdir -p $(FUZZ_CORPUS) $(BUILD)/fuzz/artifacts
	$(BUILD)/fuzz/fuzz_$(FUZZ_TARGET) $(if $(filter sdf,$(FUZZ_TARGET)),-dict=fuzz/sdf.dict) \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz/artifacts/ $(FUZZ_CORPUS) $(FUZZ_SEEDS_$(FUZZ_TARGET))

# For `make test`: builds the fuzzer only when clang can link a libFuzzer program here.
fuzz-if-available:
	@if echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' | \
	    $(FUZZ_CC) -x c -fsanitize=fuzzer - -o /dev/null >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory fuzz-build; \
	else \
	    echo "fuzz: $(FUZZ_CC) with libFuzzer not available (make fuzz-deps installs it); the fuzz test will report SKIP"; \
	    rm -f $(FUZZ_BIN) $(FUZZ_ELF_BIN) $(FUZZ_TRACE_BIN); \
	fi
