/*
 * prng.h - the world's one pseudo-random generator (xoshiro256**, seeded
 * through splitmix64).  Link loss, RSS keys and ISNs draw from it, so a
 * seed fixes every random choice of a run.
 */
#ifndef KP_ENGINE_PRNG_H
#define KP_ENGINE_PRNG_H

#include <stdint.h>

struct kp_prng {
	uint64_t s[4];
};

void kp_prng_seed(struct kp_prng *p, uint64_t seed);
uint64_t kp_prng_next(struct kp_prng *p);
/* Uniform in [0, bound); bound > 0. */
uint64_t kp_prng_below(struct kp_prng *p, uint64_t bound);

#endif
