/*
 * format_trace.c - the function_graph rendering of the trace ring.
 */
#include "format_trace.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "duration.h"
#include "engine/ids.h"
#include "engine/probe.h"
#include "format_sched.h"
#include "sched/host.h"

/* Per-stack state while rendering. */
struct stack_state {
	uint64_t key;
	uint8_t next_depth; /* pass 1: depth of the following record */
	int nopen;
	uint8_t open[KP_MAX_DEPTH + 1]; /* depths with an open `{` */
};

struct stacks {
	struct stack_state *v;
	size_t n, cap;
};

/* Which stack a record belongs to: a task's (by pid; each idle task is
 * its CPU's own) or a host's devices. */
static uint64_t stack_key(const struct kp_trace_rec *r)
{
	bool hw = r->flags & KP_TRF_HW;
	uint64_t cpu = (hw || r->pid == 0) ? r->cpu : 0;
	return ((uint64_t)r->host << 48) | ((uint64_t)hw << 47) |
	       ((uint64_t)r->pid << 8) | cpu;
}

static struct stack_state *stack_get(struct stacks *st, uint64_t key)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].key == key)
			return &st->v[i];
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		struct stack_state *nv = realloc(st->v, cap * sizeof(*nv));
		if (!nv)
			return NULL;
		st->v = nv;
		st->cap = cap;
	}
	struct stack_state *s = &st->v[st->n++];
	s->key = key;
	s->next_depth = 0;
	s->nopen = 0;
	return s;
}

void kp_fmt_trace_header(struct kp_out *out)
{
	kp_printf(out, "#%11s %-6s %-4s %-7s %-16s | %s\n", "TIME", "HOST",
		  "CPU", "CTX", "TASK", " FUNCTION CALLS");
}

/* The columns before the '|'; @time may be NULL for a closing brace. */
static void prefix(struct kp_out *out, struct kp_world *w,
		   const struct kp_trace_rec *r, bool with_time)
{
	char tbuf[KP_TIME_BUF], cpu[8], task[32];
	bool hw = r->flags & KP_TRF_HW;
	const char *host = r->host < w->nr_hosts ? w->hosts[r->host]->name
						 : "?";
	if (hw) {
		snprintf(cpu, sizeof(cpu), "hw");
		snprintf(task, sizeof(task), "-");
	} else {
		snprintf(cpu, sizeof(cpu), "cpu%u", r->cpu);
		snprintf(task, sizeof(task), "%s-%u",
			 kp_task_comm(w, r->host, r->cpu, r->pid), r->pid);
	}
	kp_printf(out, "%12s %-6s %-4s %-7s %-16s | ",
		  with_time ? kp_fmt_time(tbuf, r->time) : "", host, cpu,
		  kp_ctx_name((enum kp_ctx_kind)r->ctx), task);
}

void kp_fmt_trace_range(struct kp_out *out, struct kp_world *w,
			uint64_t first, uint64_t end)
{
	struct stacks st = { NULL, 0, 0 };
	const struct kp_trace *t = &w->trace;
	uint64_t oldest = t->seq - kp_trace_available(t);

	if (end > t->seq)
		end = t->seq;
	if (first < oldest)
		first = oldest;
	if (first >= end)
		return;
	size_t n = (size_t)(end - first);
	uint8_t *next_depth = calloc(n, 1);
	if (!next_depth)
		return;

	/* pass 1, backwards: how deep is each record's successor? */
	for (size_t i = n; i-- > 0;) {
		const struct kp_trace_rec *r = kp_trace_get(t, first + i);
		struct stack_state *s = stack_get(&st, stack_key(r));
		if (!s)
			goto out;
		next_depth[i] = s->next_depth;
		s->next_depth = r->depth;
	}

	/* pass 2, forwards: print, opening and closing braces */
	for (size_t i = 0; i < n; i++) {
		const struct kp_trace_rec *r = kp_trace_get(t, first + i);
		struct stack_state *s = stack_get(&st, stack_key(r));
		while (s->nopen && s->open[s->nopen - 1] >= r->depth) {
			uint8_t d = s->open[--s->nopen];
			prefix(out, w, r, false);
			kp_printf(out, "%*s}\n", 2 * d, "");
		}
		bool opens = next_depth[i] > r->depth;
		prefix(out, w, r, true);
		kp_printf(out, "%*s%s()%s", 2 * r->depth, "",
			  kp_probes[r->probe].name, opens ? " {" : ";");
		enum kp_obj_kind kind = (enum kp_obj_kind)r->obj_kind;
		if (kind)
			kp_printf(out, "  /* %s#%u */", kp_obj_kind_name(kind),
				  r->obj_id);
		kp_puts(out, "\n");
		if (opens && s->nopen < KP_MAX_DEPTH + 1)
			s->open[s->nopen++] = r->depth;
	}
out:
	free(next_depth);
	free(st.v);
}

void kp_fmt_trace_last(struct kp_out *out, struct kp_world *w,
		       uint64_t count)
{
	const struct kp_trace *t = &w->trace;
	uint64_t avail = kp_trace_available(t);

	if (t->seq == 0) {
		kp_puts(out, "# no trace records yet\n");
		return;
	}
	if (count > t->seq)
		count = t->seq;
	if (count > avail) {
		kp_printf(out, "# %" PRIu64 " earlier records left the ring; "
			       "'set trace-size' keeps more\n",
			  count - avail);
		count = avail;
	}
	kp_fmt_trace_header(out);
	kp_fmt_trace_range(out, w, t->seq - count, t->seq);
}
