#define _GNU_SOURCE
#include <sys/socket.h>
#include <fcntl.h>
#include <stddef.h>
#include <malloc.h>
#include "CFairwayShim.h"

int fairway_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *pid = cred.pid;
    *uid = cred.uid;
    *gid = cred.gid;
    return 0;
}

int fairway_accept_nonblocking(int fd) {
    return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int fairway_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return -1;
    int fdflags = fcntl(fd, F_GETFD);
    if (fdflags < 0) return -1;
    return fcntl(fd, F_SETFD, fdflags | FD_CLOEXEC);
}

int fairway_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
