/*
 * client.h — a minimal blocking HTTP/1.1 client for the tests: sends raw request bytes on a
 * fresh loopback connection and reads the response until the server closes it.
 */
#ifndef GSI_TESTS_HTTP_CLIENT_H
#define GSI_TESTS_HTTP_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

struct test_resp {
    int status;
    char head[4096]; /* status line and headers */
    char *body;      /* malloc'd, NUL-terminated */
    size_t body_len;
};

static inline int test_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = { 10, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static inline int test_send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads to EOF on `fd` and parses the response. 0, or -1 when there was no response. */
static inline int test_read_resp(int fd, struct test_resp *r)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t got = recv(fd, buf + len, cap - len - 1, 0);
        if (got <= 0) {
            break;
        }
        len += (size_t)got;
    }
    buf[len] = '\0';
    memset(r, 0, sizeof *r);
    char *sep = strstr(buf, "\r\n\r\n");
    if (len < 12 || sep == NULL || strncmp(buf, "HTTP/1.", 7) != 0) {
        free(buf);
        return -1;
    }
    r->status = atoi(buf + 9);
    size_t hl = (size_t)(sep - buf);
    memcpy(r->head, buf, hl < sizeof r->head - 1 ? hl : sizeof r->head - 1);
    r->body_len = len - hl - 4;
    r->body = malloc(r->body_len + 1);
    memcpy(r->body, sep + 4, r->body_len);
    r->body[r->body_len] = '\0';
    free(buf);
    return 0;
}

/* One request on a new connection. `req` must ask for "Connection: close". */
static inline int test_http(uint16_t port, const char *req, size_t req_len, struct test_resp *r)
{
    int fd = test_connect(port);
    if (fd < 0) {
        return -1;
    }
    (void)test_send_all(fd, req, req_len);
    int rc = test_read_resp(fd, r);
    close(fd);
    return rc;
}

static inline void test_resp_free(struct test_resp *r)
{
    free(r->body);
    r->body = NULL;
}

#endif
