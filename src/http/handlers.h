/*
 * handlers.h — every route's handler, one h_<resource>.c file per resource. The route table
 * (routes.c) says which path and method each answers; docs/api.yaml documents them.
 */
#ifndef GSI_HTTP_HANDLERS_H
#define GSI_HTTP_HANDLERS_H

#include "http/route.h"

struct platform_delegate;

/* A delegate's public record as JSON (h_parties.c): id, party, role, name, created, revoked,
 * and pubkey/revoked_at when set. Never anything about its token. */
json_t *http_delegate_json(const struct platform_delegate *d);

/* Who reads (h_proc.c): the authenticated delegate, or for an anonymous caller a delegate of
 * no party in `anon`, who sees public records and cases only (the platform's NULL viewer is
 * the local administrator, who sees everything). */
const struct platform_delegate *http_viewer(const struct http_req *req,
                                            struct platform_delegate *anon);

/* h_health.c */
int http__health(struct http_req *req, struct http_resp *resp);
/* h_openapi.c */
int http__openapi(struct http_req *req, struct http_resp *resp);
/* h_journal.c */
int http__journal_checkpoint(struct http_req *req, struct http_resp *resp);
int http__journal_key(struct http_req *req, struct http_resp *resp);
int http__journal_entries(struct http_req *req, struct http_resp *resp);
int http__journal_proof_inclusion(struct http_req *req, struct http_resp *resp);
int http__journal_proof_consistency(struct http_req *req, struct http_resp *resp);
/* h_parties.c */
int http__parties_list(struct http_req *req, struct http_resp *resp);
int http__parties_add(struct http_req *req, struct http_resp *resp);
int http__party_get(struct http_req *req, struct http_resp *resp);
int http__party_delegates(struct http_req *req, struct http_resp *resp);
/* h_records.c */
int http__records_list(struct http_req *req, struct http_resp *resp);
int http__record_get(struct http_req *req, struct http_resp *resp);
int http__party_records_list(struct http_req *req, struct http_resp *resp);
int http__party_records_add(struct http_req *req, struct http_resp *resp);
/* h_delegates.c */
int http__me(struct http_req *req, struct http_resp *resp);
int http__delegate_get(struct http_req *req, struct http_resp *resp);
int http__delegate_revoke(struct http_req *req, struct http_resp *resp);
/* h_forecasts.c */
int http__forecast_get(struct http_req *req, struct http_resp *resp);
int http__forecast_country(struct http_req *req, struct http_resp *resp);
int http__hotspots_list(struct http_req *req, struct http_resp *resp);
int http__hotspot_get(struct http_req *req, struct http_resp *resp);
/* h_log.c: the journal as tlog-tiles */
int http__log_checkpoint(struct http_req *req, struct http_resp *resp);
int http__log_tile(struct http_req *req, struct http_resp *resp);
/* h_witness.c: C2SP tlog-witness */
int http__witness_add_checkpoint(struct http_req *req, struct http_resp *resp);

/* h_events.c */
int http__events_trend(struct http_req *req, struct http_resp *resp);

/* h_proc.c: every procedure's routes (concerns, notifications, ...) */
int http__proc_list(struct http_req *req, struct http_resp *resp);
int http__proc_get(struct http_req *req, struct http_resp *resp);
int http__proc_open(struct http_req *req, struct http_resp *resp);
int http__proc_act(struct http_req *req, struct http_resp *resp);

/* h_coop.c: cooperation (offers and requests are procedures; matches and allocations) */
int http__coop_open(struct http_req *req, struct http_resp *resp);
int http__coop_act(struct http_req *req, struct http_resp *resp);
int http__coop_matches(struct http_req *req, struct http_resp *resp);
int http__coop_allocations(struct http_req *req, struct http_resp *resp);
/* h_consult.c: consultations' consensus view and public participants, agreements' bytes */
int http__consult_consensus(struct http_req *req, struct http_resp *resp);
int http__consult_proposals(struct http_req *req, struct http_resp *resp);
int http__consult_register(struct http_req *req, struct http_resp *resp);
int http__consult_public_act(struct http_req *req, struct http_resp *resp);
int http__agreement_bytes(struct http_req *req, struct http_resp *resp);
int http__agreement_bundle(struct http_req *req, struct http_resp *resp);

#endif
