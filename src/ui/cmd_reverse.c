/*
 * cmd_reverse.c - going back: goto, reverse-step, reverse-next,
 * reverse-finish, reverse-continue, by deterministic re-execution
 * (DESIGN.md "Stepping").  No kernel counterpart; gdb's reverse
 * commands over an rr-style recording are the model.
 *
 * Going back rebuilds the world from the session's configuration (as
 * `reboot` does, keeping breakpoints, watches and displays) and runs it
 * forward to the target record with breakpoints off, applying each
 * logged input (engine/record.h) at its point.  The inputs after the
 * target stay in the log as the recorded future: the run commands apply
 * them again when the run reaches their point (kp_replay_run), until a
 * new input replaces them.
 *
 * No snapshots: going back costs a run from power-on, and that is fast
 * enough.  Measured (CPU time, -O2, default world, a blocking reader and
 * UDP floods up to 1,004,054 records): reverse-step at the end 55-59 ms,
 * goto 999000 from there 44 ms, goto 500000 36 ms, goto 0 1.2 ms (about
 * 55 ns per step point re-run; goto_1m_ms in tests/bench).  fork()
 * checkpoints would pay off past ~2M records; they would also have to
 * keep the terminal and readline in a parent that forwards commands to
 * the child holding the world (the TUI reads the world directly), which
 * is not worth it below the 100 ms a step may take.
 *
 * Going back lands where stepping forward did because stopping does not
 * change a run (engine: stop_ctl.paused resumes the stopped CPU first);
 * tests/debugger/run-reverse-lesson.sh checks it over the receive
 * lesson's stops.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console_out.h"
#include "debugger.h"
#include "engine/probe.h"
#include "session.h"

/* ---- running quietly ---- */

struct bp_save {
	uint8_t count[KP_NR_PROBES_MAX];
};

static void bps_off(struct kp_world *w, struct bp_save *b)
{
	memcpy(b->count, w->bp_count, sizeof(b->count));
	memset(w->bp_count, 0, sizeof(w->bp_count));
}

static void bps_on(struct kp_world *w, const struct bp_save *b)
{
	memcpy(w->bp_count, b->count, sizeof(b->count));
}

int kp_replay_exec_input(struct kp_session *s, const char *line)
{
	struct kp_dbg *d = s->dbg;
	struct kp_strbuf sink, last;
	struct kp_out sink_out;
	kp_strbuf_init(&sink);
	kp_strbuf_init(&last);
	kp_out_init_strbuf(&sink_out, &sink);

	struct kp_out *out = s->out, *cur_out = s->cur_out;
	const char *file = s->file;
	int line_no = s->line, errors = s->errors;
	bool replaying = d->replaying;
	kp_strbuf_move(&last, &s->last_output);
	s->out = &sink_out;
	s->cur_out = NULL;
	s->file = NULL;
	d->replaying = true;

	int ret = kp_session_exec(s, line);

	d->replaying = replaying;
	s->out = out;
	s->cur_out = cur_out;
	s->file = file;
	s->line = line_no;
	s->errors = errors;
	kp_strbuf_move(&s->last_output, &last);
	kp_strbuf_free(&sink);
	return ret;
}

void kp_replay_set_now(struct kp_session *s, const struct kp_pos *pos,
		       uint64_t now)
{
	struct kp_world *w = s->world;
	/* only with nothing queued: no event can then be in the past */
	if (pos->kind == KP_POS_IDLE && now &&
	    kp_eventq_next_time(&w->events) == UINT64_MAX)
		w->now = now;
}

static void describe(const struct kp_pos *pos, char *buf, size_t size)
{
	kp_pos_format(pos, buf, size);
}

int kp_replay_advance(struct kp_session *s, const struct kp_pos *pos,
		      struct kp_out *out)
{
	struct kp_dbg *d = kp_dbg_get(s);
	struct kp_world *w = s->world;
	struct kp_pos cur;
	char a[64], b[64];
	struct bp_save saved;

	if (!d)
		return -ENOMEM;
	kp_pos_of_world(w, s->started, &cur);
	if (kp_pos_equal(&cur, pos) || pos->kind == KP_POS_BOOT)
		return 0;
	if (kp_pos_key(&cur) > kp_pos_key(pos)) {
		describe(pos, a, sizeof(a));
		describe(&cur, b, sizeof(b));
		return kp_cmd_error(s, out, "the run is already past %s (it "
					    "stands at %s); 'record load' "
					    "replays from power-on",
				    a, b);
	}
	bool advancing = d->advancing;
	d->advancing = true;
	bps_off(w, &saved);
	s->started = true;
	s->interrupted = false;
	switch (pos->kind) {
	case KP_POS_PROBE:
	case KP_POS_EXIT:
		kp_world_set_mode(w, KP_RUN_SEQ, pos->seq);
		kp_world_run(w);
		if (pos->kind == KP_POS_EXIT && w->stop_ctl.at &&
		    w->stop_ctl.seq == pos->seq) {
			kp_world_set_mode(w, KP_RUN_FINISH, 0);
			w->stop_ctl.depth = (uint32_t)pos->arg;
			kp_world_run(w);
		}
		break;
	case KP_POS_UNTIL:
		kp_world_set_mode(w, KP_RUN_UNTIL, pos->arg);
		kp_world_run(w);
		break;
	case KP_POS_EVENT:
		/* a model's stop needs the command that asked for it; the
		 * nearest point without it is the record before */
		if (pos->seq && w->trace.seq < pos->seq) {
			kp_world_set_mode(w, KP_RUN_SEQ, pos->seq - 1);
			kp_world_run(w);
		}
		break;
	case KP_POS_IDLE:
	default:
		kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
		kp_world_run(w);
		break;
	}
	bps_on(w, &saved);
	d->advancing = advancing;
	kp_pos_of_world(w, s->started, &cur);
	if (!kp_pos_equal(&cur, pos) && pos->kind != KP_POS_EVENT) {
		describe(pos, a, sizeof(a));
		describe(&cur, b, sizeof(b));
		if (cur.kind == KP_POS_IDLE)
			return kp_cmd_error(s, out, "the run ends before %s: "
						    "nothing left to do after "
						    "#seq %" PRIu64,
					    a, cur.seq ? cur.seq - 1 : 0);
		return kp_cmd_error(s, out, "replay went astray: wanted %s, "
					    "reached %s",
				    a, b);
	}
	return 0;
}

/* Apply the logged inputs due at the point where the world stands. */
static bool apply_due(struct kp_session *s)
{
	struct kp_dbg *d = s->dbg;
	bool any = false;
	while (d->log.applied < d->log.n) {
		struct kp_pos cur;
		const struct kp_input *e = &d->log.v[d->log.applied];
		kp_pos_of_world(s->world, s->started, &cur);
		if (!kp_pos_equal(&cur, &e->pos))
			break;
		d->log.applied++;
		kp_replay_set_now(s, &e->pos, e->now);
		kp_replay_exec_input(s, e->line);
		any = true;
	}
	return any;
}

/* Put back the user's run (mode, count, stack, depth) after a pause. */
static void restore_mode(struct kp_world *w, const struct kp_stop_ctl *u)
{
	struct kp_stop_ctl *c = &w->stop_ctl;
	c->mode = u->mode;
	c->count = u->count;
	c->ti = u->ti;
	c->depth = u->depth;
	c->until = u->until;
	c->target_seq = u->target_seq;
	c->exit_check = u->exit_check;
	c->probe_check = (uint8_t)((c->probe_check & ~KP_CHECK_RUNMODE) |
				   (u->probe_check & KP_CHECK_RUNMODE));
	c->stopped = false;
	c->reason = KP_STOP_NONE;
	c->message = NULL;
	c->bp_number = 0;
}

bool kp_replay_has_future(struct kp_session *s)
{
	struct kp_dbg *d = s->dbg;
	return d && !d->replaying && !d->advancing && d->nonruns_depth == 0 &&
	       d->log.applied < d->log.n;
}

enum kp_stop_reason kp_replay_run(struct kp_session *s,
				  enum kp_run_mode mode, uint64_t arg)
{
	struct kp_dbg *d = s->dbg;
	struct kp_world *w = s->world;
	enum kp_stop_reason r;

	/* inputs due where the world stands (power-on, or a stop between
	 * events after goto), before the new run mode forgets the stop */
	apply_due(s);
	s->started = true;
	s->interrupted = false;
	kp_world_set_mode(w, mode, arg);
	for (;;) {
		struct kp_stop_ctl user = w->stop_ctl;
		if (apply_due(s))
			restore_mode(w, &user);
		if (d->log.applied >= d->log.n) {
			kp_dbg_arm(s);
			return kp_world_run(w);
		}
		const struct kp_input *e = &d->log.v[d->log.applied];
		if (e->pos.kind == KP_POS_UNTIL) {
			/* departs from the user's run mode meanwhile: an
			 * until point is a stop between events */
			kp_world_set_mode(w, KP_RUN_UNTIL, e->pos.arg);
			kp_dbg_arm(s);
			r = kp_world_run(w);
			if (r != KP_STOP_UNTIL)
				return r;
			user = w->stop_ctl;
			apply_due(s);
			restore_mode(w, &user);
			continue;
		}
		if (e->pos.kind == KP_POS_PROBE || e->pos.kind == KP_POS_EXIT)
			d->limit_seq = e->pos.seq;
		kp_dbg_arm(s);
		r = kp_world_run(w);
		bool hit = d->limit_hit;
		d->limit_hit = false;
		d->limit_seq = UINT64_MAX;
		if (hit) {
			struct kp_stop_ctl u = w->stop_ctl;
			if (e->pos.kind == KP_POS_EXIT && w->stop_ctl.at) {
				kp_world_set_mode(w, KP_RUN_FINISH, 0);
				w->stop_ctl.depth = (uint32_t)e->pos.arg;
				kp_world_run(w);
			}
			apply_due(s);
			restore_mode(w, &u);
			continue;
		}
		struct kp_pos cur;
		kp_pos_of_world(w, s->started, &cur);
		if (kp_pos_equal(&cur, &e->pos)) {
			if (r == KP_STOP_IDLE)
				continue; /* apply, and run on */
			apply_due(s);
			return r;
		}
		if (r == KP_STOP_IDLE) /* the recorded future went astray */
			kp_input_log_truncate(&d->log, d->log.applied);
		return r;
	}
}

static void discard_console(struct kp_session *s)
{
	struct kp_strbuf sink;
	struct kp_out sink_out;
	kp_strbuf_init(&sink);
	kp_out_init_strbuf(&sink_out, &sink);
	kp_console_flush(s, &sink_out);
	kp_strbuf_free(&sink);
}

/*
 * A record written while the run was already stopping cannot be stopped
 * at: a network tool's kernel call asks for the stop when it is done,
 * and its CPU runs on to its next yield (irq_exit...) before the run
 * ends.  Going to such a record lands on the stop that follows it (the
 * tool's command done), just after it; @lenient says that will do.
 */
static bool past_by_stopping(struct kp_session *s, const struct kp_pos *target)
{
	struct kp_pos cur;
	kp_pos_of_world(s->world, s->started, &cur);
	return target->kind == KP_POS_PROBE && cur.kind == KP_POS_EVENT &&
	       cur.seq > target->seq && kp_pos_key(&cur) > kp_pos_key(target);
}

static int goto_pos(struct kp_session *s, const struct kp_pos *target,
		    struct kp_out *out, bool lenient);

int kp_replay_goto_pos(struct kp_session *s, const struct kp_pos *target,
		       struct kp_out *out)
{
	return goto_pos(s, target, out, false);
}

static int goto_pos(struct kp_session *s, const struct kp_pos *target,
		    struct kp_out *out, bool lenient)
{
	struct kp_dbg *d = kp_dbg_get(s);
	struct kp_pos cur;
	int err = 0;
	bool rebuilt = false, after = false;

	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	kp_pos_of_world(s->world, s->started, &cur);
	if (kp_pos_key(target) < kp_pos_key(&cur) ||
	    (kp_pos_key(target) == kp_pos_key(&cur) &&
	     !kp_pos_equal(target, &cur))) {
		/* what programs printed so far was seen already */
		discard_console(s);
		if (kp_session_reboot(s))
			return kp_cmd_error(s, out, "cannot rebuild the world "
						    "(out of memory)");
		d->log.applied = 0;
		rebuilt = true;
	}
	while (!err) {
		if (d->log.applied < d->log.n &&
		    kp_pos_key(&d->log.v[d->log.applied].pos) <=
			    kp_pos_key(target)) {
			const struct kp_input *e = &d->log.v[d->log.applied];
			err = kp_replay_advance(s, &e->pos, out);
			if (err)
				break;
			d->log.applied++;
			/* a command that runs the world stops at the target */
			if (target->kind == KP_POS_PROBE)
				d->limit_seq = target->seq;
			kp_replay_set_now(s, &e->pos, e->now);
			kp_replay_exec_input(s, e->line);
			d->limit_seq = UINT64_MAX;
			d->limit_hit = false;
			continue;
		}
		if (lenient && past_by_stopping(s, target)) {
			after = true; /* the stop just after the target */
			break;
		}
		err = kp_replay_advance(s, target, out);
		break;
	}
	/* ... and printing it again going back would only repeat it */
	if (rebuilt)
		discard_console(s);
	struct kp_stop_ctl *c = &s->world->stop_ctl;
	if (!err && target->kind == KP_POS_PROBE && !after) {
		/* shown as a step to that record */
		c->reason = KP_STOP_STEP;
		c->message = NULL;
		c->bp_number = 0;
	}
	s->interrupted = false;
	kp_watch_refresh(s);
	return err;
}

int kp_replay_goto(struct kp_session *s, uint64_t seq, struct kp_out *out)
{
	struct kp_pos p = { .kind = KP_POS_PROBE, .seq = seq };
	return goto_pos(s, &p, out, true);
}

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
 * after it is where we stand (see past_by_stopping) - to the latest
 * earlier record that lands before where we stand. */
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
