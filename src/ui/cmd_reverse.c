/*
 * cmd_reverse.c - the commands that go back: goto, reverse-step,
 * reverse-next, reverse-finish, reverse-continue.  No kernel
 * counterpart; gdb's reverse commands are the model.
 *
 * Each finds the trace record to go to - by count, by stack and call
 * depth, or by running from power-on with the breakpoints on - and goes
 * there by re-execution (reexec.c: kp_replay_goto rebuilds the world and
 * runs it forward, applying the logged inputs at their points).  The
 * trace ring bounds how far back reverse-next and reverse-finish can
 * look for the record of a stack.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "debugger.h"
#include "session.h"

/* ---- commands ---- */

static int parse_seq(const char *text, uint64_t *v)
{
	char *end;
	if (text[0] == '#')
		text++;
	if (text[0] < '0' || text[0] > '9')
		return -EINVAL;
	unsigned long long n = strtoull(text, &end, 10);
	if (*end)
		return -EINVAL;
	*v = n;
	return 0;
}

static int cmd_goto(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	uint64_t seq;
	if (argc != 1)
		return KP_CMD_USAGE;
	if (parse_seq(argv[0], &seq))
		return kp_cmd_error(s, out, "goto takes a trace record number "
					    "(the #seq of a stop or of "
					    "'trace'), e.g. 'goto 120'");
	if (kp_replay_goto(s, seq, out))
		return -EINVAL;
	struct kp_pos at;
	kp_pos_of_world(s->world, s->started, &at);
	if (at.kind != KP_POS_PROBE)
		kp_printf(out, "#seq %" PRIu64 " was written while a command's "
			       "kernel call was ending; this is the stop "
			       "right after it.\n",
			  seq);
	kp_session_report_stop(s, out);
	return 0;
}

const struct kp_cmd kp_cmd_goto = {
	.name = "goto",
	.aliases = NULL,
	.usage = "goto SEQ",
	.summary = "go to trace record SEQ, backwards or forwards",
	.help = "Puts the world where it stood at trace record SEQ (the #seq\n"
		"of a stop line or of 'trace'), as if you had stepped there.\n"
		"Going back rebuilds the world from power-on with the same\n"
		"seed and runs it forward, breakpoints off, applying each\n"
		"logged input (inject, run, sysctl...) at its point; the\n"
		"inputs after SEQ are applied again when you run on past\n"
		"their point ('record list' shows them), unless you give a\n"
		"new input first.  Breakpoints, watches and displays stay.\n"
		"A record written while a network tool's command was ending\n"
		"(after its kernel call asked for the stop) cannot be stopped\n"
		"at: goto lands on that stop, just after it.\n"
		"\n"
		"Example:\n"
		"  step 30\n"
		"  goto 10\n",
	.group = "reverse",
	.flags = KP_CMD_RUNS,
	.complete = NULL,
	.handler = cmd_goto,
};

/* Where the world stands as a record and the stack it belongs to. */
struct here {
	uint64_t seq;     /* the record we stand at (or after) */
	bool inclusive;   /* seq itself is behind us (a return, idle) */
	bool have_stack;
	uint8_t host;
	bool hw;
	uint32_t pid;
	uint8_t cpu;
	unsigned depth;   /* depth of the function we stand in */
};

static int where_now(struct kp_session *s, struct here *h,
		     struct kp_out *out)
{
	struct kp_world *w = s->world;
	const struct kp_stop_ctl *c = &w->stop_ctl;
	struct kp_pos pos;
	memset(h, 0, sizeof(*h));
	kp_pos_of_world(w, s->started, &pos);
	if (pos.kind == KP_POS_BOOT || w->trace.seq == 0)
		return kp_cmd_error(s, out, "the world has not run yet: "
					    "nothing to go back to");
	switch (pos.kind) {
	case KP_POS_PROBE: {
		h->seq = pos.seq;
		const struct kp_trace_rec *r = kp_trace_get(&w->trace, h->seq);
		if (r) {
			h->have_stack = true;
			h->host = r->host;
			h->hw = r->flags & KP_TRF_HW;
			h->pid = r->pid;
			h->cpu = r->cpu;
			h->depth = r->depth;
		}
		break;
	}
	case KP_POS_EXIT:
		h->seq = pos.seq;
		h->inclusive = true;
		if (c->cpu && c->at) {
			h->have_stack = true;
			h->host = (uint8_t)c->cpu->host_id;
			h->pid = c->cpu->pid;
			h->cpu = (uint8_t)c->cpu->cpu_id;
			h->depth = c->at->depth;
		}
		break;
	default:
		h->seq = pos.seq - 1;
		h->inclusive = true;
		break;
	}
	return 0;
}

static bool same_stack(const struct here *h, const struct kp_trace_rec *r)
{
	bool hw = r->flags & KP_TRF_HW;
	if (r->host != h->host || hw != h->hw)
		return false;
	if (hw)
		return true;
	/* idle (pid 0) is one stack per CPU */
	return r->pid == h->pid && (h->pid != 0 || r->cpu == h->cpu);
}

/* The latest record before where we stand, on our stack, at @max_depth
 * or shallower; false when it left the trace ring. */
static bool find_back(struct kp_world *w, const struct here *h,
		      unsigned max_depth, uint64_t *seq)
{
	uint64_t i = h->inclusive ? h->seq + 1 : h->seq;
	while (i-- > 0) {
		const struct kp_trace_rec *r = kp_trace_get(&w->trace, i);
		if (!r)
			return false;
		if (same_stack(h, r) && r->depth <= max_depth) {
			*seq = i;
			return true;
		}
	}
	return false;
}

/* Go to record @seq, or - when it cannot be stopped at and the stop
 * after it is where we stand (past_by_stopping in reexec.c) - to the
 * latest earlier record that lands before where we stand. */
static int go_back(struct kp_session *s, uint64_t seq, struct kp_out *out)
{
	struct kp_pos from, cur;
	kp_pos_of_world(s->world, s->started, &from);
	for (int tries = 0;; tries++) {
		if (kp_replay_goto(s, seq, out))
			return -EINVAL;
		kp_pos_of_world(s->world, s->started, &cur);
		if (kp_pos_key(&cur) < kp_pos_key(&from) || seq == 0 ||
		    tries == 16)
			break;
		seq--;
	}
	kp_session_report_stop(s, out);
	return 0;
}

static int cmd_reverse_step(struct kp_session *s, int argc, char **argv,
			    struct kp_out *out)
{
	struct here h;
	uint64_t n = 1;
	if (argc > 1)
		return KP_CMD_USAGE;
	if (argc == 1 && (parse_seq(argv[0], &n) || n == 0))
		return kp_cmd_error(s, out, "reverse-step takes a positive "
					    "count, e.g. 'reverse-step 5'");
	if (where_now(s, &h, out))
		return -EINVAL;
	uint64_t back = h.inclusive ? n - 1 : n;
	if (back > h.seq)
		return kp_cmd_error(s, out, "only %" PRIu64 " record%s behind "
					    "us; 'goto 0' goes to the first",
				    h.seq, h.seq == 1 ? " is" : "s are");
	return go_back(s, h.seq - back, out);
}

const struct kp_cmd kp_cmd_reverse_step = {
	.name = "reverse-step",
	.aliases = KP_ALIASES("rs"),
	.usage = "reverse-step [N]",
	.summary = "go back to the previous step point, in any context",
	.help = "The reverse of 'step': goes back N step points (default 1),\n"
		"whatever their host, CPU or context, to the state the world\n"
		"had there - rings, queues, stacks, counters.  'step' then\n"
		"comes back to the same record.  Works by re-running from\n"
		"power-on (see 'goto').\n"
		"\n"
		"Example:\n"
		"  step 5\n"
		"  reverse-step\n",
	.group = "reverse",
	.flags = KP_CMD_RUNS | KP_CMD_REPEAT,
	.complete = NULL,
	.handler = cmd_reverse_step,
};

static int reverse_in_stack(struct kp_session *s, int argc,
			    struct kp_out *out, bool finish)
{
	struct here h;
	uint64_t seq;
	if (argc)
		return KP_CMD_USAGE;
	if (where_now(s, &h, out))
		return -EINVAL;
	if (!h.have_stack)
		return kp_cmd_error(s, out, "not stopped in a function; try "
					    "'reverse-step'");
	if (finish && h.depth <= 1)
		return kp_cmd_error(s, out, "\"reverse-finish\" not "
					    "meaningful in the outermost "
					    "frame; try 'reverse-step'");
	if (!find_back(s->world, &h, finish ? h.depth - 1 : h.depth, &seq))
		return kp_cmd_error(s, out, "no earlier record of this stack "
					    "in the trace ring; try "
					    "'reverse-step' or 'goto SEQ'");
	return go_back(s, seq, out);
}

static int cmd_reverse_next(struct kp_session *s, int argc, char **argv,
			    struct kp_out *out)
{
	(void)argv;
	return reverse_in_stack(s, argc, out, false);
}

const struct kp_cmd kp_cmd_reverse_next = {
	.name = "reverse-next",
	.aliases = KP_ALIASES("rn"),
	.usage = "reverse-next",
	.summary = "go back to the previous step point of this stack",
	.help = "The reverse of 'next': goes back to the latest earlier step\n"
		"point of the same stack (the same task with its interrupts,\n"
		"or the same device) at the same call depth or shallower,\n"
		"stepping back over the calls the function made.\n"
		"\n"
		"Example:\n"
		"  step 40\n"
		"  reverse-next\n",
	.group = "reverse",
	.flags = KP_CMD_RUNS | KP_CMD_REPEAT,
	.complete = NULL,
	.handler = cmd_reverse_next,
};

static int cmd_reverse_finish(struct kp_session *s, int argc, char **argv,
			      struct kp_out *out)
{
	(void)argv;
	return reverse_in_stack(s, argc, out, true);
}

const struct kp_cmd kp_cmd_reverse_finish = {
	.name = "reverse-finish",
	.aliases = NULL,
	.usage = "reverse-finish",
	.summary = "go back to where the current function was called",
	.help = "The reverse of 'finish': goes back to the step point of the\n"
		"caller just before it called the function we stand in - the\n"
		"latest earlier record of this stack one level shallower.\n"
		"\n"
		"Example:\n"
		"  break ip_rcv\n"
		"  continue\n"
		"  reverse-finish\n",
	.group = "reverse",
	.flags = KP_CMD_RUNS,
	.complete = NULL,
	.handler = cmd_reverse_finish,
};

static int cmd_reverse_continue(struct kp_session *s, int argc, char **argv,
				struct kp_out *out)
{
	struct here h;
	struct kp_pos now;
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	if (where_now(s, &h, out))
		return -EINVAL;
	if (s->world->nr_bps == 0)
		return kp_cmd_error(s, out, "no breakpoints to go back to; "
					    "set one with 'break FUNCTION', "
					    "or 'goto SEQ'");
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	kp_pos_of_world(s->world, s->started, &now);
	/* the records behind us: [0, end] */
	uint64_t end = h.inclusive ? h.seq : h.seq - 1;
	if (!h.inclusive && h.seq == 0)
		return kp_cmd_error(s, out, "at the first record: nothing "
					    "behind us");
	/* scan forward from power-on with the breakpoints on */
	if (kp_session_reboot(s))
		return kp_cmd_error(s, out, "cannot rebuild the world");
	d->log.applied = 0;
	uint64_t last = UINT64_MAX;
	int last_bp = 0;
	for (;;) {
		enum kp_stop_reason r = kp_replay_run(s, KP_RUN_SEQ, end);
		const struct kp_stop_ctl *c = &s->world->stop_ctl;
		if (r != KP_STOP_BREAKPOINT || c->seq > end)
			break;
		last = c->seq;
		last_bp = c->bp_number;
	}
	if (last == UINT64_MAX) {
		kp_replay_goto_pos(s, &now, out);
		kp_puts(out, "No breakpoint was hit before this point.\n");
		kp_session_report_stop(s, out);
		return 0;
	}
	if (kp_replay_goto(s, last, out))
		return -EINVAL;
	struct kp_stop_ctl *c = &s->world->stop_ctl;
	if (kp_break_find(s->world, last_bp)) {
		c->reason = KP_STOP_BREAKPOINT;
		c->bp_number = last_bp;
	}
	kp_session_report_stop(s, out);
	return 0;
}

const struct kp_cmd kp_cmd_reverse_continue = {
	.name = "reverse-continue",
	.aliases = KP_ALIASES("rc"),
	.usage = "reverse-continue",
	.summary = "go back to the last breakpoint hit before now",
	.help = "The reverse of 'continue': goes back to the latest point\n"
		"before now where a breakpoint (with its condition) would\n"
		"have stopped the run.  Runs from power-on once with the\n"
		"breakpoints on to find it, then goes there.\n"
		"\n"
		"Example:\n"
		"  break napi_gro_receive\n"
		"  continue\n"
		"  continue\n"
		"  reverse-continue\n",
	.group = "reverse",
	.flags = KP_CMD_RUNS,
	.complete = NULL,
	.handler = cmd_reverse_continue,
};
