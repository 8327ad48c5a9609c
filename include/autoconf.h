/* autoconf.h — every seL4 configuration name: the kernel's (kernel/gen_config.h) and libsel4's
 * (sel4/gen_config.h), as in a Microkit SDK's board include directory. */
#pragma once

#include <kernel/gen_config.h>
#include <sel4/gen_config.h>
