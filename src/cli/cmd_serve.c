/*
 * cmd_serve.c — `gsi serve`: the HTTP API on one database until SIGINT or SIGTERM.
 *
 * The server's threads answer requests; this thread waits for a signal and, once a second,
 * signs a checkpoint when the journal has grown, so the published checkpoint trails the
 * journal by at most the interval.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/witness_submit.h"
#include "core/text.h"
#include "http/http.h"
#include "platform/consult.h"
#include "platform/consult_live.h"
#include "platform/platform.h"

static void usage(FILE *out)
{
    fputs("Usage: gsi serve [--listen ADDR:PORT] [--db URL] [options]\n"
          "\n"
          "Serves the HTTP API (see GET /v1/openapi.yaml) until interrupted.\n"
          "\n"
          "Options:\n"
          "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080; port 0 picks a\n"
          "                       free port; IPv6 as [::1]:8080)\n"
          "  --db URL             ./gsi.db (default), a SQLite path, or postgresql://...\n"
          "  --threads N          event-loop threads, which answer reads (default: one per\n"
          "                       CPU, at least 4)\n"
          "  --writers N          threads that run writes and wait for their group commit\n"
          "                       (default 64)\n"
          "  --max-conns N        open connections in all (default 1024)\n"
          "  --max-conns-per-ip N open connections from one address (default 256)\n"
          "  --timeout S          seconds before an idle connection is closed (default 30)\n"
          "  --head-timeout S     seconds a request's head may take to arrive, and a\n"
          "                       keep-alive connection may wait for its next (default 10)\n"
          "  --min-body-rate B    bytes a second a request body must average once past\n"
          "                       the head timeout (default 1024)\n"
          "  --checkpoint-every S sign a checkpoint every S seconds when the journal grew\n"
          "                       (default 1; 0: never, only at shutdown)\n"
          "  --quiet              no error log from the HTTP library\n"
          "  --witness-key FILE   witness other logs (POST /add-checkpoint), cosigning with\n"
          "                       this key (`gsi witness keygen`)\n"
          "  --witness-logs FILE  the logs to witness: \"log VKEY\" lines\n"
          "  --witnesses FILE     submit each new checkpoint to the witnesses of this policy\n"
          "                       (\"witness VKEY URL\" lines) and serve it at /log/checkpoint\n"
          "                       with their cosignatures\n"
          "  --public-rate N      registrations of members of the public one address may make\n"
          "                       per minute in open consultations (default 20)\n"
          "\n"
          "It prints one line \"gsi serve: listening on http://ADDR:PORT\" once it accepts\n"
          "connections.\n",
          out);
}

static int parse_uint(unsigned *out, const char *cmd, const char *opt, const char *v, unsigned lo,
                      unsigned hi)
{
    int64_t x;
    if (gsi_parse_i64(&x, v, strlen(v)) < 0 || x < lo || x > hi) {
        cli_usage_error(cmd, "%s must be a number from %u to %u, not '%s'", opt, lo, hi, v);
        return -1;
    }
    *out = (unsigned)x;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    struct http_server_opts ho;
    http_server_opts_init(&ho);
    struct platform_opts po;
    platform_opts_init(&po);
    struct gsi_err err = GSI_ERR_INIT;
    const char *listen = "127.0.0.1:8080";
    unsigned checkpoint_every = 1;
    const char *witness_key = NULL;
    const char *witness_logs = NULL;
    const char *witnesses = NULL;

    for (int i = 1; i < argc; i++) {
        bool missing = false;
        const char *v;
        if (cli_is_help(argv[i])) {
            usage(stdout);
            return GSI_EXIT_OK;
        } else if ((v = cli_opt(argc, argv, &i, "--listen", &missing)) != NULL) {
            listen = v;
        } else if ((v = cli_opt(argc, argv, &i, "--db", &missing)) != NULL) {
            po.db = v;
        } else if ((v = cli_opt(argc, argv, &i, "--threads", &missing)) != NULL) {
            if (parse_uint(&ho.threads, "serve", "--threads", v, 1, HTTP_THREADS_MAX) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--writers", &missing)) != NULL) {
            if (parse_uint(&ho.writers, "serve", "--writers", v, 1, HTTP_THREADS_MAX) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--max-conns", &missing)) != NULL) {
            if (parse_uint(&ho.conn_max, "serve", "--max-conns", v, 1, 1000000) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--max-conns-per-ip", &missing)) != NULL) {
            if (parse_uint(&ho.conn_per_ip, "serve", "--max-conns-per-ip", v, 1, 1000000) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--timeout", &missing)) != NULL) {
            if (parse_uint(&ho.timeout_s, "serve", "--timeout", v, 1, 86400) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--head-timeout", &missing)) != NULL) {
            if (parse_uint(&ho.head_timeout_s, "serve", "--head-timeout", v, 1, 3600) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--min-body-rate", &missing)) != NULL) {
            if (parse_uint(&ho.body_rate, "serve", "--min-body-rate", v, 0, 1u << 30) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--checkpoint-every", &missing)) != NULL) {
            if (parse_uint(&checkpoint_every, "serve", "--checkpoint-every", v, 0, 86400) < 0) {
                return GSI_EXIT_USAGE;
            }
        } else if ((v = cli_opt(argc, argv, &i, "--witness-key", &missing)) != NULL) {
            witness_key = v;
        } else if ((v = cli_opt(argc, argv, &i, "--witness-logs", &missing)) != NULL) {
            witness_logs = v;
        } else if ((v = cli_opt(argc, argv, &i, "--witnesses", &missing)) != NULL) {
            witnesses = v;
        } else if ((v = cli_opt(argc, argv, &i, "--public-rate", &missing)) != NULL) {
            unsigned rate = 0;
            if (parse_uint(&rate, "serve", "--public-rate", v, 1, 1000000) < 0) {
                return GSI_EXIT_USAGE;
            }
            platform_consult_public_rate(rate);
        } else if (strcmp(argv[i], "--quiet") == 0) {
            ho.quiet = 1;
        } else if (missing) {
            return cli_usage_error("serve", "%s needs a value", argv[i]);
        } else {
            return cli_usage_error("serve", "unknown argument '%s'", argv[i]);
        }
    }
    if (http_listen_parse(&ho, listen, &err) < 0) {
        return cli_usage_error("serve", "%s", err.msg);
    }

    /* Block the stop signals in every thread (the server's inherit this mask), so that only
     * sigtimedwait below sees them; a write-end closing under a client is not a signal. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Commits sign at most once per interval (the platform's), this loop signs the rest at
     * each tick: a write burst costs at most two signatures a second, not one per commit. */
    po.checkpoint_every_ms = checkpoint_every > 0 ? checkpoint_every * 1000u : UINT_MAX;
    struct platform *p;
    if (platform_open(&p, &po, &err) < 0) {
        return cli_fail(&err);
    }
    struct witness_serve *ws = NULL;
    if (witness_serve_start(&ws, p, witness_key, witness_logs, witnesses, &err) < 0) {
        platform_close(p);
        return cli_fail(&err);
    }
    struct http_server *srv;
    if (http_server_start(&srv, &ho, p, &err) < 0) {
        witness_serve_stop(ws);
        platform_close(p);
        return cli_fail(&err);
    }
    char host[64] = "127.0.0.1";
    if (listen[0] == '[') {
        snprintf(host, sizeof host, "%.*s", (int)(strchr(listen, ']') - listen + 1), listen);
    } else {
        snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
    }
    printf("gsi serve: listening on http://%s:%u (%s)\n", host, http_server_port(srv),
           platform_backend(p));
    fflush(stdout);

    int status = GSI_EXIT_OK;
    for (;;) {
        struct timespec tick = { checkpoint_every > 0 ? checkpoint_every : 3600, 0 };
        int sig = sigtimedwait(&stop, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            break;
        }
        if (sig < 0 && errno != EAGAIN && errno != EINTR) {
            perror("gsi serve: sigtimedwait");
            status = GSI_EXIT_FAILURE;
            break;
        }
        if (checkpoint_every > 0 && platform_journal_checkpoint_sign(p, NULL, &err) < 0) {
            /* The API still answers; a checkpoint that could not be signed now is signed at
             * the next tick. */
            gsi_err_print(&err, "gsi serve: checkpoint");
            gsi_err_clear(&err);
        }
    }
    fprintf(stderr, "gsi serve: stopping\n");
    witness_serve_stop(ws);
    http_server_stop(srv);
    platform_consult_live_shutdown(p); /* the consensus views' thread reads through the platform */
    if (platform_journal_checkpoint_sign(p, NULL, &err) < 0) {
        gsi_err_print(&err, "gsi serve: checkpoint");
        status = GSI_EXIT_FAILURE;
    }
    platform_close(p);
    return status;
}
