/*
 * bench.c - main of the benchmark binary and the shared helpers.
 *
 *	bench KPATH [NAME...]   run only the benchmarks named (probe, udp_rx...)
 *
 * With KP_BENCH_CLOCK=cpu in the environment the in-process figures use
 * the process's CPU time instead of wall time: on a machine loaded by
 * other work that compares builds far better (boot_ms stays wall time).
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t kp_bench_now_ns(void)
{
	struct timespec ts;
	const char *clk = getenv("KP_BENCH_CLOCK");
	clock_gettime(clk && strcmp(clk, "cpu") == 0 ? CLOCK_PROCESS_CPUTIME_ID
						       : CLOCK_MONOTONIC,
		      &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double kp_bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void kp_bench_report(const char *name, double value, const char *unit)
{
	if (value >= 1000)
		printf("%s %.0f %s\n", name, value, unit);
	else
		printf("%s %.2f %s\n", name, value, unit);
	fflush(stdout);
}

static int bench_selected(int argc, char **argv, const char *name)
{
	if (argc <= 2)
		return 1;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct kp_bench_ctx ctx = { .kpath = argc > 1 ? argv[1] : "./kpath" };
	/* Optional further arguments: run only the benchmarks named. */
#define KP_BENCH(name)                                                        \
	if (bench_selected(argc, argv, #name))                                \
		bench_##name(&ctx);
#include "benches.def"
#undef KP_BENCH
	return 0;
}
