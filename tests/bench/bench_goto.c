/*
 * bench_goto.c - goto_1m_ms: going back to a point near the end of a
 * 1,000,000-probe run, in wall-clock milliseconds.
 *
 * The default world, a blocking reader (`udp-server`) on server port
 * 7000, and UDP frames injected in batches (inject ... count 500, then
 * continue), as a user would, until the trace passed record 1,000,000
 * (~20,000 frames, ~50 step points each, ~40 logged inputs).  Then
 * `goto 999999` is timed: there are no snapshots yet, so going back
 * rebuilds the world from power-on and runs it forward again, applying
 * the logged inputs at their points (src/ui/cmd_reverse.c) - the cost is
 * a run of the whole recording.  The median of KP_BENCH_RUNS runs.
 *
 * Target 200 ms.  Snapshots (world copies every N records) would bound
 * it by N records instead of the whole run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ui/out.h"
#include "ui/session.h"

#define GOTO_TARGET 1000000ULL
#define GOTO_BATCH 500

static int goto_exec(struct kp_session *s, struct kp_strbuf *sb,
		     const char *line)
{
	kp_strbuf_reset(sb);
	int err = kp_session_exec(s, line);
	if (err < 0)
		fprintf(stderr, "goto_1m_ms: '%s' failed: %s", line,
			kp_strbuf_str(sb));
	return err;
}

/* Milliseconds of one goto, or 0 if the run went wrong. */
static double goto_run(void)
{
	struct kp_world_config cfg;
	struct kp_strbuf sb;
	struct kp_out out;
	char line[160];
	double ms = 0;

	kp_world_config_default(&cfg);
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&out, &sb);
	struct kp_session *s = kp_session_new(&cfg, &out);
	if (!s) {
		kp_strbuf_free(&sb);
		return 0;
	}
	s->batch = true;
	int err = goto_exec(s, &sb, "run udp-server 7000 on server");
	snprintf(line, sizeof(line),
		 "inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 len 18 "
		 "count %d rate 200000",
		 GOTO_BATCH);
	while (!err && s->world->trace.seq <= GOTO_TARGET) {
		err = goto_exec(s, &sb, line);
		if (!err)
			err = goto_exec(s, &sb, "continue");
	}
	snprintf(line, sizeof(line), "goto %llu", GOTO_TARGET - 1);
	uint64_t t0 = kp_bench_now_ns();
	if (!err)
		err = goto_exec(s, &sb, line);
	uint64_t ns = kp_bench_now_ns() - t0;
	if (!err && s->world->stop_ctl.seq == GOTO_TARGET - 1)
		ms = (double)ns / 1e6;
	else
		fprintf(stderr, "goto_1m_ms: goto did not reach #seq %llu\n",
			GOTO_TARGET - 1);
	kp_session_free(s);
	kp_strbuf_free(&sb);
	return ms;
}

void bench_goto(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS];
	for (int r = 0; r < KP_BENCH_RUNS; r++)
		v[r] = goto_run();
	kp_bench_report("goto_1m_ms", kp_bench_median(v, KP_BENCH_RUNS), "ms");
}
