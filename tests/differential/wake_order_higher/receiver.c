/* receiver: reports its notifications; its init is quiet (the order of equal-priority inits is
 * init_order_equal's rule, not this case's). */
#define RECEIVER_QUIET_INIT
#include "receiver.h"
