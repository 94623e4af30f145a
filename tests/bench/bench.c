/*
 * bench.c - main of the benchmark binary and the shared helpers.
 *
 *	bench KPATH [NAME...]   run only the benchmarks named (probe, udp_rx...)
 *
 * With KP_BENCH_CLOCK=cpu in the environment the in-process figures use
 * the process's CPU time instead of wall time: on a machine loaded by
 * other work that compares builds far better (boot_ms stays wall time).
 * KP_BENCH_RUNS and KP_BENCH_SCALE shrink the work for a profiler.
 */
#include "bench.h"

#include <stdarg.h>
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

static long env_long(const char *name, long def, long min, long max)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < min)
		return def;
	return n > max ? max : n;
}

int kp_bench_runs(void)
{
	return (int)env_long("KP_BENCH_RUNS", KP_BENCH_RUNS, 1,
			     KP_BENCH_RUNS_MAX);
}

long kp_bench_scaled(long n)
{
	long d = env_long("KP_BENCH_SCALE", 1, 1, 1000000);
	return n / d > 0 ? n / d : 1;
}

/* ---- a session on the default world ---- */

int kp_bench_world_open(struct kp_bench_world *b, const char *name)
{
	struct kp_world_config cfg;
	memset(b, 0, sizeof(*b));
	b->name = name;
	kp_world_config_default(&cfg);
	kp_strbuf_init(&b->sb);
	kp_out_init_strbuf(&b->out, &b->sb);
	b->s = kp_session_new(&cfg, &b->out);
	if (!b->s) {
		fprintf(stderr, "%s: cannot build the world\n", name);
		kp_strbuf_free(&b->sb);
		return -1;
	}
	b->s->batch = true;
	return 0;
}

void kp_bench_world_close(struct kp_bench_world *b)
{
	if (!b->s)
		return;
	kp_session_free(b->s);
	kp_strbuf_free(&b->sb);
	b->s = NULL;
}

double kp_bench_world_rate(struct kp_bench_world *b, double count,
			   uint64_t ns)
{
	int errors = b->errors;
	kp_bench_world_close(b);
	return errors || !ns ? 0 : count * 1e9 / (double)ns;
}

void kp_bench_want(struct kp_bench_world *b, const char *output,
		   const char *want, const char *what)
{
	if (strstr(output, want))
		return;
	fprintf(stderr, "%s: %s:\n%s", b->name, what, output);
	b->errors++;
}

const char *kp_bench_exec(struct kp_bench_world *b, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	kp_strbuf_reset(&b->sb);
	if (kp_session_exec(b->s, line) < 0) {
		fprintf(stderr, "%s: '%s' failed: %s", b->name, line,
			kp_strbuf_str(&b->sb));
		b->errors++;
	}
	return kp_strbuf_str(&b->sb);
}

long long kp_bench_value(struct kp_bench_world *b, const char *path)
{
	const char *o = kp_bench_exec(b, "print %s", path);
	const char *eq = strstr(o, " = ");
	return eq ? strtoll(eq + 3, NULL, 10) : -1;
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
