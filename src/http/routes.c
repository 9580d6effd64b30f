/*
 * routes.c — the one table of what the API answers. docs/api.yaml documents exactly these
 * (method, path) pairs; tests/unit/http/test_openapi.c fails when the two differ.
 */
#include "http/handlers.h"

const struct http_route http_routes[] = {
    { HTTP_GET, "/v1/health", HTTP_AUTH_NONE, false, h_health },
    { HTTP_GET, "/v1/openapi.yaml", HTTP_AUTH_NONE, false, h_openapi },

    { HTTP_GET, "/v1/journal/checkpoint", HTTP_AUTH_NONE, true, h_journal_checkpoint },
    { HTTP_GET, "/v1/journal/key", HTTP_AUTH_NONE, true, h_journal_key },
    { HTTP_GET, "/v1/journal/entries", HTTP_AUTH_NONE, true, h_journal_entries },
    { HTTP_GET, "/v1/journal/proof/inclusion", HTTP_AUTH_NONE, true, h_journal_proof_inclusion },
    { HTTP_GET, "/v1/journal/proof/consistency", HTTP_AUTH_NONE, true,
      h_journal_proof_consistency },

    { HTTP_GET, "/v1/parties", HTTP_AUTH_NONE, true, h_parties_list },
    { HTTP_POST, "/v1/parties", HTTP_AUTH_REQUIRED, true, h_parties_add },
    { HTTP_GET, "/v1/parties/{id}", HTTP_AUTH_NONE, true, h_party_get },
    { HTTP_GET, "/v1/parties/{id}/delegates", HTTP_AUTH_NONE, true, h_party_delegates },
    { HTTP_GET, "/v1/parties/{id}/records", HTTP_AUTH_OPTIONAL, true, h_party_records_list },
    { HTTP_POST, "/v1/parties/{id}/records", HTTP_AUTH_REQUIRED, true, h_party_records_add },

    { HTTP_GET, "/v1/records", HTTP_AUTH_OPTIONAL, true, h_records_list },
    { HTTP_GET, "/v1/records/{id}", HTTP_AUTH_OPTIONAL, true, h_record_get },

    { HTTP_GET, "/v1/me", HTTP_AUTH_REQUIRED, true, h_me },
    { HTTP_GET, "/v1/delegates/{id}", HTTP_AUTH_NONE, true, h_delegate_get },
    { HTTP_DELETE, "/v1/delegates/{id}", HTTP_AUTH_REQUIRED, true, h_delegate_revoke },

    { HTTP_GET, "/v1/forecasts/latest", HTTP_AUTH_NONE, true, h_forecast_get },
    { HTTP_GET, "/v1/forecasts/{run}", HTTP_AUTH_NONE, true, h_forecast_get },
    { HTTP_GET, "/v1/forecasts/{run}/countries/{iso3}", HTTP_AUTH_NONE, true, h_forecast_country },
    { HTTP_GET, "/v1/hotspots", HTTP_AUTH_NONE, true, h_hotspots_list },
    { HTTP_GET, "/v1/hotspots/{id}", HTTP_AUTH_OPTIONAL, true, h_hotspot_get },

    { HTTP_GET, "/v1/events/countries/{iso3}/trend", HTTP_AUTH_NONE, true, h_events_trend },
};

const size_t http_routes_len = sizeof http_routes / sizeof http_routes[0];
