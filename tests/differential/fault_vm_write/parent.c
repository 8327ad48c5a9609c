/* parent: reports its child's fault (common/parent.h), then stops it. */
#include "parent.h"
