/* sel4/benchmark_utilisation_types.h — libsel4's header of that name: under
 * CONFIG_BENCHMARK_TRACK_UTILISATION (the benchmark configuration), the indices of the words
 * seL4_BenchmarkGetThreadUtilisation leaves in the IPC buffer, in seL4's order. hostkit declares
 * them for sDDF's benchmark PD; it does not implement the seL4_Benchmark* calls that fill them. */
#pragma once

#include <sel4/config.h>

#ifdef CONFIG_BENCHMARK_TRACK_UTILISATION
enum benchmark_track_util_ipc_index {
    BENCHMARK_TCB_UTILISATION,           /* the thread: cycles scheduled */
    BENCHMARK_TCB_NUMBER_SCHEDULES,      /* times scheduled */
    BENCHMARK_TCB_KERNEL_UTILISATION,    /* cycles in the kernel */
    BENCHMARK_TCB_NUMBER_KERNEL_ENTRIES, /* kernel entries */
    BENCHMARK_IDLE_LOCALCPU_UTILISATION, /* the idle thread, likewise */
    BENCHMARK_IDLE_TCBCPU_UTILISATION,
    BENCHMARK_IDLE_NUMBER_SCHEDULES,
    BENCHMARK_IDLE_KERNEL_UTILISATION,
    BENCHMARK_IDLE_NUMBER_KERNEL_ENTRIES,
    BENCHMARK_TOTAL_UTILISATION,         /* the core, over the period */
    BENCHMARK_TOTAL_NUMBER_SCHEDULES,
    BENCHMARK_TOTAL_KERNEL_UTILISATION,
    BENCHMARK_TOTAL_NUMBER_KERNEL_ENTRIES,
};
#endif
