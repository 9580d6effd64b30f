/* Fuzz target: the option-table parser (src/cli/cli.c's cli_parse) on arbitrary argument
 * vectors. The input is split on NUL bytes into at most 64 arguments; the table has one option
 * of every type. The parser must never crash, read out of bounds or leak, and a value it
 * accepted must lie in the option's range. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const colours[] = { "red", "green", "blue", NULL };

static int check_even(const struct cli_option *o, const char *cmd, const char *v)
{
    return strlen(v) % 2 == 0 ? 0 : cli_usage_error(cmd, "%s takes an even length", o->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    if (!quiet) { /* --help goes to standard output: keep the run's log readable */
        quiet = freopen("/dev/null", "w", stdout) != NULL;
    }
    char *buf = fuzz_input_cstr(data, size);
    if (buf == NULL) {
        return 0;
    }
    char *argv[65];
    int argc = 0;
    argv[argc++] = "fuzz";
    for (size_t i = 0; i <= size && argc < 65;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    bool flag = false;
    const char *str = NULL;
    int64_t num = 5;
    uint64_t unum = 7;
    double real = 0.5;
    int colour = 0;
    enum gsi_format fmt = GSI_FORMAT_TABLE;
    struct cli_words words = { NULL, 0, 0 };
    const struct cli_option opts[] = {
        CLI_OPT_FLAG("--flag", &flag, "a flag"),
        CLI_OPT_STRING("--str", "S", &str, "a string"),
        CLI_OPT_INT("--int", "N", &num, -3, 1000, "a whole number\nin -3..1000"),
        CLI_OPT_U64("--u64", "N", &unum, 2, UINT64_MAX, "an unsigned number"),
        CLI_OPT_DOUBLE("--real", "X", &real, -1.5, 1e6, "a number"),
        CLI_OPT_CHOICE("--colour", "C", &colour, colours, "red, green or blue"),
        CLI_OPT_FUNC("--even", "S", check_even, NULL, "a string of even length"),
        CLI_OPT_FORMAT(&fmt, "table, csv or json"),
        CLI_OPT_WORDS(&words),
        CLI_OPT_END(),
    };
    const struct cli_command cmd = { "fuzz", "Usage: fuzz [options]\n", "Exit status: 0.\n", opts };
    int st = cli_parse(&cmd, argc, argv, 1);
    if (st < 0 && (num < -3 || num > 1000 || unum < 2 || real < -1.5 || real > 1e6 || colour < 0 ||
                   colour > 2 || words.n > (size_t)argc)) {
        abort(); /* a value outside its declared range got through */
    }
    free(words.v);
    free(buf);
    return 0;
}
