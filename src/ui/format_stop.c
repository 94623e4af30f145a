/*
 * format_stop.c - the report printed after each run.
 */
#include "format_stop.h"

#include <inttypes.h>
#include <string.h>

#include "duration.h"
#include "engine/ids.h"
#include "engine/probe.h"
#include "format_sched.h"
#include "sched/host.h"

static void where_from_record(struct kp_where *where,
			      const struct kp_trace_rec *r)
{
	where->valid = true;
	where->probe = r->probe;
	where->host = r->host;
	where->cpu = (r->flags & KP_TRF_HW) ? -1 : r->cpu;
	where->ctx = r->ctx;
	where->pid = r->pid;
	where->obj_kind = r->obj_kind;
	where->obj_id = r->obj_id;
	where->arg = r->arg;
	where->time = r->time;
	where->seq = r->seq;
}

bool kp_stop_where(struct kp_world *w, struct kp_where *where)
{
	const struct kp_stop_ctl *c = &w->stop_ctl;
	memset(where, 0, sizeof(*where));

	if (c->reason == KP_STOP_NONE || c->reason == KP_STOP_IDLE)
		return false;
	if (c->at_exit) {
		/* returned from a function: we stand in the caller */
		const struct kp_thread_info *ti = c->at;
		if (!ti || !c->cpu || ti->depth == 0)
			return false;
		const struct kp_frame *f = &ti->frames[ti->depth - 1];
		where->valid = true;
		where->probe = f->probe;
		where->host = c->cpu->host_id;
		where->cpu = c->cpu->cpu_id;
		where->ctx = c->cpu->ctx;
		where->pid = c->cpu->pid;
		where->obj_kind = f->obj_kind;
		where->obj_id = f->obj_id;
		where->time = c->cpu->clock;
		where->seq = c->seq;
		return true;
	}
	/* a stop in the engine loop (until, request) is at no probe */
	if (!c->cpu && c->reason != KP_STOP_BREAKPOINT &&
	    c->reason != KP_STOP_STEP && c->reason != KP_STOP_SEQ)
		return false;
	const struct kp_trace_rec *r = kp_trace_get(&w->trace, c->seq);
	if (!r)
		return false;
	where_from_record(where, r);
	return true;
}

void kp_fmt_where_func(struct kp_out *out, const struct kp_where *where)
{
	const struct kp_probe_info *p = &kp_probes[where->probe];
	kp_printf(out, "%s (", p->name);
	if (where->obj_kind)
		kp_printf(out, "%s#%u",
			  kp_obj_kind_name((enum kp_obj_kind)where->obj_kind),
			  where->obj_id);
	if (where->arg)
		kp_printf(out, "%sarg=%" PRIu64, where->obj_kind ? ", " : "",
			  where->arg);
	kp_printf(out, ") at %s", p->file);
}

void kp_fmt_where_line(struct kp_out *out, struct kp_world *w,
		       const struct kp_where *where)
{
	char tbuf[KP_TIME_BUF];
	const char *host = where->host < w->nr_hosts
				   ? w->hosts[where->host]->name
				   : "?";
	if (where->cpu < 0) {
		kp_printf(out, "  %s hw  t=%ss  #seq %" PRIu64 "\n", host,
			  kp_fmt_time(tbuf, where->time), where->seq);
		return;
	}
	kp_printf(out, "  %s cpu%d  %s[%u]  %s  t=%ss  #seq %" PRIu64 "\n",
		  host, where->cpu,
		  kp_task_comm(w, where->host, where->cpu, where->pid),
		  where->pid, kp_ctx_name((enum kp_ctx_kind)where->ctx),
		  kp_fmt_time(tbuf, where->time), where->seq);
}

static void print_location(struct kp_out *out, struct kp_world *w,
			   const struct kp_where *where)
{
	kp_fmt_where_func(out, where);
	kp_puts(out, "\n");
	kp_fmt_where_line(out, w, where);
}

void kp_fmt_stop(struct kp_out *out, struct kp_world *w, bool interrupted)
{
	const struct kp_stop_ctl *c = &w->stop_ctl;
	char tbuf[KP_TIME_BUF];
	struct kp_where where;
	bool at = kp_stop_where(w, &where);

	switch (c->reason) {
	case KP_STOP_IDLE:
		kp_printf(out, "Nothing left to do at t=%ss\n",
			  kp_fmt_time(tbuf, kp_world_time_reached(w)));
		return;
	case KP_STOP_BREAKPOINT:
		if (!at)
			break;
		/* a temporary breakpoint is gone once it stopped the run */
		kp_printf(out, "%s %d, ",
			  kp_break_find(w, c->bp_number)
				  ? "Breakpoint"
				  : "Temporary breakpoint",
			  c->bp_number);
		print_location(out, w, &where);
		return;
	case KP_STOP_FINISH:
		if (!at) {
			kp_printf(out, "Returned to the bottom of the stack "
				       "at t=%ss\n",
				  kp_fmt_time(tbuf, kp_world_time(w)));
			return;
		}
		kp_puts(out, "Returned to ");
		print_location(out, w, &where);
		return;
	case KP_STOP_UNTIL:
		kp_printf(out, "Reached t=%ss\n",
			  kp_fmt_time(tbuf, kp_world_time(w)));
		break;
	case KP_STOP_SEQ:
		kp_printf(out, "Reached #seq %" PRIu64 "\n", c->target_seq);
		break;
	case KP_STOP_REQUEST:
		if (interrupted)
			kp_puts(out, "Interrupted.\n");
		else
			kp_printf(out, "Stopped: %s\n",
				  c->message ? c->message : "requested");
		break;
	default:
		break;
	}
	if (at)
		print_location(out, w, &where);
	else if (c->reason != KP_STOP_UNTIL)
		kp_printf(out, "Stopped at t=%ss\n",
			  kp_fmt_time(tbuf, kp_world_time(w)));
}
