/* proc_registry.c — every procedure this build knows. Add a procedure's table at the end. */
#include <string.h>

#include "platform/consult.h"
#include "platform/proc.h"

const struct platform_proc *const platform_procs[] = {
    &platform_proc_concern,
    &platform_proc_notification,
    &platform_proc_coop_offer,
    &platform_proc_coop_request,
    &platform_proc_forum,
    &platform_proc_consultation,
    &platform_proc_agreement,
    NULL,
};

const struct platform_proc *platform_proc_find(const char *name_or_path)
{
    for (size_t i = 0; name_or_path != NULL && platform_procs[i] != NULL; i++) {
        if (strcmp(platform_procs[i]->name, name_or_path) == 0 ||
            strcmp(platform_procs[i]->path, name_or_path) == 0) {
            return platform_procs[i];
        }
    }
    return NULL;
}
