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
#include "http/http.h"
#include "platform/consult.h"
#include "platform/consult_live.h"
#include "platform/platform.h"

static const char serve_usage[] =
    "Usage: gsi serve [--listen ADDR:PORT] [--db URL] [options]\n"
    "\n"
    "Serves the HTTP API (see GET /v1/openapi.yaml) until interrupted.\n";
static const char serve_epilog[] =
    "It prints one line \"gsi serve: listening on http://ADDR:PORT\" once it accepts\n"
    "connections.\n";

/* What the options ask for: the server's and the platform's options, and this command's. */
struct serve_args {
    struct http_server_opts ho;
    struct platform_opts po;
    const char *listen;
    unsigned checkpoint_every; /* seconds; 0: only at shutdown */
    const char *witness_key, *witness_logs, *witnesses;
};

/* The numeric options, read as the table's 64-bit types and narrowed once they are checked
 * (every range is within unsigned). */
struct serve_numbers {
    uint64_t threads, writers, conn_max, conn_per_ip, timeout_s, head_timeout_s, body_rate;
    uint64_t checkpoint_every, public_rate;
    bool quiet;
};

/* Reads argv into `a` (defaults first). Returns -1 to go on, or the exit status: 0 after
 * --help, GSI_EXIT_USAGE after a reported usage error. */
static int serve_args_parse(struct serve_args *a, int argc, char **argv)
{
    http_server_opts_init(&a->ho);
    platform_opts_init(&a->po);
    a->listen = "127.0.0.1:8080";
    a->witness_key = a->witness_logs = a->witnesses = NULL;
    struct serve_numbers n = {
        .threads = a->ho.threads,
        .writers = a->ho.writers,
        .conn_max = a->ho.conn_max,
        .conn_per_ip = a->ho.conn_per_ip,
        .timeout_s = a->ho.timeout_s,
        .head_timeout_s = a->ho.head_timeout_s,
        .body_rate = a->ho.body_rate,
        .checkpoint_every = 1,
        .public_rate = 0 /* 0: not given, the platform's default */
    };
    const struct cli_option opts[] = {
        CLI_OPT_STRING("--listen", "ADDR:PORT", &a->listen,
                       "where to listen (default 127.0.0.1:8080; port 0 picks a\n"
                       "free port; IPv6 as [::1]:8080)"),
        CLI_OPT_STRING("--db", "URL", &a->po.db,
                       "./gsi.db (default), a SQLite path, or postgresql://..."),
        CLI_OPT_U64("--threads", "N", &n.threads, 1, HTTP_THREADS_MAX,
                    "event-loop threads, which answer reads (default: one per\n"
                    "CPU, at least 4)"),
        CLI_OPT_U64("--writers", "N", &n.writers, 1, HTTP_THREADS_MAX,
                    "threads that run writes and wait for their group commit\n"
                    "(default 64)"),
        CLI_OPT_U64("--max-conns", "N", &n.conn_max, 1, 1000000,
                    "open connections in all (default 1024)"),
        CLI_OPT_U64("--max-conns-per-ip", "N", &n.conn_per_ip, 1, 1000000,
                    "open connections from one address (default 256)"),
        CLI_OPT_U64("--timeout", "S", &n.timeout_s, 1, 86400,
                    "seconds before an idle connection is closed (default 30)"),
        CLI_OPT_U64("--head-timeout", "S", &n.head_timeout_s, 1, 3600,
                    "seconds a request's head may take to arrive, and a\n"
                    "keep-alive connection may wait for its next (default 10)"),
        CLI_OPT_U64("--min-body-rate", "B", &n.body_rate, 0, 1u << 30,
                    "bytes a second a request body must average once past\n"
                    "the head timeout (default 1024)"),
        CLI_OPT_U64("--checkpoint-every", "S", &n.checkpoint_every, 0, 86400,
                    "sign a checkpoint every S seconds when the journal grew\n"
                    "(default 1; 0: never, only at shutdown)"),
        CLI_OPT_FLAG("--quiet", &n.quiet, "no log line when accepting a connection fails"),
        CLI_OPT_STRING("--witness-key", "FILE", &a->witness_key,
                       "witness other logs (POST /add-checkpoint), cosigning with\n"
                       "this key (`gsi witness keygen`)"),
        CLI_OPT_STRING("--witness-logs", "FILE", &a->witness_logs,
                       "the logs to witness: \"log VKEY\" lines"),
        CLI_OPT_STRING("--witnesses", "FILE", &a->witnesses,
                       "submit each new checkpoint to the witnesses of this policy\n"
                       "(\"witness VKEY URL\" lines) and serve it at /log/checkpoint\n"
                       "with their cosignatures"),
        CLI_OPT_U64("--public-rate", "N", &n.public_rate, 1, 1000000,
                    "registrations of members of the public one address may make\n"
                    "per minute in open consultations (default 20)"),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "serve", serve_usage, serve_epilog, opts };
    int st = cli_parse(&cmd, argc, argv, 1);
    if (st >= 0) {
        return st;
    }
    a->ho.threads = (unsigned)n.threads;
    a->ho.writers = (unsigned)n.writers;
    a->ho.conn_max = (unsigned)n.conn_max;
    a->ho.conn_per_ip = (unsigned)n.conn_per_ip;
    a->ho.timeout_s = (unsigned)n.timeout_s;
    a->ho.head_timeout_s = (unsigned)n.head_timeout_s;
    a->ho.body_rate = (unsigned)n.body_rate;
    a->ho.quiet = n.quiet ? 1 : a->ho.quiet;
    a->checkpoint_every = (unsigned)n.checkpoint_every;
    if (n.public_rate > 0) {
        platform_consult_public_rate((unsigned)n.public_rate);
    }
    return -1;
}

/* Blocks the stop signals in every thread (the server's inherit this mask), so that only
 * sigtimedwait in serve_until_stopped sees them; a write-end closing under a client is not a
 * signal. Called before any thread starts. */
static void stop_signals_block(sigset_t *stop)
{
    sigemptyset(stop);
    sigaddset(stop, SIGINT);
    sigaddset(stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, stop, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* What runs while serving, started in this order and stopped in the reverse. */
struct serve_run {
    struct platform *p;
    struct witness_serve *ws;
    struct http_server *srv;
};

/* Opens the platform, starts the witness and the HTTP server. On failure stops what started
 * and returns the error. */
static int serve_start(struct serve_run *r, struct serve_args *a, struct gsi_err *err)
{
    /* Commits sign at most once per interval (the platform's), the tick loop signs the rest:
     * a write burst costs at most two signatures a second, not one per commit. */
    a->po.checkpoint_every_ms = a->checkpoint_every > 0 ? a->checkpoint_every * 1000u : UINT_MAX;
    r->ws = NULL;
    int rc = platform_open(&r->p, &a->po, err);
    if (rc < 0) {
        return rc;
    }
    rc = witness_serve_start(&r->ws, r->p, a->witness_key, a->witness_logs, a->witnesses, err);
    if (rc < 0) {
        platform_close(r->p);
        return rc;
    }
    rc = http_server_start(&r->srv, &a->ho, r->p, err);
    if (rc < 0) {
        witness_serve_stop(r->ws);
        platform_close(r->p);
    }
    return rc;
}

/* Prints the one line that says the server accepts connections (the port the kernel gave
 * when --listen asked for port 0). */
static void serve_print_listening(const struct serve_run *r, const char *listen)
{
    char host[64] = "127.0.0.1";
    if (listen[0] == '[') {
        snprintf(host, sizeof host, "%.*s", (int)(strchr(listen, ']') - listen + 1), listen);
    } else {
        snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
    }
    printf("gsi serve: listening on http://%s:%u (%s)\n", host, http_server_port(r->srv),
           platform_backend(r->p));
    fflush(stdout);
}

/* Waits for SIGINT or SIGTERM, signing a checkpoint at each tick when the journal grew.
 * Returns GSI_EXIT_OK on a stop signal, GSI_EXIT_FAILURE when waiting itself failed. */
static int serve_until_stopped(struct platform *p, const sigset_t *stop, unsigned every)
{
    struct gsi_err err = GSI_ERR_INIT;
    for (;;) {
        struct timespec tick = { every > 0 ? every : 3600, 0 };
        int sig = sigtimedwait(stop, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            return GSI_EXIT_OK;
        }
        if (sig < 0 && errno != EAGAIN && errno != EINTR) {
            perror("gsi serve: sigtimedwait");
            return GSI_EXIT_FAILURE;
        }
        if (every > 0 && platform_journal_checkpoint_sign(p, NULL, &err) < 0) {
            /* The API still answers; a checkpoint that could not be signed now is signed at
             * the next tick. */
            gsi_err_print(&err, "gsi serve: checkpoint");
            gsi_err_clear(&err);
        }
    }
}

/* Stops what serve_start started and signs the last checkpoint. Returns `status`, or
 * GSI_EXIT_FAILURE when that checkpoint could not be signed. */
static int serve_stop(struct serve_run *r, int status)
{
    struct gsi_err err = GSI_ERR_INIT;
    fprintf(stderr, "gsi serve: stopping\n");
    witness_serve_stop(r->ws);
    http_server_stop(r->srv);
    platform_consult_live_shutdown(r->p); /* the consensus views' thread reads through it */
    if (platform_journal_checkpoint_sign(r->p, NULL, &err) < 0) {
        gsi_err_print(&err, "gsi serve: checkpoint");
        status = GSI_EXIT_FAILURE;
    }
    platform_close(r->p);
    return status;
}

int cmd_serve(int argc, char **argv)
{
    struct serve_args a;
    int st = serve_args_parse(&a, argc, argv);
    if (st >= 0) {
        return st;
    }
    struct gsi_err err = GSI_ERR_INIT;
    if (http_listen_parse(&a.ho, a.listen, &err) < 0) {
        return cli_usage_error("serve", "%s", err.msg);
    }
    sigset_t stop;
    stop_signals_block(&stop);
    struct serve_run r;
    if (serve_start(&r, &a, &err) < 0) {
        return cli_fail(&err);
    }
    serve_print_listening(&r, a.listen);
    return serve_stop(&r, serve_until_stopped(r.p, &stop, a.checkpoint_every));
}
