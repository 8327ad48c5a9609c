#include "../common/pd.h"

void init(void) { crash(); }

void notified(microkit_channel ch) { (void)ch; }
