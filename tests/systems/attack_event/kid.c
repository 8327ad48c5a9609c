#include "../common/pd.h"

void init(void) {}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
