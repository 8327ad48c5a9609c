# sdk.mk — hostkit as a Microkit SDK: `make sdk` builds $(BUILD)/sdk, a tree laid out as the
# Microkit SDK (bin/microkit, board/BOARD/CONFIG/{include,lib}, the toolchain names Microkit
# Makefiles call), so that Microkit projects build for hostkit with their own Makefiles:
#   PATH=$(BUILD)/sdk/bin:$PATH make MICROKIT_SDK=$(BUILD)/sdk MICROKIT_BOARD=qemu_virt_aarch64 \
#       MICROKIT_CONFIG=debug BUILD_DIR=...
# and BUILD_DIR/loader.img runs the system on hostkit. docs/sdk.md explains the tree; the pieces are
# in mk/sdk/ (make-tree.sh builds it). `make test` builds it and runs tests/test_sdk.sh (the tool and
# the toolchain shims) and tests/upstream/ (Microkit's own examples against it); `make install`
# installs it as PREFIX/share/hostkit/sdk. Included by the top-level Makefile after tests/tests.mk.

SDK := $(BUILD)/sdk
SDK_HOST_ARCH := $(shell uname -m)
SDK_VERSION := 2.3.0+hostkit.$(shell sed -n 's/^\#define HOSTKIT_VERSION "\(.*\)"$$/\1/p' $(TOP)/src/cli/hostkit.c)
SDK_INPUTS := $(LIBHOSTKIT) $(HOSTKIT) $(shell find $(TOP)/include -type f) $(wildcard $(TOP)/mk/sdk/*)

# mk/sddf/python: hostkit's sdfgen for sDDF's meta.py scripts, installed as lib/python (docs/sddf.md)
SDK_INPUTS += $(shell find $(TOP)/mk/sddf/python -type f -not -name '*.pyc')

.PHONY: sdk install-sdk uninstall-sdk
sdk: $(SDK)/VERSION

$(SDK)/VERSION: $(SDK_INPUTS)
	$(TOP)/mk/sdk/make-tree.sh $(SDK) $(TOP) $(LIBHOSTKIT) $(HOSTKIT) $(CC) $(SDK_HOST_ARCH) $(SDK_VERSION) $(LDFLAGS_BASE)

# The test suite uses the tree; tests/upstream/ is a directory of its own, so it is named here.
test-build: sdk
TEST_SCRIPTS += tests/upstream/test_upstream.sh

# Installed, bin/hostkit points at PREFIX/bin/hostkit; the rest is the tree as built.
SDK_INSTALL_DIR = $(INSTALL_DEST)/share/hostkit/sdk
install: install-sdk
install-sdk: sdk
	rm -rf $(SDK_INSTALL_DIR)
	mkdir -p $(dir $(SDK_INSTALL_DIR))
	cp -R -P $(SDK) $(SDK_INSTALL_DIR)
	ln -sfn ../../../../bin/hostkit $(SDK_INSTALL_DIR)/bin/hostkit

uninstall: uninstall-sdk
uninstall-sdk:
	rm -rf $(SDK_INSTALL_DIR)
