/* h_openapi.c — GET /v1/openapi.yaml: docs/api.yaml as embedded at build time. */
#include "http/handlers.h"
#include "http/http.h"

int http__openapi(struct http_req *req, struct http_resp *resp)
{
    resp->status = 200;
    resp->content_type = "application/yaml";
    resp->static_body = http_api_yaml;
    resp->static_len = http_api_yaml_len;
    return 0;
}
