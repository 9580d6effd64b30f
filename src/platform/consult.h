/*
 * consult.h — consultations, decisions and agreements as procedures (proc.h), and what they
 * add to the procedure shape: public participants, the agreement's bytes and bundle.
 *
 * The procedures: platform_proc_consultation (consult.c: propose, consent, refuse, invite,
 * statement, vote, moderate, proposal, position, decide, close) and platform_proc_agreement
 * (agreement.c: draft, sign). docs/internals/consultations.md describes their rules.
 *
 * Public participants. An open consultation admits members of the public: one registers
 * (platform_consult_public_register, rate-limited per address) and receives a participant token
 * bound to that consultation; its statements and votes (platform_consult_public_act) are journalled
 * as acts of the party CONSULT_PUBLIC_PARTY by the platform, with the participant's id in the
 * payload, and its votes are kept apart from the parties' positions in the consensus view. A token
 * used in another consultation is GSI_EFORBIDDEN, an unknown one GSI_EAUTH.
 */
#ifndef GSI_PLATFORM_CONSULT_H
#define GSI_PLATFORM_CONSULT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "platform/platform.h"
#include "platform/proc.h"

#define CONSULT_PUBLIC_PARTY     "X-PUBLIC"
#define CONSULT_PUBLIC_TOKEN_MAX 72   /* "gsip_" + 64 hex + NUL, rounded up */
#define CONSULT_PUBLIC_NAME_MAX  80   /* bytes of a public participant's name */
#define CONSULT_RATE_SLOTS       4096 /* addresses the registration limiter remembers */

extern const struct platform_proc platform_proc_consultation; /* consult.c */
extern const struct platform_proc platform_proc_agreement;    /* agreement.c */

/* Registrations one address may make per minute (default 20; 0 leaves it unchanged). */
void platform_consult_public_rate(unsigned per_minute);

/* Registers a member of the public named `name` in open consultation `consultation`, from
 * network address `address` (for the rate limit only; it is not stored). Writes the
 * participant token (shown once; only its SHA-256 is kept) and the participant's id.
 * GSI_ELIMIT (429-like: "too many registrations from this address") past the rate,
 * GSI_ENOTFOUND for no such consultation, GSI_EFORBIDDEN when it is not open, GSI_ECONFLICT when
 * it is not active. Journalled as consultation.register by party CONSULT_PUBLIC_PARTY. */
int platform_consult_public_register(struct platform *p, char token[CONSULT_PUBLIC_TOKEN_MAX],
                                     int64_t *participant, int64_t consultation, const char *name,
                                     const char *address, int64_t now_s, struct gsi_err *err);

/* A public participant's act `verb` ("statement" or "vote") with JSON object `payload` in
 * consultation `consultation`, authenticated by its participant token. */
int platform_consult_public_act(struct platform *p, struct platform_proc_receipt *out,
                                int64_t consultation, const char *token, const char *verb,
                                const char *payload, size_t len, struct gsi_err *err);

struct consult_polis;
/* Opens an open, active consultation of `party` from a parsed Polis export (consult_import.h),
 * journalled as consultation.import with the files' SHA-256 (lower-case hex) and counts; the
 * statements and votes go in with it, in one transaction. The local administrator's act. */
int platform_consult_import(struct platform *p, int64_t *id, const char *party,
                            const char *question, const char *domain, const char *means,
                            const struct consult_polis *x, const char *comments_sha256,
                            const char *votes_sha256, struct gsi_err *err);

/* The proposals of consultation `id`, each with its outcome, deadline and the parties'
 * positions, as a JSON array appended to `out`. The caller checked visibility. */
int platform_consult_proposals_json(struct platform *p, struct gsi_buf *out, int64_t id,
                                    struct gsi_err *err);

/* Agreement `id`'s canonical bytes (agree.h), appended to `out`. GSI_ENOTFOUND. */
int platform_consult_agreement_bytes(struct platform *p, struct gsi_buf *out, int64_t id,
                                     struct gsi_err *err);

/* Agreement `id`'s bundle (agree.h) with every signature it has, appended to `out`. */
int platform_consult_agreement_export(struct platform *p, struct gsi_buf *out, int64_t id,
                                      struct gsi_err *err);

#endif
