/* recipe_run.h - shared by the recipe drivers (test code, not a recipe):
 * loopback UDP sockets, starting a recipe program, waiting with a bound. */
#ifndef RECIPE_RUN_H
#define _POSIX_C_SOURCE 200809L /* fork, kill, nanosleep */
#define RECIPE_RUN_H

#include <sipmsg.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,  \
                    #cond);                                                   \
            exit(1);                                                          \
        }                                                                     \
    } while (0)

static inline int rr_eq(sipmsg_slice s, const char *c)
{
    return s.ptr && strlen(c) == s.len && memcmp(s.ptr, c, s.len) == 0;
}

/* a UDP socket on 127.0.0.1, any port; its port in *port */
static inline int rr_udp(unsigned *port)
{
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(getsockname(fd, (struct sockaddr *)&a, &l) == 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static inline void rr_send(int fd, const char *buf, size_t n, unsigned port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)port);
    CHECK(sendto(fd, buf, n, 0, (struct sockaddr *)&a, sizeof a) == (ssize_t)n);
}

/* one datagram within 3 s, parsed into m (buf must outlive m); the
 * sender's port in *from (may be NULL) */
static inline void rr_recv(int fd, char *buf, size_t cap, sipmsg_msg *m, unsigned *from)
{
    struct pollfd p = {fd, POLLIN, 0};
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    CHECK(poll(&p, 1, 3000) == 1);
    ssize_t n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&a, &l);
    CHECK(n > 0);
    CHECK(sipmsg_parse(m, buf, (size_t)n, NULL, NULL) == SIPMSG_DONE);
    if (from)
        *from = ntohs(a.sin_port);
}

/* starts argv[0] with stdout to a pipe; returns its pid, the pipe in *out */
static inline pid_t rr_start(char **argv, int *out)
{
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    *out = p[0];
    return pid;
}

/* waits at most 5 s for pid; returns its exit status (kills it on timeout) */
static inline int rr_wait(pid_t pid)
{
    int st;
    for (int i = 0; i < 500; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return 124;
}

#endif
