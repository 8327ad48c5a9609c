#include "../common/pd.h"

void init(void) { say("up"); }

void notified(microkit_channel ch) { (void)ch; }
