/* cmd_events.h — the parts of `gsi events` that live in their own files. */
#ifndef GSI_CLI_CMD_EVENTS_H
#define GSI_CLI_CMD_EVENTS_H

/* `gsi events load FILE... --db URL` (cmd_events_load.c); argv[0] is "load". Returns the
 * exit status. */
int cmd_events_load(int argc, char **argv);

#endif
