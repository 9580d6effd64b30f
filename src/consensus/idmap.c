/* idmap.c — open-addressing hash map from a participant or statement id to its index. */
#include <stdlib.h>

#include "consensus/internal.h"

static size_t idmap_slot(int64_t key, size_t mask)
{
    /* splitmix64 finaliser: Polis ids are dense small integers, which a plain modulo would
     * cluster. */
    uint64_t z = (uint64_t)key + 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (size_t)(z & mask);
}

void consensus__idmap_release(struct idmap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->len = 0;
}

long consensus__idmap_get(const struct idmap *m, int64_t key)
{
    if (m->cap == 0) {
        return -1;
    }
    size_t mask = m->cap - 1;
    for (size_t i = idmap_slot(key, mask);; i = (i + 1) & mask) {
        if (m->keys[i] == key) {
            return (long)m->vals[i];
        }
        if (m->keys[i] < 0) {
            return -1;
        }
    }
}

static int idmap_grow(struct idmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    int64_t *keys = malloc(ncap * sizeof *keys);
    uint32_t *vals = malloc(ncap * sizeof *vals);
    if (keys == NULL || vals == NULL) {
        free(keys);
        free(vals);
        return GSI_ENOMEM;
    }
    for (size_t i = 0; i < ncap; i++) {
        keys[i] = -1;
    }
    size_t mask = ncap - 1;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] >= 0) {
            size_t j = idmap_slot(m->keys[i], mask);
            while (keys[j] >= 0) {
                j = (j + 1) & mask;
            }
            keys[j] = m->keys[i];
            vals[j] = m->vals[i];
        }
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = ncap;
    return 0;
}

int consensus__idmap_put(struct idmap *m, int64_t key, uint32_t val)
{
    if ((m->len + 1) * 2 > m->cap) { /* load factor at most 1/2 */
        int rc = idmap_grow(m);
        if (rc < 0) {
            return rc;
        }
    }
    size_t mask = m->cap - 1;
    size_t i = idmap_slot(key, mask);
    while (m->keys[i] >= 0) {
        i = (i + 1) & mask;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->len++;
    return 0;
}
