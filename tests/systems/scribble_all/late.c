#include "../scribble/late.c"
