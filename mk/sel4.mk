# sel4.mk — seL4 itself as the judge of hostkit, from the sources in ../shared/sel4 (or
# SEL4_SOURCES=DIR holding the same archives; see its README.md). Included by the Makefile.
#   make sel4-sdk    builds the Microkit 2.0.1 SDK (qemu_virt_aarch64, qemu_virt_riscv64; debug) and
#                    unpacks nanopb's C runtime into build/sel4-sdk/, offline, installing the Debian
#                    groups sel4* of scripts/debian-packages.txt (scripts/sel4-sdk.sh); rebuilt only when
#                    an archive, the patch, the script or the package list changed
#   make test-sel4   every example and differential case on hostkit and on seL4 in QEMU, compared
#                    line by line (tests/test_sel4.sh, TAP, verbose). `make test` runs it too (and
#                    builds the SDK first) when the sources are there, and says SKIP when not.
# The SDK is the same for SANITIZE=1 builds: it always lives in $(TOP)/build/sel4-sdk.
SEL4_SOURCES ?= $(TOP)/../shared/sel4
SEL4_SDK_OUT := $(TOP)/build/sel4-sdk
SEL4_SDK := $(SEL4_SDK_OUT)/microkit-sdk-2.0.1
SEL4_NANOPB := $(SEL4_SDK_OUT)/nanopb-0.4.7
SEL4_ENV = SEL4_SOURCES=$(SEL4_SOURCES) SEL4_SDK_OUT=$(SEL4_SDK_OUT) SEL4_SDK=$(SEL4_SDK) SEL4_NANOPB=$(SEL4_NANOPB)

.PHONY: sel4-sdk test-sel4
sel4-sdk:
	@$(SEL4_ENV) ./scripts/sel4-sdk.sh

test-sel4: all sel4-sdk
	cd $(TOP) && $(SEL4_ENV) HOSTKIT=$(HOSTKIT) BUILD=$(BUILD) prove --exec '' -v tests/test_sel4.sh

ifneq ($(wildcard $(SEL4_SOURCES)/.),)
test-build: sel4-sdk
endif
