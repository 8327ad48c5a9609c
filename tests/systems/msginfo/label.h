#ifndef LABEL_H
#define LABEL_H
#include "../common/pd.h"
/* seL4_MessageInfo's label field is 52 bits wide on 64-bit seL4. */
#define LABEL_MAX ((seL4_Word)0xfffffffffffffu)
/* echo's reply to (label, count): label bits inverted, count mirrored. */
static inline seL4_Word reply_label(seL4_Word label) { return ~label & LABEL_MAX; }
static inline seL4_Word reply_count(seL4_Word count) { return seL4_MsgMaxLength - count; }
#endif
