/* pd: reports its init (every PD of the case runs this image). */
#include "receiver.h"
