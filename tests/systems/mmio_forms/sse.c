/* An access the decoder refuses (an SSE load) on a trapped register: a VM fault at its address. */
#include <microkit.h>
#include <stdint.h>

uintptr_t hpet; /* setvar_vaddr */

void init(void)
{
    microkit_dbg_puts("sse: loading the HPET's capabilities with movdqu\n");
    __asm__ volatile("movdqu (%0), %%xmm0" ::"r"(hpet) : "xmm0");
    microkit_dbg_puts("sse: not reached\n");
}

void notified(microkit_channel ch) { (void)ch; }
