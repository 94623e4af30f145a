/*
 * bench.h - the benchmark harness behind `make bench`.  Each benchmark
 * is a function listed in benches.def; it repeats its work, takes the
 * median of several runs and reports one line "NAME VALUE UNIT".
 */
#ifndef KP_BENCH_H
#define KP_BENCH_H

#include <stdint.h>

struct kp_bench_ctx {
	const char *kpath; /* path of the kpath binary built with -O2 */
};

#define KP_BENCH_RUNS 5

uint64_t kp_bench_now_ns(void);
/* Median of @n values (sorts them). */
double kp_bench_median(double *v, int n);
void kp_bench_report(const char *name, double value, const char *unit);

#define KP_BENCH(name) void bench_##name(const struct kp_bench_ctx *ctx);
#include "benches.def"
#undef KP_BENCH

#endif
