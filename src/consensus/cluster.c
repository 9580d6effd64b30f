/* cluster.c — who is clustered, base k-means (k = 100), opinion groups by weighted k-means
 * over the base centres with k chosen by silhouette (Polis's clusters.clj and
 * conversation.clj; docs/internals/consensus.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "consensus/internal.h"
#include "core/buf.h"
#include "core/rng.h"

/* Polis's same-clustering? threshold: centres that all moved less than this have converged. */
#define KMEANS_SAME 0.01

int consensus__kmeans_init_distinct(const double *x, const double *y, size_t n, int k,
                                    double *centres)
{
    int got = 0;
    for (size_t i = 0; i < n && got < k; i++) {
        bool seen = false;
        for (int c = 0; c < got; c++) {
            if (centres[2 * (size_t)c] == x[i] && centres[2 * (size_t)c + 1] == y[i]) {
                seen = true;
                break;
            }
        }
        if (!seen) {
            centres[2 * (size_t)got] = x[i];
            centres[2 * (size_t)got + 1] = y[i];
            got++;
        }
    }
    return got;
}

struct km_ctx {
    const struct kmeans_in *in;
    const double *centres;
    const int *order; /* centre indices sorted by x */
    const double *sx; /* centre x in that order */
    int k;
    size_t nblocks;
    int32_t *assign;
    double *part;          /* [block][3k]: sum w x, sum w y, sum w */
    double *upper, *lower; /* Hamerly's bounds per point */
    const double *moved;   /* how far each centre moved in the last update */
    double max_moved;
    bool bounds_valid;
    const int *nbr;      /* [c * (k-1) + t]: the other centres by distance from centre c */
    const double *nbr_d; /* their distances */
};

/* Takes centre c at squared distance d into the nearest (*best, *bi) and the second-nearest
 * (*second) distances found so far; ties go to the lower centre index. */
static inline void consider(double d, int c, double *best, double *second, int *bi)
{
    if (d < *best || (d == *best && c < *bi)) {
        *second = *best;
        *best = d;
        *bi = c;
    } else if (d < *second) {
        *second = d;
    }
}

/* Nearest and second-nearest centre of a point whose distance u to centre c is known: by the
 * triangle inequality a centre c' is at least d(c, c') - u away, so c's neighbours are tried
 * nearest first until that bound passes the second-best distance found. Exact, with the same
 * tie rule as nearest(). */
static int nearest_from(const struct km_ctx *m, double px, double py, int c, double u, double *d1,
                        double *d2)
{
    int k = m->k;
    double best = u * u, second = INFINITY, second_root = INFINITY;
    int bi = c;
    const int *nb = m->nbr + (size_t)c * (size_t)(k - 1);
    const double *nd = m->nbr_d + (size_t)c * (size_t)(k - 1);
    for (int t = 0; t < k - 1; t++) {
        if (nd[t] - u > second_root) {
            break;
        }
        int o = nb[t];
        double dx = m->centres[2 * (size_t)o] - px, dy = m->centres[2 * (size_t)o + 1] - py;
        consider(dx * dx + dy * dy, o, &best, &second, &bi);
        second_root = sqrt(second);
    }
    *d1 = best;
    *d2 = second;
    return bi;
}

static int nearest(const struct km_ctx *m, double px, double py, double *d1, double *d2)
{
    /* Centres sorted by x: walk outwards from px and stop on a side once the x gap alone is
     * more than the second-best distance. Exact; ties go to the lower centre index. d1 and d2
     * get the squared distances to the nearest and the second nearest centre. */
    int k = m->k;
    int lo = 0, hi = k;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (m->sx[mid] < px) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    double best = INFINITY, second = INFINITY;
    int bi = -1;
    int l = lo - 1, r = lo;
    bool lgo = l >= 0, rgo = r < k;
    while (lgo || rgo) {
        for (int side = 0; side < 2; side++) {
            bool *go = side == 0 ? &rgo : &lgo;
            if (!*go) {
                continue;
            }
            int *pos = side == 0 ? &r : &l;
            int c = m->order[*pos];
            double dx = m->centres[2 * (size_t)c] - px;
            if (dx * dx > second) {
                *go = false;
                continue;
            }
            double dy = m->centres[2 * (size_t)c + 1] - py;
            consider(dx * dx + dy * dy, c, &best, &second, &bi);
            *pos += side == 0 ? 1 : -1;
            *go = side == 0 ? *pos < k : *pos >= 0;
        }
    }
    *d1 = best;
    *d2 = second;
    return bi;
}

static void km_block(void *ctx, size_t b)
{
    /* Hamerly's bounds: u is an upper bound on the distance to the assigned centre, l a lower
     * bound on the distance to any other; when u < l the assignment cannot change and the
     * search is skipped. The result is exactly that of the full search. */
    struct km_ctx *m = ctx;
    const struct kmeans_in *in = m->in;
    size_t i0 = in->n * b / m->nblocks, i1 = in->n * (b + 1) / m->nblocks;
    double *p = m->part + b * 3 * (size_t)m->k;
    memset(p, 0, 3 * (size_t)m->k * sizeof *p);
    for (size_t i = i0; i < i1; i++) {
        double px = in->x[i], py = in->y[i];
        int c = 0;
        bool search = true;
        if (m->bounds_valid) {
            c = m->assign[i];
            double u = m->upper[i] + m->moved[c];
            double lo = m->lower[i] - m->max_moved;
            if (u < lo) {
                search = false;
            } else {
                double dx = m->centres[2 * (size_t)c] - px, dy = m->centres[2 * (size_t)c + 1] - py;
                u = sqrt(dx * dx + dy * dy);
                if (u < lo) {
                    search = false;
                }
            }
            m->upper[i] = u;
            m->lower[i] = lo;
        }
        if (search) {
            double d1, d2;
            if (m->bounds_valid) {
                c = nearest_from(m, px, py, c, m->upper[i], &d1, &d2);
            } else if (in->hint && m->assign[i] >= 0 && m->assign[i] < m->k) {
                c = m->assign[i];
                double dx = m->centres[2 * (size_t)c] - px, dy = m->centres[2 * (size_t)c + 1] - py;
                c = nearest_from(m, px, py, c, sqrt(dx * dx + dy * dy), &d1, &d2);
            } else {
                c = nearest(m, px, py, &d1, &d2);
            }
            m->upper[i] = sqrt(d1);
            m->lower[i] = sqrt(d2);
        }
        m->assign[i] = c;
        double w = in->w ? in->w[i] : 1.0;
        p[3 * (size_t)c] += w * px;
        p[3 * (size_t)c + 1] += w * py;
        p[3 * (size_t)c + 2] += w;
    }
}

/* For each centre, the others ordered by distance (ties by index): k(k-1) entries. */
static void neighbours(const double *centres, int k, int *nbr, double *nbr_d)
{
    for (int c = 0; c < k; c++) {
        int *nb = nbr + (size_t)c * (size_t)(k - 1);
        double *nd = nbr_d + (size_t)c * (size_t)(k - 1);
        int n = 0;
        for (int o = 0; o < k; o++) {
            if (o == c) {
                continue;
            }
            double dx = centres[2 * (size_t)o] - centres[2 * (size_t)c],
                   dy = centres[2 * (size_t)o + 1] - centres[2 * (size_t)c + 1];
            double d = sqrt(dx * dx + dy * dy);
            int j = n++;
            while (j > 0 && nd[j - 1] > d) {
                nd[j] = nd[j - 1];
                nb[j] = nb[j - 1];
                j--;
            }
            nd[j] = d;
            nb[j] = o;
        }
    }
}

/* Centre indices ordered by x (then index); insertion sort, k is at most a few hundred and the
 * order changes little between iterations. */
static void order_by_x(int *order, int k, const double *centres)
{
    for (int a = 1; a < k; a++) {
        int v = order[a], j = a;
        while (j > 0 && (centres[2 * (size_t)order[j - 1]] > centres[2 * (size_t)v] ||
                         (centres[2 * (size_t)order[j - 1]] == centres[2 * (size_t)v] &&
                          order[j - 1] > v))) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

int consensus__kmeans_run(const struct kmeans_in *in, double *centres, int *kp, int32_t *assign)
{
    int k = *kp;
    if (k <= 0 || in->n == 0) {
        *kp = 0;
        return 0;
    }
    struct km_ctx m;
    memset(&m, 0, sizeof m);
    m.in = in;
    m.nblocks = par_blocks(in->n, 4096, 64);
    int *order = malloc((size_t)k * sizeof *order);
    double *sx = malloc((size_t)k * sizeof *sx);
    double *part = malloc(m.nblocks * 3 * (size_t)k * sizeof *part);
    double *nc = malloc(2 * (size_t)k * sizeof *nc);
    int *remap = malloc((size_t)k * sizeof *remap);
    double *upper = malloc(in->n * sizeof *upper), *lower = malloc(in->n * sizeof *lower);
    double *moved = malloc((size_t)k * sizeof *moved);
    int *nbr = malloc((size_t)k * (size_t)(k > 1 ? k - 1 : 1) * sizeof *nbr);
    double *nbr_d = malloc((size_t)k * (size_t)(k > 1 ? k - 1 : 1) * sizeof *nbr_d);
    int it = -1;
    if (!order || !sx || !part || !nc || !remap || !upper || !lower || !moved || !nbr || !nbr_d) {
        goto out;
    }
    m.nbr = nbr;
    m.nbr_d = nbr_d;
    m.upper = upper;
    m.lower = lower;
    m.moved = moved;
    m.bounds_valid = false;
    m.order = order;
    m.sx = sx;
    m.part = part;
    m.assign = assign;
    if (in->origin != NULL) {
        for (int c = 0; c < k; c++) {
            in->origin[c] = c;
        }
    }
    it = 0;
    for (;;) {
        for (int c = 0; c < k; c++) {
            order[c] = c;
        }
        order_by_x(order, k, centres);
        for (int c = 0; c < k; c++) {
            sx[c] = centres[2 * (size_t)order[c]];
        }
        m.centres = centres;
        m.k = k;
        if (m.bounds_valid || in->hint) {
            neighbours(centres, k, nbr, nbr_d);
        }
        consensus__par_run(in->threads, m.nblocks, km_block, &m);
        it++;
        /* New centres; clusters left empty are dropped (Polis's cluster-step). */
        int nk = 0;
        bool same = true;
        for (int c = 0; c < k; c++) {
            double s0 = 0, s1 = 0, s2 = 0;
            for (size_t b = 0; b < m.nblocks; b++) {
                s0 += part[b * 3 * (size_t)k + 3 * (size_t)c];
                s1 += part[b * 3 * (size_t)k + 3 * (size_t)c + 1];
                s2 += part[b * 3 * (size_t)k + 3 * (size_t)c + 2];
            }
            if (s2 <= 0) {
                remap[c] = -1;
                same = false;
                continue;
            }
            nc[2 * (size_t)nk] = s0 / s2;
            nc[2 * (size_t)nk + 1] = s1 / s2;
            double dx = nc[2 * (size_t)nk] - centres[2 * (size_t)c],
                   dy = nc[2 * (size_t)nk + 1] - centres[2 * (size_t)c + 1];
            double d = sqrt(dx * dx + dy * dy);
            if (d >= KMEANS_SAME) {
                same = false;
            }
            moved[nk] = d;
            if (in->origin != NULL) {
                in->origin[nk] = in->origin[c];
            }
            remap[c] = nk++;
        }
        for (size_t i = 0; i < in->n; i++) {
            assign[i] = remap[assign[i]];
        }
        memcpy(centres, nc, 2 * (size_t)nk * sizeof *nc);
        k = nk;
        /* Bounds stay valid: dropping an empty centre only makes the second-nearest farther. */
        m.max_moved = 0;
        for (int c = 0; c < k; c++) {
            if (moved[c] > m.max_moved) {
                m.max_moved = moved[c];
            }
        }
        m.bounds_valid = true;
        if (same || it > in->max_iters) {
            break;
        }
    }
    *kp = k;
out:
    free(order);
    free(sx);
    free(part);
    free(nc);
    free(remap);
    free(upper);
    free(lower);
    free(moved);
    free(nbr);
    free(nbr_d);
    return it;
}

double consensus__silhouette(const double *x, const double *y, size_t n, const int32_t *assign,
                             int k)
{
    /* Polis's silhouette over the base-cluster centres: unweighted distances; a point alone
     * in its cluster scores 0; the clustering's score is the plain mean. */
    if (n == 0 || k < 1) {
        return 0;
    }
    double *sum = malloc((size_t)k * sizeof *sum);
    size_t *cnt = malloc((size_t)k * sizeof *cnt);
    if (sum == NULL || cnt == NULL) {
        free(sum);
        free(cnt);
        return -2;
    }
    size_t *size = calloc((size_t)k, sizeof *size);
    if (size == NULL) {
        free(sum);
        free(cnt);
        return -2;
    }
    for (size_t i = 0; i < n; i++) {
        size[assign[i]]++;
    }
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        int own = assign[i];
        if (size[own] == 1) {
            continue; /* adds 0 */
        }
        memset(sum, 0, (size_t)k * sizeof *sum);
        memset(cnt, 0, (size_t)k * sizeof *cnt);
        for (size_t j = 0; j < n; j++) {
            if (j == i) {
                continue;
            }
            double dx = x[i] - x[j], dy = y[i] - y[j];
            sum[assign[j]] += sqrt(dx * dx + dy * dy);
            cnt[assign[j]]++;
        }
        double a = sum[own] / (double)cnt[own];
        double b = INFINITY;
        for (int g = 0; g < k; g++) {
            if (g != own && cnt[g] > 0) {
                double d = sum[g] / (double)cnt[g];
                if (d < b) {
                    b = d;
                }
            }
        }
        if (isinf(b)) {
            continue;
        }
        double mx = a > b ? a : b;
        if (mx > 0) {
            total += (b - a) / mx;
        }
    }
    free(sum);
    free(cnt);
    free(size);
    return total / (double)n;
}

struct vc {
    uint32_t n;
    uint32_t i;
};

static int cmp_votes_desc(const void *a, const void *b)
{
    const struct vc *x = a, *y = b;
    if (x->n != y->n) {
        return x->n > y->n ? -1 : 1;
    }
    return x->i < y->i ? -1 : (x->i > y->i);
}

/* Polis's in-conv: participants with min(7, statements) votes join and stay; while fewer than
 * 15 are in, the heaviest voters top it up. */
static int choose_in_conv(struct consensus *c)
{
    size_t need = (size_t)c->opts.min_votes;
    if (need > c->ns) {
        need = c->ns; /* Polis counts every statement here, moderated out or not */
    }
    size_t nin = 0;
    for (size_t i = 0; i < c->np; i++) {
        if (!c->in_conv[i] && c->nvotes[i] > 0 && c->nvotes[i] >= need) {
            c->in_conv[i] = true;
        }
        nin += c->in_conv[i];
    }
    size_t greedy = (size_t)c->opts.greedy_n;
    if (nin < greedy) {
        size_t nout = 0;
        struct vc *v = malloc((c->np ? c->np : 1) * sizeof *v);
        if (v == NULL) {
            return GSI_ENOMEM;
        }
        for (size_t i = 0; i < c->np; i++) {
            if (!c->in_conv[i] && c->nvotes[i] > 0) {
                v[nout].n = c->nvotes[i];
                v[nout].i = (uint32_t)i;
                nout++;
            }
        }
        qsort(v, nout, sizeof *v, cmp_votes_desc);
        for (size_t t = 0; t < nout && nin < greedy; t++) {
            c->in_conv[v[t].i] = true;
            nin++;
        }
        free(v);
    }
    return 0;
}

static double weighted_sse(const double *x, const double *y, const double *w, int n,
                           const double *centres, const int32_t *assign)
{
    double sse = 0;
    for (int i = 0; i < n; i++) {
        double dx = x[i] - centres[2 * (size_t)assign[i]],
               dy = y[i] - centres[2 * (size_t)assign[i] + 1];
        sse += w[i] * (dx * dx + dy * dy);
    }
    return sse;
}

/* k-means++ start (Arthur & Vassilvitskii 2007), weighted, from a seeded stream. */
static int plusplus_start(struct gsi_rng *r, const double *x, const double *y, const double *w,
                          int n, int k, double *centres)
{
    double d2[512];
    double tot = 0;
    for (int i = 0; i < n; i++) {
        tot += w[i];
    }
    double u = gsi_rng_uniform(r) * tot;
    int first = n - 1;
    for (int i = 0; i < n; i++) {
        if (u < w[i]) {
            first = i;
            break;
        }
        u -= w[i];
    }
    centres[0] = x[first];
    centres[1] = y[first];
    int got = 1;
    for (int i = 0; i < n; i++) {
        double dx = x[i] - centres[0], dy = y[i] - centres[1];
        d2[i] = dx * dx + dy * dy;
    }
    while (got < k) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += w[i] * d2[i];
        }
        if (sum <= 0) {
            break; /* fewer distinct points than k */
        }
        double t = gsi_rng_uniform(r) * sum;
        int pick = -1;
        for (int i = 0; i < n; i++) {
            double p = w[i] * d2[i];
            if (p > 0) {
                pick = i;
                if (t < p) {
                    break;
                }
                t -= p;
            }
        }
        centres[2 * (size_t)got] = x[pick];
        centres[2 * (size_t)got + 1] = y[pick];
        got++;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - x[pick], dy = y[i] - y[pick];
            double d = dx * dx + dy * dy;
            if (d < d2[i]) {
                d2[i] = d;
            }
        }
    }
    return got;
}

static int cmp_point(const void *a, const void *b)
{
    const double *p = a, *q = b;
    if (p[0] != q[0]) {
        return p[0] < q[0] ? -1 : 1;
    }
    return p[1] < q[1] ? -1 : (p[1] > q[1]);
}

static size_t distinct_points(const double *x, const double *y, size_t n, size_t enough)
{
    double *p = malloc((n ? n : 1) * 2 * sizeof *p);
    if (p == NULL) {
        return enough; /* cannot tell: assume there are enough */
    }
    for (size_t i = 0; i < n; i++) {
        p[2 * i] = x[i];
        p[2 * i + 1] = y[i];
    }
    qsort(p, n, 2 * sizeof *p, cmp_point);
    size_t d = n > 0;
    for (size_t i = 1; i < n; i++) {
        d += p[2 * i] != p[2 * i - 2] || p[2 * i + 1] != p[2 * i - 1];
    }
    free(p);
    return d;
}

/* Polis's clean-start-clusters, the warm start of both the base clusters and, over the base
 * centres, each k's opinion groups: each previous cluster is recentred on its previous
 * members' new positions (weighted by w, NULL for 1; clusters left without members go),
 * clusters with identical centres merge, and while there are fewer than min(k, distinct
 * points) clusters the point farthest from every centre leaves its cluster to start a new one.
 * member[t] is point t's previous cluster (or -1) on entry. origin, when not NULL, gets for
 * each centre written the previous cluster it continues (-1 for one started by a split).
 * Returns the number of centres written, or -1 on allocation failure. */
static int clean_start(const double *x, const double *y, const double *w, int32_t *member, size_t n,
                       int nprev, int k, double *centres, int *origin)
{
    int cap = nprev > k ? nprev : k;
    double *sx = calloc((size_t)cap, sizeof *sx), *sy = calloc((size_t)cap, sizeof *sy);
    double *cnt = calloc((size_t)cap, sizeof *cnt);
    int *map = malloc((size_t)cap * sizeof *map);
    int *orig = malloc((size_t)cap * sizeof *orig);
    if (sx == NULL || sy == NULL || cnt == NULL || map == NULL || orig == NULL) {
        free(sx);
        free(sy);
        free(cnt);
        free(map);
        free(orig);
        return -1;
    }
    for (size_t t = 0; t < n; t++) {
        int b = member[t];
        if (b >= 0 && b < nprev) {
            double wt = w ? w[t] : 1;
            sx[b] += wt * x[t];
            sy[b] += wt * y[t];
            cnt[b] += wt;
        }
    }
    /* keep clusters with members, merging those whose centres coincide */
    int nc = 0;
    for (int b = 0; b < nprev; b++) {
        map[b] = -1;
        if (cnt[b] <= 0) {
            continue;
        }
        double cx = sx[b] / cnt[b], cy = sy[b] / cnt[b];
        int same = -1;
        for (int o = 0; o < nc; o++) {
            if (centres[2 * (size_t)o] == cx && centres[2 * (size_t)o + 1] == cy) {
                same = o;
                break;
            }
        }
        if (same >= 0) {
            map[b] = same;
            sx[same] += sx[b];
            sy[same] += sy[b];
            cnt[same] += cnt[b];
            continue;
        }
        map[b] = nc;
        orig[nc] = b;
        sx[nc] = sx[b];
        sy[nc] = sy[b];
        cnt[nc] = cnt[b];
        centres[2 * (size_t)nc] = cx;
        centres[2 * (size_t)nc + 1] = cy;
        nc++;
    }
    for (size_t t = 0; t < n; t++) {
        member[t] = member[t] >= 0 && member[t] < nprev ? map[member[t]] : -1;
    }
    if (nc > k) {
        nc = k; /* k was lowered: keep the first k */
        for (size_t t = 0; t < n; t++) {
            if (member[t] >= nc) {
                member[t] = -1;
            }
        }
    }
    size_t possible = (size_t)k;
    if ((size_t)nc < possible) {
        size_t d = distinct_points(x, y, n, possible);
        if (d < possible) {
            possible = d;
        }
    }
    while ((size_t)nc < possible) {
        double far = -1;
        size_t at = n; /* none yet */
        for (size_t t = 0; t < n; t++) {
            double best = INFINITY;
            for (int o = 0; o < nc; o++) {
                double dx = x[t] - centres[2 * (size_t)o], dy = y[t] - centres[2 * (size_t)o + 1];
                double d = dx * dx + dy * dy;
                if (d < best) {
                    best = d;
                }
            }
            if (best > far) {
                far = best;
                at = t;
            }
        }
        if (at == n || far <= 0) {
            break; /* no points, or every point already sits on a centre */
        }
        double wt = w ? w[at] : 1;
        int from = member[at];
        if (from >= 0 && from < nc) {
            sx[from] -= wt * x[at];
            sy[from] -= wt * y[at];
            cnt[from] -= wt;
            if (cnt[from] > 0) {
                centres[2 * (size_t)from] = sx[from] / cnt[from];
                centres[2 * (size_t)from + 1] = sy[from] / cnt[from];
            }
        }
        sx[nc] = wt * x[at];
        sy[nc] = wt * y[at];
        cnt[nc] = wt;
        centres[2 * (size_t)nc] = x[at];
        centres[2 * (size_t)nc + 1] = y[at];
        orig[nc] = -1;
        member[at] = nc;
        nc++;
    }
    /* a cluster emptied by the splits has no centre: drop it */
    int out = 0;
    for (int o = 0; o < nc; o++) {
        if (cnt[o] > 0) {
            centres[2 * (size_t)out] = centres[2 * (size_t)o];
            centres[2 * (size_t)out + 1] = centres[2 * (size_t)o + 1];
            if (origin != NULL) {
                origin[out] = orig[o];
            }
            out++;
        }
    }
    free(sx);
    free(sy);
    free(cnt);
    free(map);
    free(orig);
    return out;
}

/* Opinion groups for one k over the base centres, as Polis's kmeans call in
 * group-clusterings:
 *  - warm (this k was computed last time): Polis's clean start from the previous groups,
 *    carried by membership: lab[b] is base cluster b's previous group (-1 for a base cluster
 *    new since), each group is recentred on its members' new centres weighted by their new
 *    sizes, and the farthest base centres split off while there are fewer than k groups;
 *  - a k first reached on a warm update: the first k distinct base centres (Polis's
 *    init-clusters);
 *  - a fresh computation: that start and GROUP_RESTARTS seeded k-means++ starts, keeping the
 *    clustering of least weighted squared error (the Polis start wins ties). A single
 *    computation from Polis's start often stops in a poor local optimum that Polis's history
 *    of updates would have moved away from; a warm update keeps Polis's one start, so that
 *    the groups evolve over a live conversation as Polis's do. */
#define GROUP_RESTARTS 16
static int group_kmeans(struct consensus *c, int k, const double *bx, const double *by,
                        const double *bw, int nb, int32_t *lab, bool fresh, double *best_c,
                        int *best_k, int32_t *best_a)
{
    struct consensus_state *st = c->st;
    double cand[CLUSTER_BASE_MAX * 2];
    int32_t asg[CLUSTER_BASE_MAX];
    struct kmeans_in gin = { (size_t)nb, bx, by, bw, 1, c->opts.group_iters, false, NULL };
    double best = INFINITY;
    struct gsi_rng rng;
    gsi_rng_init(&rng, gsi_rng_derive(c->opts.seed, 1000 + (uint64_t)k));
    int tries = fresh ? GROUP_RESTARTS : 0;
    for (int t = 0; t <= tries; t++) {
        int ck;
        if (t == 0 && lab != NULL) {
            ck = clean_start(bx, by, bw, lab, (size_t)nb, st->group_prev_n[k], k, cand, NULL);
            if (ck < 0) {
                return -1;
            }
        } else if (t == 0) {
            ck = consensus__kmeans_init_distinct(bx, by, (size_t)nb, k, cand);
        } else {
            ck = plusplus_start(&rng, bx, by, bw, nb, k, cand);
        }
        if (consensus__kmeans_run(&gin, cand, &ck, asg) < 0) {
            return -1;
        }
        double sse = weighted_sse(bx, by, bw, nb, cand, asg);
        if (t == 0 || sse < best) {
            best = sse;
            *best_k = ck;
            memcpy(best_c, cand, 2 * (size_t)ck * sizeof *cand);
            memcpy(best_a, asg, (size_t)nb * sizeof *asg);
        }
    }
    return 0;
}

/* The opinion groups over the nb base centres (weighted by their sizes): each k's groups
 * (lab[k]: the previous group of each base cluster, used where carried[k]), k chosen by
 * silhouette and smoothed, then groups numbered by size and every participant's group set. */
static int opinion_groups(struct consensus *c, bool fresh, const double *centres, int nb,
                          int32_t (*lab)[CLUSTER_BASE_MAX], const bool *carried,
                          struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    double bx[CLUSTER_BASE_MAX], by[CLUSTER_BASE_MAX], bw[CLUSTER_BASE_MAX];
    int32_t ba[CONSENSUS_GROUPS_MAX + 1][CLUSTER_BASE_MAX];
    double gc[CONSENSUS_GROUPS_MAX + 1][CONSENSUS_GROUPS_MAX * 2];
    int gk[CONSENSUS_GROUPS_MAX + 1];
    double sil[CONSENSUS_GROUPS_MAX + 1];
    for (int b = 0; b < nb; b++) {
        bx[b] = centres[2 * (size_t)b];
        by[b] = centres[2 * (size_t)b + 1];
        bw[b] = 0;
    }
    for (size_t i = 0; i < c->np; i++) {
        if (st->base_of[i] >= 0) {
            bw[st->base_of[i]] += 1;
        }
    }
    int maxk = 2 + nb / 12; /* Polis's max-k-fn */
    if (maxk > c->opts.max_k) {
        maxk = c->opts.max_k;
    }
    int best_k = 0;
    double best_s = -INFINITY;
    for (int kk = 2; kk <= maxk && kk <= nb; kk++) {
        if (group_kmeans(c, kk, bx, by, bw, nb, carried[kk] ? lab[kk] : NULL, fresh, gc[kk],
                         &gk[kk], ba[kk]) < 0) {
            return gsi_err_set(err, GSI_ENOMEM, "out of memory clustering");
        }
        sil[kk] = consensus__silhouette(bx, by, (size_t)nb, ba[kk], gk[kk]);
        st->group_prev_n[kk] = gk[kk];
        memcpy(st->group_prev[kk], gc[kk], 2 * (size_t)gk[kk] * sizeof(double));
        for (int b = 0; b < nb; b++) {
            st->base_group[kk][b] = (int8_t)ba[kk][b];
        }
        st->base_group_valid[kk] = true;
        if (sil[kk] > best_s) { /* ties keep the smaller k */
            best_s = sil[kk];
            best_k = kk;
        }
    }
    int use_k = best_k;
    if (best_k > 0) {
        /* Polis's group-k-smoother: a new k must win k_buffer times in a row. */
        int count = (st->last_k != 0 && st->last_k == best_k) ? st->last_k_count + 1 : 1;
        int smoothed =
            count >= c->opts.k_buffer ? best_k : (st->smoothed_k ? st->smoothed_k : best_k);
        st->last_k = best_k;
        st->last_k_count = count;
        st->smoothed_k = smoothed;
        if (smoothed >= 2 && smoothed <= maxk && smoothed <= nb) {
            use_k = smoothed;
        }
    }
    int32_t group_of_base[CLUSTER_BASE_MAX];
    int ng = 0;
    double gcx[CONSENSUS_GROUPS_MAX], gcy[CONSENSUS_GROUPS_MAX];
    if (use_k > 0) {
        ng = gk[use_k];
        for (int b = 0; b < nb; b++) {
            group_of_base[b] = ba[use_k][b];
        }
        for (int g = 0; g < ng; g++) {
            gcx[g] = gc[use_k][2 * (size_t)g];
            gcy[g] = gc[use_k][2 * (size_t)g + 1];
        }
    } else if (nb >= 1) {
        /* One base cluster (or k-means left one group): a single group. */
        ng = 1;
        double sx = 0, sy = 0, sw = 0;
        for (int b = 0; b < nb; b++) {
            group_of_base[b] = 0;
            sx += bw[b] * bx[b];
            sy += bw[b] * by[b];
            sw += bw[b];
        }
        gcx[0] = sw > 0 ? sx / sw : 0;
        gcy[0] = sw > 0 ? sy / sw : 0;
    }
    /* Number groups by size, largest first (ties: k-means order), for stable reports. */
    uint32_t gsize[CONSENSUS_GROUPS_MAX] = { 0 };
    for (int b = 0; b < nb; b++) {
        gsize[group_of_base[b]] += (uint32_t)bw[b];
    }
    int order[CONSENSUS_GROUPS_MAX], rank[CONSENSUS_GROUPS_MAX];
    for (int g = 0; g < ng; g++) {
        order[g] = g;
    }
    for (int a = 1; a < ng; a++) {
        int v = order[a], j = a;
        while (j > 0 && gsize[order[j - 1]] < gsize[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    for (int g = 0; g < ng; g++) {
        rank[order[g]] = g;
        c->groups[g].size = gsize[order[g]];
        c->groups[g].cx = gcx[order[g]];
        c->groups[g].cy = gcy[order[g]];
        c->groups[g].nreps = 0;
    }
    c->ngroups = ng;
    for (size_t i = 0; i < c->np; i++) {
        int b = st->base_of[i];
        c->group[i] = (int8_t)(b >= 0 ? rank[group_of_base[b]] : -1);
    }
    return 0;
}

/* The base clusters: k-means (k = opts.base_k) on the clustered participants' projections,
 * from Polis's clean start of the previous base clusters or, fresh, the first distinct
 * points. Sets st->base_of; writes the centres and, in korig[b], the previous base cluster
 * that base cluster b continues (-1: none), which carries the groups over. Returns the number
 * of base clusters, or -1 when out of memory. */
static int base_clusters(struct consensus *c, size_t nin, bool fresh, double *centres, int *korig)
{
    struct consensus_state *st = c->st;
    int basek = c->opts.base_k;
    double *px = malloc((nin ? nin : 1) * sizeof *px);
    double *py = malloc((nin ? nin : 1) * sizeof *py);
    int32_t *asg = malloc((nin ? nin : 1) * sizeof *asg);
    int *corig = malloc((size_t)basek * sizeof *corig);
    int k = -1;
    if (!px || !py || !asg || !corig) {
        goto out;
    }
    size_t t = 0;
    for (size_t i = 0; i < c->np; i++) {
        if (c->in_conv[i]) {
            px[t] = c->x[i];
            py[t] = c->y[i];
            int32_t b = st->base_of[i];
            asg[t] = b >= 0 && b < st->nbase_prev ? b : -1; /* previous base cluster */
            t++;
        }
        st->base_of[i] = -1;
    }
    if (!fresh) {
        k = clean_start(px, py, NULL, asg, nin, st->nbase_prev, basek, centres, corig);
        if (k < 0) {
            goto out;
        }
    } else {
        k = consensus__kmeans_init_distinct(px, py, nin, basek, centres);
        for (int b = 0; b < k; b++) {
            corig[b] = -1;
        }
    }
    struct kmeans_in in = {
        nin, px, py, NULL, consensus__par_threads(c->opts.threads), c->opts.base_iters, true, korig
    };
    if (consensus__kmeans_run(&in, centres, &k, asg) < 0) {
        k = -1;
        goto out;
    }
    for (int b = 0; b < k; b++) {
        korig[b] = corig[korig[b]];
    }
    t = 0;
    for (size_t i = 0; i < c->np; i++) {
        if (c->in_conv[i]) {
            st->base_of[i] = asg[t++];
        }
    }
out:
    free(px);
    free(py);
    free(asg);
    free(corig);
    return k;
}

int consensus__cluster_compute(struct consensus *c, struct gsi_err *err)
{
    struct consensus_state *st = c->st;
    if (choose_in_conv(c) < 0) {
        return gsi_err_set(err, GSI_ENOMEM, "out of memory choosing participants");
    }
    size_t nin = 0;
    for (size_t i = 0; i < c->np; i++) {
        nin += c->in_conv[i];
    }
    int basek = c->opts.base_k;
    bool fresh = st->nbase_prev <= 0;
    double *centres = malloc(2 * (size_t)basek * sizeof *centres);
    /* which previous base cluster each new one continues (-1: none), to carry the groups */
    int *korig = malloc((size_t)basek * sizeof *korig);
    /* each k's previous group of every new base cluster, through the one it continues */
    int32_t(*lab)[CLUSTER_BASE_MAX] = malloc((CONSENSUS_GROUPS_MAX + 1) * sizeof *lab);
    int rc = 0;
    int k = -1;
    if (centres != NULL && korig != NULL && lab != NULL) {
        k = base_clusters(c, nin, fresh, centres, korig);
    }
    if (k < 0) {
        rc = gsi_err_set(err, GSI_ENOMEM, "out of memory clustering");
        goto out;
    }
    c->nbase = k;
    for (int kk = 0; kk <= CONSENSUS_GROUPS_MAX; kk++) {
        for (int b = 0; b < CLUSTER_BASE_MAX; b++) {
            int o = b < k ? korig[b] : -1;
            lab[kk][b] =
                st->base_group_valid[kk] && o >= 0 && o < CLUSTER_BASE_MAX && o < st->nbase_prev
                    ? st->base_group[kk][o]
                    : -1;
        }
        st->base_group_valid[kk] = false;
    }
    bool carried[CONSENSUS_GROUPS_MAX + 1];
    for (int kk = 0; kk <= CONSENSUS_GROUPS_MAX; kk++) {
        carried[kk] = !fresh && st->group_prev_n[kk] > 0;
        st->group_prev_n[kk] = 0;
    }
    if (GSI_ALLOC_RESIZE(st->base_prev, 2 * (size_t)(k ? k : 1)) < 0) {
        rc = gsi_err_set(err, GSI_ENOMEM, "out of memory clustering");
        goto out;
    }
    memcpy(st->base_prev, centres, 2 * (size_t)k * sizeof *st->base_prev);
    st->nbase_prev = k;
    if (k > CLUSTER_BASE_MAX) {
        rc = gsi_err_set(err, GSI_ELIMIT, "more than %d base clusters", CLUSTER_BASE_MAX);
        goto out;
    }
    rc = opinion_groups(c, fresh, centres, k, lab, carried, err);
out:
    free(centres);
    free(korig);
    free(lab);
    return rc;
}
