/*
 * embed.c — a build tool: writes a file's bytes as a C array, so the program serves
 * docs/api.yaml without reading the source tree at run time.
 *
 *     gsi_embed INPUT OUTPUT.c SYMBOL
 * defines `const unsigned char SYMBOL[]` (NUL-terminated) and `const size_t SYMBOL_len`.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: gsi_embed INPUT OUTPUT.c SYMBOL\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (in == NULL) {
        perror(argv[1]);
        return 1;
    }
    FILE *out = fopen(argv[2], "w");
    if (out == NULL) {
        perror(argv[2]);
        fclose(in);
        return 1;
    }
    fprintf(out, "/* Generated from %s by gsi_embed; do not edit. */\n#include <stddef.h>\n\n",
            argv[1]);
    fprintf(out, "extern const unsigned char %s[];\nextern const size_t %s_len;\n", argv[3],
            argv[3]);
    fprintf(out, "const unsigned char %s[] = {", argv[3]);
    size_t n = 0;
    int c;
    while ((c = getc(in)) != EOF) {
        fprintf(out, "%s%d,", n % 20 == 0 ? "\n    " : "", c);
        n++;
    }
    fprintf(out, "\n    0};\nconst size_t %s_len = %zu;\n", argv[3], n);
    int bad = ferror(in) || ferror(out);
    fclose(in);
    if (fclose(out) != 0 || bad) {
        fprintf(stderr, "gsi_embed: error reading %s or writing %s\n", argv[1], argv[2]);
        return 1;
    }
    return 0;
}
