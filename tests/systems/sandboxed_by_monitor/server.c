#include "../sandboxed/server.c"
