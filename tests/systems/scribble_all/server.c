#include "../scribble/server.c"
