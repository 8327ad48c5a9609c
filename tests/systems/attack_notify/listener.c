#include "../common/pd.h"

void init(void) { say("up"); }

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
