# sddf.mk — sDDF on hostkit: `make test-sddf` builds sDDF's examples (../shared/sddf, the pinned
# tarball) for x86_64_generic with their own Makefiles against the SDK tree and checks each for what
# sDDF's CI looks for (tests/sddf/test_sddf.sh, TAP; docs/sddf.md). `make test` runs it too; it says
# SKIP when ../shared/sddf is not there. Included by the top-level Makefile after mk/sdk.mk.
.PHONY: test-sddf
test-sddf: sdk
	cd $(TOP) && BUILD=$(BUILD) prove --exec '' $(if $(V),-v) tests/sddf/test_sddf.sh

TEST_SCRIPTS += tests/sddf/test_sddf.sh
