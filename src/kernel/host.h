/* host.h — the Linux system calls the kernel layer makes by name-free wrappers. A PD's code may
 * define functions with libc's names for its own purposes (sDDF's pc99 UART driver has its own
 * `read` and `write`, freestanding code its own `putchar`): in a PD's executable those definitions
 * would take the place of libc's for libhostkit's calls too, so the kernel never calls them by
 * name, but through syscall(2). */
#ifndef HOSTKIT_KERNEL_HOST_H
#define HOSTKIT_KERNEL_HOST_H

#include <stddef.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static inline ssize_t hk_sys_write(int fd, const void *buf, size_t n) { return syscall(SYS_write, fd, buf, n); }
static inline int hk_sys_close(int fd) { return (int)syscall(SYS_close, fd); }

#endif
