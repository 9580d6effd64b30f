/*
 * witness_submit.h — `gsi serve` with witnesses: this server as a witness of other logs
 * (--witness-key, --witness-logs) and its own log submitting each new checkpoint to the
 * witnesses of a policy file (--witnesses), keeping the cosignatures they return
 * (C2SP tlog-witness; journal/witness.h, journal/cosig.h).
 *
 * The submitter is one thread. About five times a second it reads the latest checkpoint the
 * log signed; when it is new, it POSTs it to each witness's add-checkpoint with a consistency
 * proof from the size that witness last cosigned (learnt from a 409 the first time), checks
 * the cosignature lines that come back with the witness's key, and stores the checkpoint with
 * the valid ones (platform_journal_cosigned_put), which GET /log/checkpoint then serves. A
 * witness that refuses or cannot be reached is tried again a second later, and reported once
 * per checkpoint size on stderr.
 */
#ifndef GSI_CLI_WITNESS_SUBMIT_H
#define GSI_CLI_WITNESS_SUBMIT_H

#include "core/err.h"

struct platform;
struct witness_serve;

/* Sets up what the three files ask (any may be NULL): the witness key and the logs it
 * follows (both or neither), and the policy whose witnesses the log submits to. *out is NULL
 * when there is nothing to run. */
int witness_serve_start(struct witness_serve **out, struct platform *p, const char *key_file,
                        const char *logs_file, const char *policy_file, struct gsi_err *err);

/* Stops the submitter thread (if any) and frees. NULL is a no-op. */
void witness_serve_stop(struct witness_serve *w);

/* One submission round now, for tests and benchmarks: 0 when every witness cosigned the
 * latest checkpoint. */
int witness_serve_round(struct witness_serve *w, struct gsi_err *err);

#endif
