/* rogue: a PD with its own hostkit_sandbox_enter, so libhostkit's filter is never entered
 * (tests/test_attacks_pd.c): what the monitor's filter, in force since exec, still refuses. */
#include "probes.h"

int hostkit_sandbox_enter(void);
int hostkit_sandbox_enter(void) { return 0; }

void init(void) { probe_host_calls(true); }

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
