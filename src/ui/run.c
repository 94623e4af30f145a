/*
 * run.c - the session's side of running the world: the lazy start,
 * one run with Ctrl-C, the stop report, reboot, and the debugger hooks
 * (struct kp_debug_ops) that let breakpoint conditions and interrupts
 * reach the engine.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "cond.h"
#include "debugger.h"
#include "format_stop.h"
#include "session.h"

/* ---- debugger hooks ---- */

static bool dbg_cond_eval(struct kp_world *w, void *cond,
			  const struct kp_vcpu *v, const struct kp_obj *obj)
{
	/* the probe appended its trace record just before asking */
	struct kp_probe_ctx p = {
		.w = w, .v = v, .obj = obj,
		.rec = kp_trace_get(&w->trace, w->trace.seq - 1),
	};
	return p.rec && kp_cond_eval(cond, &p);
}

static void dbg_cond_free(void *cond)
{
	kp_cond_free(cond);
}

/*
 * Ctrl-C during a run.  The handler may only touch flags, so it sets
 * interrupt_pending and turns on the engine's watch check; the next probe
 * then calls dbg_watch_check, which stops the run there, at a proper stop
 * point.  File-scope because a signal handler has no other way in.
 */
static volatile sig_atomic_t interrupt_pending;
static volatile sig_atomic_t slice_pending; /* SIGALRM: a slice ended */
static struct kp_world *volatile interrupt_world;

static void on_sigint(int sig)
{
	(void)sig;
	interrupt_pending = 1;
	if (interrupt_world)
		interrupt_world->stop_ctl.probe_check |= KP_CHECK_WATCH;
}

static void on_sigalrm(int sig)
{
	(void)sig;
	slice_pending = 1;
	if (interrupt_world)
		interrupt_world->stop_ctl.probe_check |= KP_CHECK_WATCH;
}

static bool dbg_watch_check(struct kp_world *w)
{
	struct kp_session *s = w->dbg_data;
	if (!interrupt_pending && !slice_pending)
		return kp_dbg_watch_check(s); /* watches, replay limits */
	if (interrupt_pending)
		s->interrupted = true;
	else
		s->sliced = true;
	interrupt_pending = 0;
	slice_pending = 0;
	w->stop_ctl.probe_check &= (uint8_t)~KP_CHECK_WATCH;
	return true;
}

static const struct kp_debug_ops session_debug_ops = {
	.cond_eval = dbg_cond_eval,
	.cond_free = dbg_cond_free,
	.watch_check = dbg_watch_check,
};

/* ---- running ---- */

enum kp_stop_reason kp_session_run(struct kp_session *s,
				   enum kp_run_mode mode, uint64_t arg)
{
	struct kp_world *w = s->world;
	struct sigaction sa, old;
	enum kp_stop_reason reason;

	/* after going back, the recorded inputs apply on the way */
	if (kp_replay_has_future(s))
		return kp_replay_run(s, mode, arg);
	s->started = true;
	s->interrupted = false;
	s->sliced = false;
	kp_world_set_mode(w, mode, arg);
	kp_dbg_arm(s);
	if (s->batch)
		return kp_world_run(w);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	interrupt_pending = 0;
	interrupt_world = w;
	sigaction(SIGINT, &sa, &old);
	reason = kp_world_run(w);
	sigaction(SIGINT, &old, NULL);
	interrupt_world = NULL;
	interrupt_pending = 0;
	w->stop_ctl.probe_check &= (uint8_t)~KP_CHECK_WATCH;
	kp_dbg_arm(s);
	return reason;
}

enum kp_stop_reason kp_session_run_slice(struct kp_session *s,
					 uint64_t wall_ns)
{
	struct kp_world *w = s->world;
	struct sigaction sa, old;
	struct itimerval it, off;

	/* going back replays inputs at exact positions: plain continue */
	if (s->batch || kp_replay_has_future(s))
		return kp_session_run(s, KP_RUN_CONTINUE, 0);
	s->started = true;
	s->interrupted = false;
	s->sliced = false;
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_dbg_arm(s);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_sigalrm;
	interrupt_pending = 0;
	slice_pending = 0;
	interrupt_world = w;
	sigaction(SIGALRM, &sa, &old);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)(wall_ns / 1000000000u);
	it.it_value.tv_usec = (suseconds_t)(wall_ns % 1000000000u / 1000u);
	if (!it.it_value.tv_sec && !it.it_value.tv_usec)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
	struct sigaction si, old_si;
	memset(&si, 0, sizeof(si));
	sigemptyset(&si.sa_mask);
	si.sa_handler = on_sigint;
	sigaction(SIGINT, &si, &old_si);

	enum kp_stop_reason reason = kp_world_run(w);

	memset(&off, 0, sizeof(off));
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGINT, &old_si, NULL);
	sigaction(SIGALRM, &old, NULL);
	interrupt_world = NULL;
	interrupt_pending = 0;
	slice_pending = 0;
	w->stop_ctl.probe_check &= (uint8_t)~KP_CHECK_WATCH;
	kp_dbg_arm(s);
	return reason;
}

void kp_session_report_stop(struct kp_session *s, struct kp_out *out)
{
	kp_dbg_report_before(s, out);
	kp_fmt_stop(out, s->world, s->interrupted);
	kp_dbg_report_after(s, out);
}

int kp_session_start(struct kp_session *s, struct kp_out *out)
{
	if (s->started)
		return 0;
	/* Boot: run from power-on until nothing is left to do.  Only a
	 * stop elsewhere (a breakpoint during boot) is worth a report. */
	if (kp_session_run(s, KP_RUN_CONTINUE, 0) != KP_STOP_IDLE)
		kp_session_report_stop(s, out);
	return 0;
}

/* ---- reboot ---- */

/* Move @old's breakpoints (with their numbers, conditions, enable
 * state) into @w; hit counts start again, as gdb's do on `run`. */
static void move_breakpoints(struct kp_world *w, struct kp_world *old)
{
	for (int i = 0; i < old->nr_bps; i++) {
		struct kp_breakpoint *bp = &old->bps[i];
		w->next_bp_number = bp->number;
		int n = kp_break_add(w, bp->probe, bp->temporary,
				     bp->cond_text, bp->cond);
		struct kp_breakpoint *nbp = kp_break_find(w, n);
		if (nbp) {
			nbp->enabled = bp->enabled;
		} else {
			free(bp->cond_text);
			kp_cond_free(bp->cond);
		}
		/* now owned by the new world (or freed) */
		bp->cond_text = NULL;
		bp->cond = NULL;
	}
	w->next_bp_number = old->next_bp_number;
}

int kp_session_reboot(struct kp_session *s)
{
	struct kp_world *w = kp_world_new(&s->cfg);
	if (!w)
		return -ENOMEM;
	w->dbg = &session_debug_ops;
	w->dbg_data = s;
	if (s->world) {
		move_breakpoints(w, s->world);
		kp_world_free(s->world);
	}
	s->world = w;
	s->started = false;
	s->interrupted = false;
	return 0;
}
