/* sel4/config.h — seL4's configuration, as libsel4's header of that name gives it: the kernel's
 * (kernel/gen_config.h, the board's; the one in hostkit's include/ is the `hostkit` board's debug
 * configuration, and hostkit's SDK tree has one per board and configuration) and libsel4's own
 * (sel4/gen_config.h). <sel4/sel4.h> includes it; docs/sdk.md says which CONFIG_ names are the
 * board's and which the host's. */
#pragma once

#include <autoconf.h>
