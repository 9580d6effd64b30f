/*
 * consult_live.h — the live consensus view of a consultation, kept current as votes arrive.
 *
 * Votes are written by the write path like any act (consult_votes rows, ids in commit order).
 * The view is computed apart from it: the first request for a consultation's view loads its
 * statements and votes into a consensus engine (src/consensus) and computes; from then on one
 * background thread per platform reads, every `interval_us`, the votes with an id above the
 * last one it saw (and the statements, for new ones and moderation), folds them in with
 * consensus_update, runs a full consensus_compute when due (docs/internals/consensus.md,
 * "Recommended policy": every batch under 100,000 votes; above, when the votes folded in since
 * the last compute pass 1 % of the matrix or 60 s passed), and renders the view's JSON once.
 * A reader copies the last rendered view under a mutex held only for the copy. Writers never
 * wait for any of it: the thread reads committed rows through the read pool.
 *
 *     char *json; size_t len;
 *     if (platform_consult_live_view(p, 12, &json, &len, &err) == 0) { send(json, len); free(json);
 * }
 *     ...
 *     platform_consult_live_shutdown(p);   // before platform_close(p)
 *
 * The view (JSON object), documented in docs/api.yaml (ConsensusView):
 *   consultation, last_vote (the id of the newest vote it reflects), votes, as_of (µs),
 *   computed ("full" or "update"), participants [{id, kind "party"|"public", party, group,
 *   x, y, votes}], groups [{id, size, representative [{statement, agree, p_success}]}],
 *   common_ground [{statement, text, consensus}], differences [{statement, text,
 *   divisiveness}], statements [{statement, text, moderated, agree, disagree, pass,
 *   groups [{agree, disagree, seen}]}], parties [{party, positions [{statement, vote}]}],
 *   public {participants, votes, statements [{statement, agree, disagree, pass}]}.
 * Public participants' votes count in the engine (groups, common ground) like everyone's, and
 * are shown apart from the parties' positions: `parties` holds each party's delegates' votes,
 * `public` the public's counts.
 */
#ifndef GSI_PLATFORM_CONSULT_LIVE_H
#define GSI_PLATFORM_CONSULT_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct platform;

#define CONSULT_LIVE_MAX     256                 /* consultations followed at once per platform */
#define CONSULT_LIVE_BATCH   200000              /* votes read per consultation per round */
#define CONSULT_VOTER_PUBLIC INT64_C(1000000000) /* public voter ids start here */
#define CONSULT_LIVE_TOP     10                  /* statements in common_ground and differences */

struct consult_live_opts {
    int64_t interval_us; /* between rounds of the background thread (default 50 ms) */
    int threads;         /* engine threads per consultation (default 1) */
};

/* Sets the options of `p`'s live views (before the first view; later calls are ignored). */
void platform_consult_live_configure(struct platform *p, const struct consult_live_opts *o);

/* A copy of the current view of `consultation` as JSON (malloc'd, NUL-terminated). The first
 * call for a consultation computes it in the caller's thread and starts following it. The
 * caller has checked that the consultation exists and that its viewer may see it.
 * GSI_ELIMIT past CONSULT_LIVE_MAX consultations, GSI_EDB, GSI_ENOMEM. */
int platform_consult_live_view(struct platform *p, int64_t consultation, char **json, size_t *len,
                               struct gsi_err *err);

/* Stops `p`'s background thread and frees every view. Call before platform_close. */
void platform_consult_live_shutdown(struct platform *p);

#endif
