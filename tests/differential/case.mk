# case.mk — builds one case of the differential suite (tests/differential/NAME/), for hostkit or,
# with MICROKIT_SDK set, for seL4 (mk/hostkit.mk's two modes, as the examples' Makefiles use them).
#
#   make -C tests/differential/NAME -f ../case.mk                       # X.elf beside NAME.system
#   make -C tests/differential/NAME -f ../case.mk MICROKIT_SDK=SDK [MICROKIT_BOARD=B]
#                                                 # loader.img in $(BUILD)/microkit/NAME/B/debug/
#
# A case is a directory with one NAME.system and one source file per program image: X.c is the
# image X.elf. Headers beside it or in tests/differential/common/ are shared by its PDs.
CASE_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
include $(CASE_DIR)/../../mk/hostkit.mk

CASE_IMAGES := $(patsubst %.c,%.elf,$(wildcard *.c))
CPPFLAGS += -I$(CASE_DIR)/common

.PHONY: all clean
all: $(CASE_IMAGES)

# A static pattern rule (explicit): with MICROKIT_SDK the image names are phony targets.
$(CASE_IMAGES): %.elf: %.c $(wildcard *.h $(CASE_DIR)/common/*.h) $(HOSTKIT_LIBS)
	$(HOSTKIT_LINK)

clean:
	rm -f $(CASE_IMAGES)
