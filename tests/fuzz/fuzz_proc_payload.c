/* Fuzz target for procedures' payloads (src/platform/proc_schema.c): the input after its first
 * byte is a JSON payload, checked against the schema of the act the first byte picks among
 * every procedure's acts (party fields are refused: there is no database here); and the whole
 * input as an RFC 3339 time. A payload that passes must hold only declared fields. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "platform/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t us;
    platform_time_parse(&us, (const char *)data, size);
    if (size == 0) {
        return 0;
    }
    size_t nacts = 0;
    for (size_t i = 0; platform_procs[i] != NULL; i++) {
        nacts += platform_procs[i]->nacts;
    }
    size_t pick = data[0] % nacts;
    const struct platform_proc_act *a = NULL;
    for (size_t i = 0; a == NULL && platform_procs[i] != NULL; i++) {
        if (pick < platform_procs[i]->nacts) {
            a = &platform_procs[i]->acts[pick];
        } else {
            pick -= platform_procs[i]->nacts;
        }
    }
    json_t *obj = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
    if (obj == NULL) {
        return 0;
    }
    struct gsi_err err = GSI_ERR_INIT;
    if (platform__proc_payload_check(NULL, a, obj, NULL, &err) == 0) {
        const char *k;
        json_t *v;
        json_object_foreach(obj, k, v)
        {
            bool declared = strcmp(k, "party") == 0;
            for (size_t i = 0; i < a->nfields; i++) {
                declared |= strcmp(k, a->fields[i].name) == 0;
            }
            if (!declared) { /* checked here by its own loop, not platform__proc_field_known */
                __builtin_trap();
            }
        }
    } else if (err.code != GSI_EDATA || err.msg[0] != '/') {
        __builtin_trap(); /* every refusal names its field by JSON pointer */
    }
    json_decref(obj);
    return 0;
}
