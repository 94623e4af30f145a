/*
 * bench.h - the benchmark harness behind `make bench`.  Each benchmark
 * is a function listed in benches.def; it repeats its work, takes the
 * median of several runs and reports one line "NAME VALUE UNIT".
 *
 * Knobs for profiling (valgrind --tool=callgrind build/bench/bench ...):
 *	KP_BENCH_RUNS=N    runs per figure instead of KP_BENCH_RUNS
 *	KP_BENCH_SCALE=N   do 1/N of the work (frames, datagrams) per run
 *	KP_BENCH_CLOCK=cpu process CPU time instead of wall time
 */
#ifndef KP_BENCH_H
#define KP_BENCH_H

#include <stdint.h>

#include "ui/out.h"
#include "ui/session.h"

struct kp_bench_ctx {
	const char *kpath; /* path of the kpath binary built with -O2 */
};

#define KP_BENCH_RUNS 5
#define KP_BENCH_RUNS_MAX 32

uint64_t kp_bench_now_ns(void);
/* Median of @n values (sorts them). */
double kp_bench_median(double *v, int n);
void kp_bench_report(const char *name, double value, const char *unit);
/* Runs per figure (KP_BENCH_RUNS, or the environment's). */
int kp_bench_runs(void);
/* @n divided by KP_BENCH_SCALE from the environment (at least 1). */
long kp_bench_scaled(long n);

/*
 * A session on the default world (client, server) in batch mode, its
 * output kept in a string buffer: what the benchmarks that drive kpath
 * by commands share.
 */
struct kp_bench_world {
	const char *name; /* the figure, for messages */
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
	int errors;
};

/* 0, or -1 (with a message) when the world cannot be built. */
int kp_bench_world_open(struct kp_bench_world *b, const char *name);
void kp_bench_world_close(struct kp_bench_world *b);
/* Close the world and give @count per second of @ns, or 0 if anything
 * went wrong in it (b->errors) or nothing was timed. */
double kp_bench_world_rate(struct kp_bench_world *b, double count,
			   uint64_t ns);
/* Run one command (printf-style); its output, valid until the next one.
 * A failing command is reported and counted in b->errors. */
const char *kp_bench_exec(struct kp_bench_world *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Count an error in b->errors, with @output, unless it contains @want. */
void kp_bench_want(struct kp_bench_world *b, const char *output,
		   const char *want, const char *what);
/* A value as `print PATH` shows it ("NAME = N"), or -1. */
long long kp_bench_value(struct kp_bench_world *b, const char *path);

#define KP_BENCH(name) void bench_##name(const struct kp_bench_ctx *ctx);
#include "benches.def"
#undef KP_BENCH

#endif
