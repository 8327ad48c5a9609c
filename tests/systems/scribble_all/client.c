#include "../scribble/client.c"
