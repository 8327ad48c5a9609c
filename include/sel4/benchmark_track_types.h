/* sel4/benchmark_track_types.h — libsel4's header of that name: the kernel entry log of seL4's
 * CONFIG_BENCHMARK_TRACK_KERNEL_ENTRIES configuration. hostkit keeps no kernel entry log and no
 * board's configuration sets that option here, so there is nothing in it to give; the header is
 * there because sDDF's benchmark PD includes it in every configuration. */
#pragma once

#include <sel4/config.h>
