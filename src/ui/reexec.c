/*
 * reexec.c - going back by deterministic re-execution (DESIGN.md
 * "Stepping"): run the world forward to a position with breakpoints off
 * (kp_replay_advance), rebuild it and run it to a trace record applying
 * the logged inputs at their points (kp_replay_goto), and the user's runs
 * while a recorded future lies ahead (kp_replay_run).  The commands that
 * use it are in cmd_reverse.c (goto, reverse-*) and cmd_record.c (record
 * load).  No kernel counterpart; gdb's reverse commands over an rr-style
 * recording are the model.
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
		kp_pos_format(pos, a, sizeof(a));
		kp_pos_format(&cur, b, sizeof(b));
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
		kp_pos_format(pos, a, sizeof(a));
		kp_pos_format(&cur, b, sizeof(b));
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
