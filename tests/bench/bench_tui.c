/*
 * bench_tui.c - tui_redraw_us: one full TUI frame (render every pane and
 * draw the screen through ncurses) at 200x60, on a booted default world
 * stepped into its boot, written to /dev/null.  Target: at most 5,000 us.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "kernel/kernel.h"
#include "ui/session.h"
#include "ui/tui/tui.h"

#define REDRAWS 50

void bench_tui(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	struct kp_world_config cfg;
	struct kp_strbuf sink;
	struct kp_out out;
	double v[KP_BENCH_RUNS];

	FILE *devnull_out = fopen("/dev/null", "w");
	FILE *devnull_in = fopen("/dev/null", "r");
	if (!devnull_out || !devnull_in)
		return;
	SCREEN *scr = newterm("xterm", devnull_out, devnull_in);
	if (!scr) {
		printf("tui_redraw_us skipped: no xterm terminfo\n");
		fclose(devnull_out);
		fclose(devnull_in);
		return;
	}
	set_term(scr);
	resizeterm(60, 200);

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
	kp_bench_report("tui_redraw_us", kp_bench_median(v, KP_BENCH_RUNS),
			"us");
	tui_fini(t);
done:
	free(t);
	kp_session_free(s);
	kp_strbuf_free(&sink);
	endwin();
	delscreen(scr);
	fclose(devnull_out);
	fclose(devnull_in);
}
