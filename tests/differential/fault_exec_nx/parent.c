/* parent: reports its child's fault (common/parent.h), then stops it. */
#define PARENT_PRINT_IP
#include "parent.h"
