/*
 * pane_cpu.c - the CPU pane: for each CPU of the host shown, what runs
 * (task, context hardirq/softirq/task, halted), its shadow call stack
 * from the thread_info frames, the runqueue, softirq_pending by name,
 * its ksoftirqd and that thread's state, and the NAPI instances on the
 * CPU's softnet_data.poll_list.  The CPU the last run stopped on is
 * marked '*'.  Reads only; the texts come from format_sched/format_stack
 * as `info cpus` and `bt` print them.
 */
#include <stdio.h>
#include <string.h>

#include "ui/duration.h"
#include "engine/probe.h"
#include "net/core/netdevice.h"
#include "sched/host.h"
#include "tui.h"
#include "ui/format_sched.h"
#include "ui/format_stack.h"
#include "ui/session.h"

/* "start_kernel > kernel_init > <IRQ> do_IRQ", outermost first. */
static void stack_summary(char *buf, size_t size,
			  const struct kp_thread_info *ti)
{
	size_t len = 0;
	uint8_t ctx = KP_CTX_TASK;
	buf[0] = '\0';
	for (uint32_t i = 0; ti && i < ti->depth && len + 1 < size; i++) {
		const struct kp_frame *f = &ti->frames[i];
		const char *tag = "";
		if (f->ctx != ctx) {
			tag = f->ctx == KP_CTX_HARDIRQ	 ? "<IRQ> "
			      : f->ctx == KP_CTX_SOFTIRQ ? "<SOFTIRQ> "
							 : "";
			ctx = f->ctx;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s",
					i ? " > " : "", tag,
					kp_probes[f->probe].name);
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

/* The NAPI instances on @cpu's poll_list, or "-". */
static void poll_list_text(char *buf, size_t size, struct kp_cpu *cpu)
{
	struct softnet_data *sd = kp_softnet_of(cpu);
	struct napi_struct *n;
	size_t len = 0;
	if (!sd || !sd->poll_list.next) {
		snprintf(buf, size, "(no softnet_data on this host)");
		return;
	}
	buf[0] = '\0';
	list_for_each_entry(n, &sd->poll_list, poll_list) {
		if (len + 1 >= size)
			break;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? " " : "",
					n->name[0] ? n->name : "napi");
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

static void render_cpu(struct tui *t, struct kp_cpu *cpu,
		       struct tui_lines *out, int rows, int cols)
{
	char curr[48], bits[128], rq[256], stack[1024], polls[256];
	char tbuf[KP_TIME_BUF], ksd[64];
	const struct kp_vcpu *v = &cpu->v;
	const struct kp_stop_ctl *c = &t->s->world->stop_ctl;
	const struct kp_thread_info *ti =
		v->coro && v->coro->stack ? kp_coro_thread_info(v->coro) : NULL;
	int used = 0;

	kp_fmt_task(curr, sizeof(curr), cpu->curr);
	/* columns aligned when there is room, else the clock kept whole */
	tui_lines_printf(out, TUI_A_HEAD,
			 cols >= 56 ? "%ccpu%d %-7s %-16s %s t=%ss"
				    : "%ccpu%d %s %s %s t=%ss",
			 c->cpu == v ? '*' : ' ', cpu->id,
			 kp_ctx_name((enum kp_ctx_kind)v->ctx), curr,
			 v->halted ? "halted" : "running",
			 kp_fmt_time(tbuf, v->clock));
	if (++used >= rows)
		return;
	stack_summary(stack, sizeof(stack), ti);
	tui_lines_printf(out, TUI_A_NORMAL, "  stack: %s", stack);
	if (++used >= rows)
		return;
	kp_fmt_softirq_bits(bits, sizeof(bits), cpu->softirq_pending);
	kp_fmt_runqueue(rq, sizeof(rq), cpu);
	tui_lines_printf(out, TUI_A_NORMAL, "  softirq_pending: %s  rq: %s",
			 bits, rq);
	if (++used >= rows)
		return;
	if (cpu->ksoftirqd)
		snprintf(ksd, sizeof(ksd), "%s[%d] %c", cpu->ksoftirqd->comm,
			 (int)cpu->ksoftirqd->pid,
			 kp_task_state_char(cpu->ksoftirqd->state));
	else
		snprintf(ksd, sizeof(ksd), "(not spawned yet)");
	tui_lines_printf(out, TUI_A_NORMAL,
			 "  ksoftirqd: %s  preempt 0x%x irqs %s", ksd,
			 cpu->preempt_count, v->irqs_disabled ? "off" : "on");
	if (++used >= rows)
		return;
	poll_list_text(polls, sizeof(polls), cpu);
	tui_lines_printf(out, TUI_A_NORMAL, "  poll_list: %s", polls);
	if (++used >= rows || !ti)
		return;
	/* room left: the frames one per line, innermost first, as bt */
	struct kp_strbuf sb;
	struct kp_out o;
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&o, &sb);
	for (int i = (int)ti->depth - 1; i >= 0 && used < rows; i--, used++) {
		kp_strbuf_reset(&sb);
		kp_printf(&o, "    #%-2d ", (int)ti->depth - 1 - i);
		kp_fmt_frame(&o, &ti->frames[i]);
		tui_lines_add(out, TUI_A_DIM, kp_strbuf_str(&sb));
	}
	kp_strbuf_free(&sb);
}

static void cpu_render(struct tui *t, struct tui_pane *p,
		       struct tui_lines *out, int rows, int cols)
{
	(void)p;
	struct kp_host *h = tui_host(t);
	if (!h || h->nr_cpus == 0) {
		tui_lines_add(out, TUI_A_DIM, "(no CPU on this host)");
		return;
	}
	int per = rows / h->nr_cpus;
	if (per < 1)
		per = 1;
	for (int i = 0; i < h->nr_cpus; i++) {
		int before = out->n;
		if (h->cpus[i])
			render_cpu(t, h->cpus[i], out,
				   i == h->nr_cpus - 1 ? rows - before : per,
				   cols);
	}
}

static void cpu_title(struct tui *t, struct tui_pane *p, char *buf,
		      size_t size)
{
	(void)p;
	struct kp_host *h = tui_host(t);
	snprintf(buf, size, "%s%s", h ? h->name : "?",
		 t->host_sel < 0 ? " (h: host)" : " (pinned)");
}

const struct tui_pane_ops tui_pane_cpu = {
	.name = "CPU",
	.key = '1',
	.left = true,
	.weight = 4,
	.mark_changes = true,
	.render = cpu_render,
	.on_key = NULL,
	.title = cpu_title,
};
