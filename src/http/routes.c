/*
 * routes.c — the one table of what the API answers. docs/api.yaml documents exactly these
 * (method, path) pairs; tests/unit/http/test_openapi.c fails when the two differ.
 */
#include "http/handlers.h"

const struct http_route http_routes[] = {
    { HTTP_GET, "/v1/health", HTTP_AUTH_NONE, false, http__health },
    { HTTP_GET, "/v1/openapi.yaml", HTTP_AUTH_NONE, false, http__openapi },

    { HTTP_GET, "/v1/journal/checkpoint", HTTP_AUTH_NONE, true, http__journal_checkpoint },
    { HTTP_GET, "/v1/journal/key", HTTP_AUTH_NONE, true, http__journal_key },
    { HTTP_GET, "/v1/journal/entries", HTTP_AUTH_NONE, true, http__journal_entries },
    { HTTP_GET, "/v1/journal/proof/inclusion", HTTP_AUTH_NONE, true,
      http__journal_proof_inclusion },
    { HTTP_GET, "/v1/journal/proof/consistency", HTTP_AUTH_NONE, true,
      http__journal_proof_consistency },

    { HTTP_GET, "/v1/parties", HTTP_AUTH_NONE, true, http__parties_list },
    { HTTP_POST, "/v1/parties", HTTP_AUTH_REQUIRED, true, http__parties_add },
    { HTTP_GET, "/v1/parties/{id}", HTTP_AUTH_NONE, true, http__party_get },
    { HTTP_GET, "/v1/parties/{id}/delegates", HTTP_AUTH_NONE, true, http__party_delegates },
    { HTTP_GET, "/v1/parties/{id}/records", HTTP_AUTH_OPTIONAL, true, http__party_records_list },
    { HTTP_POST, "/v1/parties/{id}/records", HTTP_AUTH_REQUIRED, true, http__party_records_add },

    { HTTP_GET, "/v1/records", HTTP_AUTH_OPTIONAL, true, http__records_list },
    { HTTP_GET, "/v1/records/{id}", HTTP_AUTH_OPTIONAL, true, http__record_get },

    { HTTP_GET, "/v1/me", HTTP_AUTH_REQUIRED, true, http__me },
    { HTTP_GET, "/v1/delegates/{id}", HTTP_AUTH_NONE, true, http__delegate_get },
    { HTTP_DELETE, "/v1/delegates/{id}", HTTP_AUTH_REQUIRED, true, http__delegate_revoke },

    { HTTP_GET, "/v1/forecasts/latest", HTTP_AUTH_NONE, true, http__forecast_get },
    { HTTP_GET, "/v1/forecasts/{run}", HTTP_AUTH_NONE, true, http__forecast_get },
    { HTTP_GET, "/v1/forecasts/{run}/countries/{iso3}", HTTP_AUTH_NONE, true,
      http__forecast_country },
    { HTTP_GET, "/v1/hotspots", HTTP_AUTH_NONE, true, http__hotspots_list },
    { HTTP_GET, "/v1/hotspots/{id}", HTTP_AUTH_OPTIONAL, true, http__hotspot_get },
    /* The journal as a C2SP tlog-tiles log (h_log.c). */
    { HTTP_GET, "/log/checkpoint", HTTP_AUTH_NONE, true, http__log_checkpoint },
    { HTTP_GET, "/log/tile/{path+}", HTTP_AUTH_NONE, true, http__log_tile },
    { HTTP_POST, "/add-checkpoint", HTTP_AUTH_NONE, true, http__witness_add_checkpoint },

    { HTTP_GET, "/v1/events/countries/{iso3}/trend", HTTP_AUTH_NONE, true, http__events_trend },

    /* Procedures (h_proc.c): the concerns register. */
    { HTTP_GET, "/v1/concerns", HTTP_AUTH_OPTIONAL, true, http__proc_list },
    { HTTP_POST, "/v1/concerns", HTTP_AUTH_REQUIRED, true, http__proc_open },
    { HTTP_GET, "/v1/concerns/{id}", HTTP_AUTH_OPTIONAL, true, http__proc_get },
    { HTTP_POST, "/v1/concerns/{id}/acknowledge", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/concerns/{id}/answer", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/concerns/{id}/withdraw", HTTP_AUTH_REQUIRED, true, http__proc_act },
    /* Confidence-building notifications. */
    { HTTP_GET, "/v1/notifications", HTTP_AUTH_OPTIONAL, true, http__proc_list },
    { HTTP_POST, "/v1/notifications", HTTP_AUTH_REQUIRED, true, http__proc_open },
    { HTTP_GET, "/v1/notifications/{id}", HTTP_AUTH_OPTIONAL, true, http__proc_get },
    { HTTP_POST, "/v1/notifications/{id}/acknowledge", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/notifications/{id}/amend", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/notifications/{id}/cancel", HTTP_AUTH_REQUIRED, true, http__proc_act },

    /* Cooperation (h_coop.c): offers and requests are procedures; every act re-runs the
     * allocation. */
    { HTTP_GET, "/v1/cooperation/offers", HTTP_AUTH_OPTIONAL, true, http__proc_list },
    { HTTP_POST, "/v1/cooperation/offers", HTTP_AUTH_REQUIRED, true, http__coop_open },
    { HTTP_GET, "/v1/cooperation/offers/{id}", HTTP_AUTH_OPTIONAL, true, http__proc_get },
    { HTTP_POST, "/v1/cooperation/offers/{id}/amend", HTTP_AUTH_REQUIRED, true, http__coop_act },
    { HTTP_POST, "/v1/cooperation/offers/{id}/withdraw", HTTP_AUTH_REQUIRED, true, http__coop_act },
    { HTTP_GET, "/v1/cooperation/requests", HTTP_AUTH_OPTIONAL, true, http__proc_list },
    { HTTP_POST, "/v1/cooperation/requests", HTTP_AUTH_REQUIRED, true, http__coop_open },
    { HTTP_GET, "/v1/cooperation/requests/{id}", HTTP_AUTH_OPTIONAL, true, http__proc_get },
    { HTTP_POST, "/v1/cooperation/requests/{id}/amend", HTTP_AUTH_REQUIRED, true, http__coop_act },
    { HTTP_POST, "/v1/cooperation/requests/{id}/withdraw", HTTP_AUTH_REQUIRED, true,
      http__coop_act },
    { HTTP_GET, "/v1/cooperation/matches", HTTP_AUTH_NONE, true, http__coop_matches },
    { HTTP_GET, "/v1/cooperation/allocations", HTTP_AUTH_NONE, true, http__coop_allocations },

    /* Forums and conferences (h_proc.c). */
    { HTTP_GET, "/v1/forums", HTTP_AUTH_OPTIONAL, true, http__proc_list },
    { HTTP_POST, "/v1/forums", HTTP_AUTH_REQUIRED, true, http__proc_open },
    { HTTP_GET, "/v1/forums/{id}", HTTP_AUTH_OPTIONAL, true, http__proc_get },
    { HTTP_POST, "/v1/forums/{id}/amend", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/forums/{id}/accept", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/forums/{id}/decline", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/forums/{id}/session", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/forums/{id}/outcome", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/forums/{id}/close", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/forums/{id}/cancel", HTTP_AUTH_REQUIRED, true, http__proc_act },

    /* Consultations, decisions and agreements (h_proc.c, h_consult.c). */
    { HTTP_GET, "/v1/consultations", HTTP_AUTH_OPTIONAL, true, http__proc_list },
    { HTTP_POST, "/v1/consultations", HTTP_AUTH_REQUIRED, true, http__proc_open },
    { HTTP_GET, "/v1/consultations/{id}", HTTP_AUTH_OPTIONAL, true, http__proc_get },
    { HTTP_POST, "/v1/consultations/{id}/consent", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/refuse", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/invite", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/statement", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/vote", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/moderate", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/proposal", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/position", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/decide", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_POST, "/v1/consultations/{id}/close", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_GET, "/v1/consultations/{id}/consensus", HTTP_AUTH_OPTIONAL, true,
      http__consult_consensus },
    { HTTP_GET, "/v1/consultations/{id}/proposals", HTTP_AUTH_OPTIONAL, true,
      http__consult_proposals },
    { HTTP_POST, "/v1/consultations/{id}/participants", HTTP_AUTH_NONE, true,
      http__consult_register },
    { HTTP_POST, "/v1/consultations/{id}/public/statement", HTTP_AUTH_NONE, true,
      http__consult_public_act },
    { HTTP_POST, "/v1/consultations/{id}/public/vote", HTTP_AUTH_NONE, true,
      http__consult_public_act },
    { HTTP_GET, "/v1/agreements", HTTP_AUTH_OPTIONAL, true, http__proc_list },
    { HTTP_POST, "/v1/agreements", HTTP_AUTH_REQUIRED, true, http__proc_open },
    { HTTP_GET, "/v1/agreements/{id}", HTTP_AUTH_OPTIONAL, true, http__proc_get },
    { HTTP_POST, "/v1/agreements/{id}/sign", HTTP_AUTH_REQUIRED, true, http__proc_act },
    { HTTP_GET, "/v1/agreements/{id}/bytes", HTTP_AUTH_OPTIONAL, true, http__agreement_bytes },
    { HTTP_GET, "/v1/agreements/{id}/bundle", HTTP_AUTH_OPTIONAL, true, http__agreement_bundle },
};

const size_t http_routes_len = sizeof http_routes / sizeof http_routes[0];
