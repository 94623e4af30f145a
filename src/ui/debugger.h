/*
 * debugger.h - the session's debugger state beyond breakpoints: the input
 * log and re-execution (reverse-step, goto, record save/load:
 * cmd_record.c, reexec.c, cmd_reverse.c), watchpoints and displays (cmd_watch.c)
 * and the trace filter (cmd_trace_save.c).  It hangs off
 * struct kp_session (s->dbg), survives reboots and goto, and is reached
 * by the engine only through struct kp_debug_ops (run.c).
 */
#ifndef KP_UI_DEBUGGER_H
#define KP_UI_DEBUGGER_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/record.h"
#include "engine/world.h"
#include "out.h"
#include "values.h"

struct kp_session;

struct kp_watch {
	int number;
	char *expr;   /* as typed: "server.ring.eth0.rx0.free < 10" */
	char *path;   /* the value path */
	int op;       /* enum kp_cmp_op, or -1: stop on any change */
	struct kp_value rhs;
	struct kp_value old;
	bool cond_was_true;
	uint64_t hits;
};

struct kp_display {
	int number;
	char *expr;
};

/* `trace filter`: which records `trace` and `trace save` show. */
struct kp_trace_filter {
	bool active;
	int64_t skb;   /* -1: any */
	int host;      /* -1: any */
	int cpu;       /* -1: any; -2: devices (hw) */
	int layer;     /* -1: any; enum kp_layer */
};

#define KP_WATCH_MAX 32
#define KP_DISPLAY_MAX 32

struct kp_dbg {
	struct kp_input_log log;

	/* re-execution */
	bool replaying;     /* re-executing logged inputs: nothing is logged,
			     * watches sleep, output is discarded */
	int nonruns_depth;  /* inside commands that are not run commands */
	int input_depth;    /* inside a world input: the commands it runs
			     * itself (packetdrill's sysctl lines) are part
			     * of it, not inputs of their own */
	uint64_t limit_seq; /* stop at the probe of this record;
			     * UINT64_MAX: no limit */
	bool limit_hit;
	bool advancing;     /* positioning runs: watches sleep */

	/* watchpoints and displays */
	struct kp_watch watches[KP_WATCH_MAX];
	int nr_watches;
	struct kp_display displays[KP_DISPLAY_MAX];
	int nr_displays;
	int next_display;
	int triggered;  /* the watch that stopped the last run, or 0 */
	char trigger_msg[256];

	struct kp_trace_filter filter;
};

/* The session's debugger state, made on first use; NULL without memory. */
struct kp_dbg *kp_dbg_get(struct kp_session *s);
void kp_dbg_free(struct kp_session *s);

/* ---- the input log (cmd_record.c) ---- */

/* Around each command line that kp_session_exec_argv runs. */
struct kp_record_mark {
	bool candidate;   /* may be an input */
	bool table_input; /* in the table of world inputs */
	bool outer_input; /* counted in kp_dbg.input_depth */
	bool nonruns;
	struct kp_pos pos;
	uint64_t seq0;
	uint64_t now;
	size_t n0;
	/* the command line as typed: handlers may cut their argv up
	 * (sysctl -w NAME=VALUE), so it is joined before they run */
	char *line;
};
void kp_record_before(struct kp_session *s, int argc, char **argv,
		      struct kp_record_mark *m, struct kp_out *out);
void kp_record_after(struct kp_session *s, int argc, char **argv,
		     const struct kp_record_mark *m, int ret);
/* A "@POS COMMAND" line of a saved record: run forward to POS, then run
 * COMMAND (nothing more without one). */
int kp_record_exec_at(struct kp_session *s, const char *line,
		      struct kp_out *out);

/* ---- re-execution (reexec.c) ---- */

/* Run the current world forward to @pos (breakpoints off); 0 or -errno
 * after printing why to @out. */
int kp_replay_advance(struct kp_session *s, const struct kp_pos *pos,
		      struct kp_out *out);
/* Rebuild the world and run it to trace record @seq, applying the logged
 * inputs on the way; 0 or -errno (printed). */
int kp_replay_goto(struct kp_session *s, uint64_t seq, struct kp_out *out);
/* ... to any position (record load's end point). */
int kp_replay_goto_pos(struct kp_session *s, const struct kp_pos *target,
		       struct kp_out *out);
/* Before an input at @pos: an idle world's event time back to what it
 * was when the input was logged (@now, 0: leave it). */
void kp_replay_set_now(struct kp_session *s, const struct kp_pos *pos,
		       uint64_t now);
/* Run one logged input's command line, quietly. */
int kp_replay_exec_input(struct kp_session *s, const char *line);
/* A run of the user's while recorded inputs lie ahead: applies them at
 * their points on the way.  Called by kp_session_run. */
bool kp_replay_has_future(struct kp_session *s);
enum kp_stop_reason kp_replay_run(struct kp_session *s,
				  enum kp_run_mode mode, uint64_t arg);

/* ---- watchpoints and displays (cmd_watch.c) ---- */

/* Before a run: turn on the engine's watch check if needed. */
void kp_dbg_arm(struct kp_session *s);
/* At a probe (struct kp_debug_ops.watch_check): true to stop. */
bool kp_dbg_watch_check(struct kp_session *s);
/* Around the stop report: the watch that fired, then the displays. */
void kp_dbg_report_before(struct kp_session *s, struct kp_out *out);
void kp_dbg_report_after(struct kp_session *s, struct kp_out *out);
/* Take the current values as the watches' old values (after goto). */
void kp_watch_refresh(struct kp_session *s);

/* ---- trace filter (cmd_trace_save.c) ---- */

bool kp_trace_filter_match(const struct kp_trace_filter *f,
			   const struct kp_trace_rec *r);
/* `trace N`: the last @count records, through the filter when one is
 * set (one a line), else the function_graph view. */
void kp_trace_print(struct kp_session *s, struct kp_out *out,
		    uint64_t count);

#endif
