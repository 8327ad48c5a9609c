# fresh.mk — `make test-fresh` (run by .ci/run): the README's first commands on a minimal Debian 12
# root, as a new user runs them, from a clean clone of HEAD (uncommitted changes are not tested).
# scripts/fresh-root.sh makes the pristine root once (debootstrap --variant=minbase bookworm, kept
# as $(FRESH_DIR)/minbase.tar, made again when the dependency scripts change); every run of
# scripts/test-fresh.sh starts from a copy of it. Needs root; the host needs the `fresh` group of
# scripts/debian-packages.txt (debootstrap, git), which this installs.
# The downloaded .debs stay in $(FRESH_DIR)/debs across runs; `make clean` deletes it all.
FRESH_DIR ?= $(TOP)/build/fresh

.PHONY: test-fresh fresh-deps
fresh-deps:
	@./scripts/deps.sh fresh

$(FRESH_DIR)/minbase.tar: scripts/fresh-root.sh scripts/deps.sh scripts/debian-packages.txt | fresh-deps
	./scripts/fresh-root.sh $(FRESH_DIR)

test-fresh: fresh-deps $(FRESH_DIR)/minbase.tar
	./scripts/test-fresh.sh $(FRESH_DIR)
