#include <unistd.h>

#include "../common/pd.h"

void init(void) { say("pid %U", (seL4_Word)getpid()); }

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
