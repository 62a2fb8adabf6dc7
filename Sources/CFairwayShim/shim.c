#define _GNU_SOURCE
#include <sys/socket.h>
#include <fcntl.h>
#include <stddef.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>
#include <sys/syscall.h>
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

void fairway_name_thread(const char *name) {
    char short_name[16];
    size_t i = 0;
    for (; name[i] != 0 && i < 15; i++) short_name[i] = name[i];
    short_name[i] = 0;
    pthread_setname_np(pthread_self(), short_name);
}

struct fairway_sched_attr {
    unsigned int size;
    unsigned int sched_policy;
    unsigned long long sched_flags;
    int sched_nice;
    unsigned int sched_priority;
    unsigned long long sched_runtime;
    unsigned long long sched_deadline;
    unsigned long long sched_period;
};

int fairway_request_short_slices(unsigned long long nanoseconds) {
    struct fairway_sched_attr attr = {0};
    attr.size = sizeof(attr);
    attr.sched_policy = 0; /* SCHED_OTHER */
    attr.sched_nice = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    attr.sched_runtime = nanoseconds;
    return (int)syscall(SYS_sched_setattr, (pid_t)syscall(SYS_gettid), &attr, 0u);
}
