/* listen.c — server defaults and the "ADDR:PORT" listen address (see http.h). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "core/text.h"
#include "http/http.h"

void http_server_opts_init(struct http_server_opts *o)
{
    memset(o, 0, sizeof *o);
    struct gsi_err err = GSI_ERR_INIT;
    (void)http_listen_parse(o, "127.0.0.1:8080", &err);
    o->threads = 0;
    o->conn_max = HTTP_CONN_MAX_DEFAULT;
    o->conn_per_ip = HTTP_CONN_PER_IP_DEFAULT;
    o->timeout_s = HTTP_TIMEOUT_DEFAULT;
    o->body_max = HTTP_BODY_MAX_DEFAULT;
    o->head_timeout_s = HTTP_HEAD_TIMEOUT_DEFAULT;
    o->body_rate = HTTP_BODY_RATE_DEFAULT;
    o->quiet = 0;
}

int http_listen_parse(struct http_server_opts *o, const char *spec, struct gsi_err *err)
{
    char host[64];
    const char *port_s;
    size_t n = strlen(spec);
    if (n == 0 || n > 80) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "--listen needs ADDR:PORT, such as 127.0.0.1:8080 or [::1]:8080");
    }
    if (spec[0] == '[') {
        /* IPv6 in brackets, as in URLs (RFC 3986 section 3.2.2). */
        const char *close = strchr(spec, ']');
        if (close == NULL || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host) {
            return gsi_err_set(err, GSI_EUSAGE,
                               "--listen '%s': an IPv6 address is written [ADDR]:PORT", spec);
        }
        gsi_slice_copy(host, sizeof host, spec + 1, (size_t)(close - spec - 1));
        port_s = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (colon == NULL || (size_t)(colon - spec) >= sizeof host ||
            memchr(spec, ':', (size_t)(colon - spec)) != NULL) {
            return gsi_err_set(err, GSI_EUSAGE,
                               "--listen '%s': expected ADDR:PORT, such as 127.0.0.1:8080", spec);
        }
        gsi_slice_copy(host, sizeof host, spec, (size_t)(colon - spec));
        port_s = colon + 1;
    }
    uint64_t port;
    size_t pn = strlen(port_s);
    /* At most five digits, so "080" is a port and "000080" is not. */
    if (pn > 5 || gsi_parse_u64(&port, port_s, pn) < 0 || port > 65535) {
        return gsi_err_set(err, GSI_EUSAGE,
                           "--listen '%s': the port must be a number from 0 to 65535", spec);
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (spec[0] == '[') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
        if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1) {
            return gsi_err_set(err, GSI_EUSAGE, "--listen '%s': '%s' is not an IPv6 address", spec,
                               host);
        }
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        o->addr_len = sizeof *a6;
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
        if (inet_pton(AF_INET, host, &a4->sin_addr) != 1) {
            return gsi_err_set(
                err, GSI_EUSAGE,
                "--listen '%s': '%s' is not an IPv4 address (write IPv6 as [ADDR]:PORT)", spec,
                host);
        }
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        o->addr_len = sizeof *a4;
    }
    o->addr = ss;
    return 0;
}
