# coverage.mk — `make coverage`: line coverage of the examples' PD code, as gcov counters and
# lcov's HTML. Each example is built again with gcc's --coverage and run as its `make simulate`
# runs it, with `hostkit run --coverage` (its PDs write their counters when the run ends:
# src/kernel/coverage.c); lcov gathers the counters, genhtml draws $(BUILD)/coverage/html. The
# examples are cleaned at the end, so their next build is the plain one again. Needs Debian's lcov.
COVERAGE_DIR := $(BUILD)/coverage
.PHONY: coverage
coverage: all
	@command -v lcov >/dev/null || { echo "make coverage needs lcov (scripts/deps.sh lcov installs it)" >&2; exit 1; }
	rm -rf $(COVERAGE_DIR) && mkdir -p $(COVERAGE_DIR)
	set -e; for d in $(EXAMPLES); do \
	    $(MAKE) --no-print-directory -C $$d clean; \
	    $(MAKE) --no-print-directory -C $$d simulate CFLAGS=--coverage HOSTKIT_RUN_FLAGS=--coverage \
	        > $(COVERAGE_DIR)/$$(basename $$d).txt; \
	done
	lcov --quiet --capture --directory examples --output-file $(COVERAGE_DIR)/pd.info
	genhtml --quiet --output-directory $(COVERAGE_DIR)/html $(COVERAGE_DIR)/pd.info
	for d in $(EXAMPLES); do $(MAKE) --no-print-directory -C $$d clean; done
	find examples \( -name '*.gcno' -o -name '*.gcda' \) -delete
	@echo "coverage: $(COVERAGE_DIR)/html/index.html"
