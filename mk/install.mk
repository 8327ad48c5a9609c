# install.mk — `make install PREFIX=DIR [DESTDIR=STAGING]` (default PREFIX /usr/local) and
# `make uninstall`: installs what a user's project needs to build and run PDs for hostkit:
#   bin/hostkit, lib/libhostkit.a, include/*.h (microkit.h, hostkit_test.h, ...), include/sel4/*.h,
#   lib/libhostkit_test.a and share/hostkit/python/hostkit_pytest.py (users' tests: docs/testing.md),
#   lib/pkgconfig/hostkit.pc,
#   share/man/man1/hostkit.1, share/hostkit/hostkit.mk (the Makefile fragment of mk/hostkit.mk),
#   share/hostkit/microkit-sdk.mk and share/hostkit/microkit-sdk/ (building the same PDs for seL4),
#   share/hostkit/sdk (hostkit as a Microkit SDK tree: mk/sdk.mk adds it).
# Included by the top-level Makefile, after HOSTKIT and LIBHOSTKIT are defined.
PREFIX ?= /usr/local
override PREFIX := $(abspath $(PREFIX))
INSTALL ?= install
HOSTKIT_VERSION := $(shell sed -n 's/^\#define HOSTKIT_VERSION "\(.*\)"$$/\1/p' $(TOP)/src/cli/hostkit.c)
INSTALL_DEST = $(DESTDIR)$(PREFIX)
# every header under include/, subdirectories (sel4/, kernel/) included
PUBLIC_HEADERS := $(shell find $(TOP)/include -name '*.h' | LC_ALL=C sort)
SDK_SUPPORT_FILES := $(wildcard $(TOP)/mk/microkit-sdk/*)
INSTALLED_FILES := bin/hostkit lib/libhostkit.a lib/libhostkit_test.a share/hostkit/python/hostkit_pytest.py \
    lib/pkgconfig/hostkit.pc share/man/man1/hostkit.1 \
    share/hostkit/hostkit.mk share/hostkit/microkit-sdk.mk $(SDK_SUPPORT_FILES:$(TOP)/mk/%=share/hostkit/%) \
    $(PUBLIC_HEADERS:$(TOP)/%=%) $(SEL4_HEADERS:$(TOP)/%=%)

.PHONY: install uninstall
install: $(HOSTKIT) $(LIBHOSTKIT) $(LIBHOSTKIT_TEST)
	$(INSTALL) -d $(INSTALL_DEST)/bin $(INSTALL_DEST)/lib/pkgconfig $(INSTALL_DEST)/include/sel4 \
	    $(INSTALL_DEST)/share/man/man1 $(INSTALL_DEST)/share/hostkit/microkit-sdk $(INSTALL_DEST)/share/hostkit/python
	$(INSTALL) -m 755 $(HOSTKIT) $(INSTALL_DEST)/bin/hostkit
	$(INSTALL) -m 644 $(LIBHOSTKIT) $(INSTALL_DEST)/lib/libhostkit.a
	$(INSTALL) -m 644 $(LIBHOSTKIT_TEST) $(INSTALL_DEST)/lib/libhostkit_test.a
	$(INSTALL) -m 644 $(TOP)/python/hostkit_pytest.py $(INSTALL_DEST)/share/hostkit/python/hostkit_pytest.py
	for h in $(PUBLIC_HEADERS:$(TOP)/include/%=%); do \
	    $(INSTALL) -D -m 644 $(TOP)/include/$$h $(INSTALL_DEST)/include/$$h || exit 1; done
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(HOSTKIT_VERSION)|g' $(TOP)/mk/hostkit.pc.in \
	    > $(INSTALL_DEST)/lib/pkgconfig/hostkit.pc
	$(INSTALL) -m 644 $(TOP)/docs/hostkit.1 $(INSTALL_DEST)/share/man/man1/hostkit.1
	$(INSTALL) -m 644 $(TOP)/mk/hostkit.mk $(TOP)/mk/microkit-sdk.mk $(INSTALL_DEST)/share/hostkit/
	$(INSTALL) -m 644 $(SDK_SUPPORT_FILES) $(INSTALL_DEST)/share/hostkit/microkit-sdk/

uninstall:
	rm -f $(addprefix $(INSTALL_DEST)/,$(INSTALLED_FILES))
	-rmdir $(INSTALL_DEST)/share/hostkit/microkit-sdk $(INSTALL_DEST)/share/hostkit/python $(INSTALL_DEST)/share/hostkit 2>/dev/null
	-rmdir $(INSTALL_DEST)/include/sel4 $(INSTALL_DEST)/include/kernel 2>/dev/null
