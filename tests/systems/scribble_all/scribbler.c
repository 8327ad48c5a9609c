#include "../scribble/scribbler.c"
