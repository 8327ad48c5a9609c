/* ipc_buffer.c — lets libmicrokit 2.3 run in a system built by the Microkit 2.0.1 tool.
 *
 * libmicrokit 2.3 takes the IPC buffer to be the top page of user memory, where the 2.3 tool maps
 * it. The 2.0.1 tool maps it at the symbol __sel4_ipc_buffer_obj instead (2.0.1's microkit.ld puts
 * that symbol on a page of its own after .bss). libmicrokit's main() runs the image's constructors
 * before init() and before its first system call, so a constructor that points
 * __sel4_ipc_buffer at that page is all the difference needs. Compiled into the libmicrokit.a that
 * tests/differential/libmicrokit-2.3.sh builds; nothing of libmicrokit's own source is changed. */
#define __thread
#include <sel4/sel4.h>

extern seL4_IPCBuffer __sel4_ipc_buffer_obj;

__attribute__((constructor)) static void ipc_buffer_at_the_2_0_1_tools_place(void)
{
    __sel4_ipc_buffer = &__sel4_ipc_buffer_obj;
}
