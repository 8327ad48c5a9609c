/* kick: starts the scenario from its init (the lowest priority). */
#include "kick.h"
