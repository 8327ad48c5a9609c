/* common.h — the shared region as both PDs see it: its address and size in this PD (setvars). */
#include "out.h"

seL4_Word buf;
seL4_Word buf_size;

static inline void report_mapping(void)
{
    out_begin();
    out("region at ");
    out_hex(buf);
    out(", size ");
    out_hex(buf_size);
    out_end();
}
