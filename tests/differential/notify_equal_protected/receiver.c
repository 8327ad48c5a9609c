/* receiver: reports its notifications (not its init: where that comes among the other
 * equal-priority inits is init_order_equal's rule, not this case's). */
#define RECEIVER_QUIET_INIT
#include "receiver.h"
