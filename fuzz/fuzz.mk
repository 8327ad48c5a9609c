# fuzz.mk — libFuzzer target for the system-description parser and checker (fuzz/fuzz_sdf.c).
#   make fuzz-deps                 installs clang and its fuzzer runtime (the `fuzz` group of
#                                  scripts/debian-packages.txt: clang, libclang-rt-14-dev; `make deps` does too)
#   make fuzz [FUZZ_SECONDS=N]     fuzzes for N seconds (default 60); new inputs go to $(BUILD)/fuzz/corpus,
#                                  crashes to $(BUILD)/fuzz/artifacts/
#   make fuzz-build                builds $(BUILD)/fuzz/fuzz_sdf and its seed corpus only
# `make test` runs the fuzzer for a fixed 20,000 executions (tests/test_fuzz.c) when clang's fuzzer
# runtime is there; when it is not, that test reports `# SKIP` with the reason (and .ci/run fails).
# The seed corpus is every .system file of the project (tests, examples, benchmarks) plus the
# hand-written broken and hostile files in fuzz/corpus/, gathered into $(BUILD)/fuzz/seeds.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc
FUZZ_SRCS := fuzz/fuzz_sdf.c $(wildcard src/sdf/*.c)
FUZZ_BIN := $(BUILD)/fuzz/fuzz_sdf
FUZZ_SEED_FILES := $(wildcard fuzz/corpus/*) $(shell find tests examples bench -name '*.system' 2>/dev/null)

.PHONY: fuzz fuzz-build fuzz-deps fuzz-if-available

fuzz-deps:
	@./scripts/deps.sh fuzz

$(FUZZ_BIN): $(FUZZ_SRCS) $(wildcard src/sdf/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SRCS) -lexpat

$(BUILD)/fuzz/seeds/.stamp: $(FUZZ_SEED_FILES)
	@rm -rf $(BUILD)/fuzz/seeds && mkdir -p $(BUILD)/fuzz/seeds
	@for f in $(FUZZ_SEED_FILES); do cp "$$f" "$(BUILD)/fuzz/seeds/$$(echo $$f | tr / _)"; done
	@touch $@

fuzz-build: $(FUZZ_BIN) $(BUILD)/fuzz/seeds/.stamp

fuzz: fuzz-build
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/artifacts
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -dict=fuzz/sdf.dict -artifact_prefix=$(BUILD)/fuzz/artifacts/ $(BUILD)/fuzz/corpus $(BUILD)/fuzz/seeds

# For `make test`: builds the fuzzer only when clang can link a libFuzzer program here.
fuzz-if-available:
	@if echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' | \
	    $(FUZZ_CC) -x c -fsanitize=fuzzer - -o /dev/null >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory fuzz-build; \
	else \
	    echo "fuzz: $(FUZZ_CC) with libFuzzer not available (make fuzz-deps installs it); the fuzz test will report SKIP"; \
	    rm -f $(FUZZ_BIN); \
	fi
