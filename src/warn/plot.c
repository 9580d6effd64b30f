/* plot.c — PIT histograms and coverage charts as SVG (see plot.h). */
#include "warn/plot.h"

#include <errno.h>
#include <string.h>

#define W  420
#define H  300
#define ML 50 /* margins: left, right, top, bottom */
#define MR 20
#define MT 34
#define MB 44

static const char *const colours[WARN_PLOT_SERIES_MAX] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
};

/* Writes `s` with &, <, > and " escaped. */
static void text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static double px(double x) /* x in [0, 1] */
{
    return ML + x * (W - ML - MR);
}

static double py(double y, double ymax)
{
    return H - MB - y / ymax * (H - MT - MB);
}

static void frame(FILE *out, const char *title, const char *xlabel, const char *ylabel,
                  double ymax, double ystep)
{
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n"
            "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n<text x=\"%d\" y=\"18\" "
            "font-size=\"13\" text-anchor=\"middle\">",
            W, H, W, H, W, H, W / 2);
    text(out, title);
    fprintf(out, "</text>\n");
    int nticks = (int)(ymax / ystep + 1e-9);
    for (int i = 0; i <= nticks; i++) {
        double y = i * ystep;
        fprintf(out,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n",
                ML, W - MR, py(y, ymax), py(y, ymax), ML - 4, py(y, ymax) + 4, y);
    }
    for (int i = 0; i <= 10; i += 2) {
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>\n",
                px(i / 10.0), H - MB + 14, i / 10.0);
    }
    fprintf(out,
            "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>"
            "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>\n"
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
            ML, W - MR, H - MB, H - MB, ML, ML, MT, H - MB, (ML + W - MR) / 2, H - 10);
    text(out, xlabel);
    fprintf(out, "</text>\n<text transform=\"translate(14 %d) rotate(-90)\" "
                 "text-anchor=\"middle\">",
            (MT + H - MB) / 2);
    text(out, ylabel);
    fprintf(out, "</text>\n");
}

static int finish(FILE *out, struct gsi_err *err)
{
    fputs("</svg>\n", out);
    if (ferror(out)) {
        return gsi_err_set(err, GSI_EIO, "cannot write the plot: %s", strerror(errno));
    }
    return 0;
}

int warn_plot_pit_svg(FILE *out, const char *title, const struct warn_eval_cell *cells, size_t n,
                      struct gsi_err *err)
{
    if (n == 0) {
        return gsi_err_set(err, GSI_EUSAGE, "no country-months to plot");
    }
    size_t count[WARN_PLOT_PIT_BINS] = { 0 };
    for (size_t i = 0; i < n; i++) {
        int b = (int)(cells[i].pit * WARN_PLOT_PIT_BINS);
        b = b < 0 ? 0 : b >= WARN_PLOT_PIT_BINS ? WARN_PLOT_PIT_BINS - 1 : b;
        count[b]++;
    }
    double dens[WARN_PLOT_PIT_BINS], ymax = 1.5;
    for (int b = 0; b < WARN_PLOT_PIT_BINS; b++) {
        dens[b] = (double)count[b] * WARN_PLOT_PIT_BINS / (double)n;
        ymax = dens[b] > ymax ? dens[b] : ymax;
    }
    ymax = (double)(int)(ymax * 2 + 0.999) / 2;
    frame(out, title, "PIT", "density", ymax, ymax > 3 ? 1.0 : 0.5);
    for (int b = 0; b < WARN_PLOT_PIT_BINS; b++) {
        double x0 = px((double)b / WARN_PLOT_PIT_BINS), x1 = px((double)(b + 1) / WARN_PLOT_PIT_BINS);
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                "stroke=\"white\"><title>%.3f</title></rect>\n",
                x0, py(dens[b], ymax), x1 - x0, py(0, ymax) - py(dens[b], ymax), colours[0],
                dens[b]);
    }
    fprintf(out,
            "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"black\" "
            "stroke-dasharray=\"4 3\"/>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\">n = %zu"
            "</text>\n",
            ML, W - MR, py(1, ymax), py(1, ymax), W - MR, MT + 10, n);
    return finish(out, err);
}

double warn_plot_coverage(const struct warn_eval_cell *cells, size_t n, unsigned k,
                          int active_only)
{
    size_t in = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!active_only || cells[i].active) {
            m++;
            in += (cells[i].covered >> k) & 1u;
        }
    }
    return m ? (double)in / (double)m : 0;
}

int warn_plot_coverage_svg(FILE *out, const char *title, const struct warn_plot_series *s,
                           size_t nseries, int active_only, struct gsi_err *err)
{
    if (nseries == 0 || nseries > WARN_PLOT_SERIES_MAX) {
        return gsi_err_set(err, GSI_EUSAGE, "1 to %d series per coverage plot",
                           WARN_PLOT_SERIES_MAX);
    }
    frame(out, title, "nominal central interval", "share of outcomes inside", 1.0, 0.2);
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" "
            "stroke-dasharray=\"4 3\"/>\n",
            px(0), py(0, 1), px(1), py(1, 1));
    for (size_t i = 0; i < nseries; i++) {
        size_t counted = 0;
        for (size_t j = 0; j < s[i].n; j++) {
            counted += !active_only || s[i].cells[j].active;
        }
        if (counted == 0) {
            /* A forecast of certain peace everywhere has no interval to check. */
            fprintf(out, "<text x=\"%d\" y=\"%zu\" fill=\"%s\">", ML + 8, MT + 12 + 13 * i,
                    colours[i]);
            text(out, s[i].name);
            fprintf(out, " (no month with an interval)</text>\n");
            continue;
        }
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                colours[i]);
        for (unsigned k = 0; k < WARN_EVAL_LEVELS; k++) {
            double c = warn_plot_coverage(s[i].cells, s[i].n, k, active_only);
            fprintf(out, "%s%.1f,%.1f", k ? " " : "", px((k + 1) / 10.0), py(c, 1));
        }
        fprintf(out, "\"/>\n<text x=\"%d\" y=\"%zu\" fill=\"%s\">", ML + 8, MT + 12 + 13 * i,
                colours[i]);
        text(out, s[i].name);
        fprintf(out, "</text>\n");
    }
    return finish(out, err);
}
