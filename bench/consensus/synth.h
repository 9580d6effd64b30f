/*
 * synth.h — a synthetic consultation with planted opinion groups, for tests and benchmarks.
 *
 * N participants are drawn into K groups (sizes in proportion 1 : 2 : ... : K, so no two
 * groups are the same size). Each group holds a stance of +1 or −1 on each of M statements;
 * a fraction `shared` of the statements are common ground, where every group agrees. Each
 * participant votes on about `votes_per_participant` statements drawn at random and
 * votes their group's stance, except with probability `noise`, when the vote is the opposite
 * (two thirds of the time) or a pass.
 */
#ifndef GSI_BENCH_CONSENSUS_SYNTH_H
#define GSI_BENCH_CONSENSUS_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "consensus/consensus.h"

struct synth_params {
    size_t n, m;
    int k;
    double votes_per_participant;
    double noise;
    double shared;
    uint64_t seed;
};

/* Adds the statements and votes to `c`; truth[i] (n entries, may be NULL) gets the planted
 * group of participant id i. Participant ids are 0..n−1 and statement ids 0..m−1. */
int synth_fill(struct consensus *c, const struct synth_params *p, int32_t *truth,
               struct gsi_err *err);

/* One extra random vote by a random participant, following the same model. */
int synth_vote(struct consensus *c, const struct synth_params *p, uint64_t index,
               struct gsi_err *err);

#endif
