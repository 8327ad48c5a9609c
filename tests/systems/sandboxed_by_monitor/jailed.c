#define SANDBOX_BY_MONITOR
#include "../sandboxed/jailed.c"
