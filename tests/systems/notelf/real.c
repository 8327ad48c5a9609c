/* Prints at init: must not run when another PD's image is unusable. */
#include <microkit.h>

void init(void) { microkit_dbg_puts("real: init\n"); }

void notified(microkit_channel ch) { (void)ch; }
