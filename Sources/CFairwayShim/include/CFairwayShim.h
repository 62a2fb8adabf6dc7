#ifndef CFAIRWAYSHIM_H
#define CFAIRWAYSHIM_H
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/eventfd.h>
#include <signal.h>

/// Peer credentials of a connected Unix socket (SO_PEERCRED). Returns 0 or -1 with errno.
int fairway_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC. Returns the descriptor or -1 with errno.
int fairway_accept_nonblocking(int fd);

/// Sets O_NONBLOCK (and FD_CLOEXEC) on a descriptor. Returns 0 or -1 with errno.
int fairway_set_nonblocking(int fd);

/// Fixes glibc malloc's mmap threshold at `bytes` (mallopt M_MMAP_THRESHOLD),
/// which also stops glibc from raising it on its own. Returns 1 on success.
int fairway_set_mmap_threshold(int bytes);

/// Names the calling thread (the first 15 bytes show in `top -H`, `ps -L`
/// and /proc/PID/task/TID/comm).
void fairway_name_thread(const char *name);

/// Asks the kernel (EEVDF, Linux 6.12 and later) for short time slices for
/// the calling thread, so that it preempts threads with longer ones when it
/// wakes: for the thread a waiting client's request goes through. Needs no
/// privilege. Returns 0, or -1 with errno (older kernels: EINVAL or E2BIG).
int fairway_request_short_slices(unsigned long long nanoseconds);

#endif
