/*
 * format_stack.c - call frames and whole shadow stacks.
 */
#include "format_stack.h"

#include "engine/ids.h"
#include "engine/probe.h"
#include "sched/host.h"

void kp_fmt_frame(struct kp_out *out, const struct kp_frame *f)
{
	const struct kp_probe_info *p = &kp_probes[f->probe];
	if (f->obj_kind)
		kp_printf(out, "%s (%s#%u) at %s", p->name,
			  kp_obj_kind_name((enum kp_obj_kind)f->obj_kind),
			  f->obj_id, p->file);
	else
		kp_printf(out, "%s () at %s", p->name, p->file);
}

void kp_fmt_frame_line(struct kp_out *out, int num, const struct kp_frame *f)
{
	kp_printf(out, "#%-3d", num);
	kp_fmt_frame(out, f);
	kp_puts(out, "\n");
}

static const char *ctx_tag(uint8_t ctx)
{
	switch (ctx) {
	case KP_CTX_HARDIRQ:
		return "IRQ";
	case KP_CTX_SOFTIRQ:
		return "SOFTIRQ";
	case KP_CTX_HW:
		return "HW";
	default:
		return NULL;
	}
}

void kp_fmt_stack(struct kp_out *out, struct kp_world *w,
		  const struct kp_thread_info *ti)
{
	const struct task_struct *t = ti->task;
	const char *open = NULL;

	if (ti->depth == 0)
		kp_puts(out, "  (no frames)\n");
	for (int i = (int)ti->depth - 1, num = 0; i >= 0; i--, num++) {
		const char *tag = ctx_tag(ti->frames[i].ctx);
		if (open && (!tag || tag != open)) {
			kp_printf(out, "  </%s>\n", open);
			open = NULL;
		}
		if (tag && tag != open) {
			kp_printf(out, "  <%s>\n", tag);
			open = tag;
		}
		kp_fmt_frame_line(out, num, &ti->frames[i]);
	}
	if (open)
		kp_printf(out, "  </%s>\n", open);
	if (!t) {
		kp_puts(out, "  [no task]\n");
		return;
	}
	const struct kp_vcpu *v = ti->cpu;
	const char *host = v && v->host_id < w->nr_hosts
				   ? w->hosts[v->host_id]->name
				   : "?";
	if (t->on_cpu)
		kp_printf(out, "  [task %s pid %d on %s cpu%d]\n", t->comm,
			  (int)t->pid, host, v ? v->cpu_id : t->cpu);
	else
		kp_printf(out, "  [task %s pid %d, state %c, last ran on %s "
			       "cpu%d]\n",
			  t->comm, (int)t->pid, kp_task_state_char(t->state),
			  host, t->cpu);
}
