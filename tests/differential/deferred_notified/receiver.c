/* receiver: reports its init and notifications. */
#include "receiver.h"
