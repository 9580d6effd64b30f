/* Fuzz target for the early-warning readers: the country-month panel
 * (month_id,country_id,ged_sb) and the forecast samples (month_id,country_id,draw,outcome).
 * The first byte picks the reader so one corpus explores both; a successful read is also
 * scored, which walks every cell the reader accepted. */
#include <stdint.h>
#include <stdlib.h>

#include "warn/eval.h"
#include "warn/forecast.h"
#include "warn/panel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    struct gsi_err err = GSI_ERR_INIT;
    if ((data[0] & 1) == 0) {
        struct warn_panel p;
        if (warn_panel_read_mem(&p, text, n, "fuzz", &err) == 0) {
            double s = 0;
            for (size_t c = 0; c < p.ncountries; c++) {
                s += warn_panel_at(&p, c, warn_panel_month_last(&p));
            }
            (void)s;
            warn_panel_release(&p);
        }
    } else {
        struct warn_forecast f;
        if (warn_forecast_read_mem(&f, text, n, "fuzz", &err) == 0) {
            /* Score it against all-zero actuals of the same shape. */
            struct warn_panel p = { f.month_first, f.nmonths, f.ncountries, f.country_id, NULL };
            p.count = calloc(f.ncountries * (size_t)f.nmonths, sizeof *p.count);
            struct warn_eval e;
            if (p.count != NULL && f.ndraws <= 2000) {
                (void)warn_eval_forecast(&e, &f, &p, "fuzz", &err);
            }
            free(p.count);
            warn_forecast_release(&f);
        }
    }
    return 0;
}
