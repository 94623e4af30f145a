/*
 * test_format.c - the shared formatters (src/ui/format_*.c) on
 * synthetic data: function_graph braces per stack in an interleaved
 * trace, device records, context markers in a call stack.
 */
#include "engine/ids.h"
#include "engine/probe.h"
#include "kernel/kernel.h"
#include "kp_test.h"
#include "sched/host.h"
#include "ui/format_stack.h"
#include "ui/format_trace.h"

static void add(struct kp_world *w, int probe, int host, int cpu, int pid,
		int depth, int flags)
{
	struct kp_trace_rec *r = kp_trace_append(&w->trace);
	r->time = r->seq * 10;
	r->probe = (uint16_t)probe;
	r->host = (uint8_t)host;
	r->cpu = (uint8_t)cpu;
	r->ctx = flags ? KP_CTX_HW : KP_CTX_TASK;
	r->depth = (uint8_t)depth;
	r->obj_kind = 0;
	r->flags = (uint8_t)flags;
	r->pid = (uint32_t)pid;
	r->obj_id = 0;
	r->arg = 0;
}

/* The text after "| " of each line, joined with '/'. */
static void calls(const char *text, char *buf, size_t size)
{
	buf[0] = '\0';
	for (const char *p = text; (p = strstr(p, "| ")); p += 2) {
		size_t len = strcspn(p + 2, "\n");
		strncat(buf, p + 2, size - strlen(buf) - 2 < len
					    ? size - strlen(buf) - 2
					    : len);
		strncat(buf, "/", size - strlen(buf) - 1);
	}
}

KP_TEST(braces_follow_each_stack)
{
	struct kp_world_config cfg;
	struct kp_strbuf sb;
	struct kp_out out;
	char got[1024];

	kp_world_config_default(&cfg);
	struct kp_world *w = kp_world_new(&cfg);
	add(w, KP_P_kernel_init, 0, 0, 1, 1, 0);
	add(w, KP_P_do_one_initcall, 0, 0, 1, 2, 0);
	add(w, KP_P_spawn_ksoftirqd, 0, 0, 1, 3, 0);
	add(w, KP_P_kernel_init, 1, 0, 1, 1, 0); /* server, its own stack */
	add(w, KP_P_do_one_initcall, 0, 0, 1, 2, 0);
	add(w, KP_P_schedule, 0, 0, 1, 1, 0);
	add(w, KP_P_schedule, 0, 1, 0, 1, 0); /* client's idle on cpu1 */
	add(w, KP_P_do_exit, 0, 0xff, 0, 1, KP_TRF_HW);

	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&out, &sb);
	kp_fmt_trace_last(&out, w, 100);
	calls(kp_strbuf_str(&sb), got, sizeof(got));
	KP_CHECK_STR(st, got,
		     " FUNCTION CALLS/"
		     "  kernel_init() {/"
		     "    do_one_initcall() {/"
		     "      spawn_ksoftirqd();/"
		     "  kernel_init();/"
		     "    }/"
		     "    do_one_initcall();/"
		     "  }/"
		     "  schedule();/"
		     "  schedule();/"
		     "  do_exit();/");
	KP_CHECK(st, strstr(kp_strbuf_str(&sb), "client hw   hw      -") !=
			     NULL);
	KP_CHECK(st, strstr(kp_strbuf_str(&sb), "server cpu0 task    ?-1") !=
			     NULL);

	/* (an unbooted world has no init: the name falls back to ?) */

	/* the last 3 only: the window starts mid-stack */
	kp_strbuf_reset(&sb);
	kp_fmt_trace_last(&out, w, 3);
	calls(kp_strbuf_str(&sb), got, sizeof(got));
	KP_CHECK_STR(st, got, " FUNCTION CALLS/  schedule();/  schedule();/"
			      "  do_exit();/");
	kp_strbuf_free(&sb);
	kp_world_free(w);
}

KP_TEST(empty_and_dropped_trace)
{
	struct kp_world_config cfg;
	struct kp_strbuf sb;
	struct kp_out out;

	kp_world_config_default(&cfg);
	cfg.trace_order = 4; /* 16 records */
	struct kp_world *w = kp_world_new(&cfg);
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&out, &sb);
	kp_fmt_trace_last(&out, w, 20);
	KP_CHECK_STR(st, kp_strbuf_str(&sb), "# no trace records yet\n");
	for (int i = 0; i < 20; i++)
		add(w, KP_P_schedule, 0, 0, 1, 1, 0);
	kp_strbuf_reset(&sb);
	kp_fmt_trace_last(&out, w, 20);
	KP_CHECK(st, strstr(kp_strbuf_str(&sb), "# 4 earlier records left "
						"the ring") ==
			     kp_strbuf_str(&sb));
	kp_strbuf_free(&sb);
	kp_world_free(w);
}

KP_TEST(stack_markers)
{
	struct kp_world_config cfg;
	struct kp_strbuf sb;
	struct kp_out out;

	kp_world_config_default(&cfg);
	struct kp_world *w = kp_world_new(&cfg);
	struct kp_cpu *cpu = w->hosts[1]->cpus[0];
	struct kp_thread_info *ti = kp_coro_thread_info(&cpu->idle->coro);
	static const struct {
		int probe;
		uint8_t ctx;
	} frames[] = {
		{ KP_P_kernel_init, KP_CTX_TASK },
		{ KP_P_do_IRQ, KP_CTX_TASK },
		{ KP_P_irq_exit, KP_CTX_HARDIRQ },
		{ KP_P___do_softirq, KP_CTX_SOFTIRQ },
		{ KP_P_raise_softirq, KP_CTX_SOFTIRQ },
	};
	ti->depth = 5;
	for (int i = 0; i < 5; i++) {
		memset(&ti->frames[i], 0, sizeof(ti->frames[i]));
		ti->frames[i].probe = (uint16_t)frames[i].probe;
		ti->frames[i].ctx = frames[i].ctx;
	}
	ti->frames[4].obj_kind = KP_OBJ_SKB;
	ti->frames[4].obj_id = 9;
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&out, &sb);
	kp_fmt_stack(&out, w, ti);
	KP_CHECK_STR(st, kp_strbuf_str(&sb),
		     "  <SOFTIRQ>\n"
		     "#0  raise_softirq (skb#9) at kernel/softirq.c\n"
		     "#1  __do_softirq () at kernel/softirq.c\n"
		     "  </SOFTIRQ>\n"
		     "  <IRQ>\n"
		     "#2  irq_exit () at kernel/softirq.c\n"
		     "  </IRQ>\n"
		     "#3  do_IRQ () at arch/x86/kernel/irq.c\n"
		     "#4  kernel_init () at init/main.c\n"
		     "  [task swapper/0 pid 0 on server cpu0]\n");
	ti->depth = 0;
	kp_strbuf_free(&sb);
	kp_world_free(w);
}

KP_TEST_MAIN(braces_follow_each_stack, empty_and_dropped_trace, stack_markers)
