/* main.c — the `gsi` program: dispatches to one subcommand per cmd_<name>.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "gsi_config.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
#define GSI_CMD_ROW(name, fn, summary) { name, fn, summary },
    GSI_COMMANDS(GSI_CMD_ROW)
#undef GSI_CMD_ROW
};

static void usage(FILE *out)
{
    fputs("Usage: gsi <command> [options]\n"
          "\n"
          "GSI, an open platform for common security: early warning from conflict event\n"
          "data, a register of security concerns, consultations with a consensus engine,\n"
          "signed agreements and a publicly verifiable journal.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fputs("\n"
          "Options:\n"
          "  -h, --help     show this help (gsi <command> --help for a command's)\n"
          "  --version      print the version\n"
          "\n"
          "Exit status: 0 success, 1 runtime failure, 2 usage error, 65 bad input data.\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return GSI_EXIT_USAGE;
    }
    if (cli_is_help(argv[1])) {
        usage(stdout);
        return GSI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("gsi %s\n", GSI_VERSION);
        return GSI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].fn(argc - 1, argv + 1);
            /* A result that did not reach its reader is a failure (a full disk, a closed
             * pipe), whatever the command thought. */
            if ((fflush(stdout) != 0 || ferror(stdout)) && rc == GSI_EXIT_OK) {
                fprintf(stderr, "gsi: cannot write the output: %s\n", strerror(errno));
                rc = GSI_EXIT_FAILURE;
            }
            return rc;
        }
    }
    fprintf(stderr, "gsi: unknown command '%s'\nTry 'gsi --help'.\n", argv[1]);
    return GSI_EXIT_USAGE;
}
