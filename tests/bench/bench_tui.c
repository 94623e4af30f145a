/*
 * bench_tui.c - the TUI's cost, on a headless ncurses screen (newterm on
 * /dev/null, 200x60, so every frame is really drawn and written):
 *
 * tui_redraw_us: one full TUI frame (render every pane and draw the
 * screen) on a default world stepped into its boot.  Target: at most
 * 5,000 us.
 *
 * tui_rate_ratio: the emulation rate with the TUI open divided by the
 * rate in batch.  The same receive workload both ways - the default
 * world, a quiet `udp-server -q 7000` on server, RATIO_FRAMES UDP frames
 * injected RATIO_BATCH at a time at RATIO_RATE frames per emulated
 * second, each batch run to its end with `continue` - once through
 * kp_session_exec (batch) and once as the TUI runs a typed `continue`:
 * tui_exec, then the main loop's policy (10 ms slices, a redraw
 * whenever a frame time has passed, and a redraw at each stop).  Only
 * reading the keyboard is left out.  Target: at least 0.8.
 *
 * Measured: 0.74 (quiet machine, 2026-11-30) while a TUI slice was `step
 * N`, which sends every probe through the stop check; 0.92-0.95 since a
 * slice is a continue ended by a 10 ms wall-clock timer (SIGALRM, at the
 * next probe, as Ctrl-C), so the probes cost what they cost in batch and
 * the rest is the redraws (~0.4 ms each, at most 30 a second).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kernel/kernel.h"
#include "ui/session.h"
#include "ui/tui/tui.h"

#define REDRAWS 50
#define RATIO_FRAMES 40000
#define RATIO_BATCH 10000
#define RATIO_RATE 200000

static void redraw_us(double *v)
{
	struct kp_world_config cfg;
	struct kp_strbuf sink;
	struct kp_out out;

	kp_world_config_default(&cfg);
	kp_strbuf_init(&sink);
	kp_out_init_strbuf(&out, &sink);
	struct kp_session *s = kp_session_new(&cfg, &out);
	struct tui *t = calloc(1, sizeof(*t));
	if (!s || !t)
		goto done;
	tui_init(t, s);
	t->curses = true;
	kp_session_exec(s, "step 60"); /* frames on the stacks */
	for (int r = 0; r < KP_BENCH_RUNS; r++) {
		uint64_t t0 = kp_bench_now_ns();
		for (int i = 0; i < REDRAWS; i++) {
			tui_mark_stop(t); /* as after a step: all panes anew */
			tui_draw(t);
		}
		v[r] = (double)(kp_bench_now_ns() - t0) / REDRAWS / 1000.0;
	}
	tui_fini(t);
done:
	free(t);
	kp_session_free(s);
	kp_strbuf_free(&sink);
}

/* Wall ns of the receive workload, with the TUI's run loop or not;
 * 0 if it went wrong (not every frame delivered). */
static uint64_t rx_workload_ns(bool with_tui)
{
	struct kp_world_config cfg;
	struct kp_strbuf sink;
	struct kp_out out;
	char inject[160];
	uint64_t ns = 0;

	kp_world_config_default(&cfg);
	kp_strbuf_init(&sink);
	kp_out_init_strbuf(&out, &sink);
	struct kp_session *s = kp_session_new(&cfg, &out);
	struct tui *t = calloc(1, sizeof(*t));
	if (!s || !t)
		goto done;
	kp_session_exec(s, "run udp-server -q 7000 on server");
	kp_session_exec(s, "continue");
	if (with_tui) {
		tui_init(t, s);
		t->curses = true;
		tui_draw(t);
	}
	snprintf(inject, sizeof(inject),
		 "inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 len 18 "
		 "count %d rate %d",
		 RATIO_BATCH, RATIO_RATE);
	uint64_t t0 = kp_bench_now_ns();
	for (int i = 0; i < RATIO_FRAMES / RATIO_BATCH; i++) {
		if (!with_tui) {
			kp_session_exec(s, inject);
			kp_session_exec(s, "continue");
			kp_strbuf_reset(&sink);
			continue;
		}
		/* the main loop: draw when due, run a slice */
		tui_exec(t, inject);
		tui_exec(t, "continue");
		do {
			if (tui_frame_due(t))
				tui_draw(t);
			if (t->running)
				tui_run_slice(t);
		} while (t->running);
		if (tui_frame_due(t))
			tui_draw(t); /* the stop */
	}
	ns = kp_bench_now_ns() - t0;
	if (with_tui)
		tui_fini(t);

	kp_strbuf_reset(&sink);
	kp_session_exec(s, "print server.nstat.UdpInDatagrams");
	const char *eq = strstr(kp_strbuf_str(&sink), " = ");
	long long got = eq ? strtoll(eq + 3, NULL, 10) : -1;
	if (got != RATIO_FRAMES) {
		fprintf(stderr, "tui_rate_ratio: %lld of %d frames delivered "
				"(%s)\n", got, RATIO_FRAMES,
			with_tui ? "TUI" : "batch");
		ns = 0;
	}
done:
	free(t);
	kp_session_free(s);
	kp_strbuf_free(&sink);
	return ns;
}

void bench_tui(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	double v[KP_BENCH_RUNS];

	FILE *devnull_out = fopen("/dev/null", "w");
	FILE *devnull_in = fopen("/dev/null", "r");
	if (!devnull_out || !devnull_in) {
		if (devnull_out)
			fclose(devnull_out);
		if (devnull_in)
			fclose(devnull_in);
		return;
	}
	SCREEN *scr = newterm("xterm", devnull_out, devnull_in);
	if (!scr) {
		printf("tui_redraw_us skipped: no xterm terminfo\n");
		fclose(devnull_out);
		fclose(devnull_in);
		return;
	}
	set_term(scr);
	resizeterm(60, 200);

	redraw_us(v);
	kp_bench_report("tui_redraw_us", kp_bench_median(v, KP_BENCH_RUNS),
			"us");

	/* batch and TUI runs alternate, so a slow phase of the machine
	 * weighs on both */
	for (int r = 0; r < KP_BENCH_RUNS; r++) {
		uint64_t batch = rx_workload_ns(false);
		uint64_t tui = rx_workload_ns(true);
		v[r] = batch && tui ? (double)batch / (double)tui : 0;
	}
	kp_bench_report("tui_rate_ratio", kp_bench_median(v, KP_BENCH_RUNS),
			"x");

	endwin();
	delscreen(scr);
	fclose(devnull_out);
	fclose(devnull_in);
}
