/*
 * cmd_info.c - looking at the world: bt, info cpus, ps, info functions,
 * print.  The formatting lives in format_*.c, shared with the TUI.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "engine/probe.h"
#include "format_sched.h"
#include "format_stack.h"
#include "sched/host.h"
#include "session.h"
#include "values.h"

/* The host named @name, or NULL after an error listing the hosts. */
static struct kp_host *find_host(struct kp_session *s, const char *name,
				 struct kp_out *out)
{
	struct kp_world *w = s->world;
	struct kp_host *h = kp_host_by_name(w, name);
	if (h)
		return h;
	kp_session_print_location(s, out);
	kp_printf(out, "No host '%s'; the hosts are", name);
	for (int i = 0; i < w->nr_hosts; i++)
		kp_printf(out, "%s %s", i ? "," : "", w->hosts[i]->name);
	kp_puts(out, "\n");
	return NULL;
}

static void complete_hosts(struct kp_session *s, int argc, char **argv,
			   struct kp_completions *c)
{
	(void)argv;
	if (argc == 0)
		kp_complete_hosts(s, c);
}

/* ---- bt ---- */

static void bt_all(struct kp_session *s, struct kp_out *out)
{
	struct kp_world *w = s->world;
	char curr[48];
	for (int i = 0; i < w->nr_hosts; i++) {
		struct kp_host *h = w->hosts[i];
		for (int c = 0; c < h->nr_cpus; c++) {
			struct kp_cpu *cpu = h->cpus[c];
			kp_fmt_task(curr, sizeof(curr), cpu->curr);
			kp_printf(out, "%s%s cpu%d: %s%s\n",
				  i || c ? "\n" : "", h->name, c, curr,
				  cpu->v.halted ? " (halted)" : "");
			if (cpu->v.coro)
				kp_fmt_stack(out, w,
					     kp_coro_thread_info(cpu->v.coro));
		}
	}
}

static struct task_struct *find_task(struct kp_host *h, const char *name)
{
	struct task_struct *t;
	char *end;
	long pid = strtol(name, &end, 10);
	if (!*end && pid > 0)
		return kp_task_find(h, (pid_t)pid);
	list_for_each_entry(t, &h->tasks, tasks)
		if (strcmp(t->comm, name) == 0)
			return t;
	return NULL;
}

static int cmd_bt(struct kp_session *s, int argc, char **argv,
		  struct kp_out *out)
{
	struct kp_world *w = s->world;
	const struct kp_stop_ctl *c = &w->stop_ctl;

	if (argc == 1 && strcmp(argv[0], "all") == 0) {
		bt_all(s, out);
		return 0;
	}
	if (argc == 2) {
		struct kp_host *h = find_host(s, argv[0], out);
		if (!h)
			return -ENOENT;
		struct task_struct *t = find_task(h, argv[1]);
		if (!t)
			return kp_cmd_error(s, out, "No task '%s' on %s; see "
						    "'ps %s'",
					    argv[1], h->name, h->name);
		kp_fmt_stack(out, w, kp_coro_thread_info(&t->coro));
		return 0;
	}
	if (argc)
		return KP_CMD_USAGE;
	if (!c->at || !c->cpu) {
		kp_puts(out, "No stack: the run did not stop in a CPU");
		if (c->reason == KP_STOP_IDLE)
			kp_puts(out, " (nothing left to do)");
		kp_puts(out, ".  Try 'bt all', or 'bt HOST TASK'.\n");
		return 0;
	}
	kp_fmt_stack(out, w, c->at);
	return 0;
}

static void complete_bt(struct kp_session *s, int argc, char **argv,
			struct kp_completions *c)
{
	if (argc == 0) {
		kp_complete_add(c, "all");
		kp_complete_hosts(s, c);
	} else if (argc == 1) {
		struct kp_host *h = kp_host_by_name(s->world, argv[0]);
		struct task_struct *t;
		if (h)
			list_for_each_entry(t, &h->tasks, tasks)
				kp_complete_add(c, t->comm);
	}
}

const struct kp_cmd kp_cmd_bt = {
	.name = "bt",
	.aliases = KP_ALIASES("backtrace", "where"),
	.usage = "bt [all | HOST TASK]",
	.summary = "the call stack where the run stopped",
	.help = "Shows the shadow call stack of the context the run stopped\n"
		"in, innermost call first, as gdb does; <IRQ> and <SOFTIRQ>\n"
		"bracket the frames an interrupt or softirq nested on the\n"
		"task's stack; the last line names the task and where it\n"
		"runs.  'bt all' shows what every CPU of every host runs;\n"
		"'bt HOST TASK' shows one task's stack (TASK is a name or a\n"
		"pid), e.g. where a sleeping task sleeps.\n"
		"\n"
		"Example:\n"
		"  break spawn_ksoftirqd\n"
		"  continue\n"
		"  bt\n"
		"  bt server ksoftirqd/0\n",
	.group = "status",
	.flags = 0,
	.complete = complete_bt,
	.handler = cmd_bt,
};

/* ---- info cpus ---- */

/* [HOST]: @header once, then @each of that host or of every host. */
static int each_host(struct kp_session *s, int argc, char **argv,
		     struct kp_out *out, void (*header)(struct kp_out *out),
		     void (*each)(struct kp_out *out, struct kp_host *h))
{
	struct kp_world *w = s->world;
	struct kp_host *only = NULL;
	if (argc > 1)
		return KP_CMD_USAGE;
	if (argc == 1 && !(only = find_host(s, argv[0], out)))
		return -ENOENT;
	if (header)
		header(out);
	for (int i = 0; i < w->nr_hosts; i++)
		if (!only || w->hosts[i] == only)
			each(out, w->hosts[i]);
	return 0;
}

static void host_cpus(struct kp_out *out, struct kp_host *h)
{
	for (int c = 0; c < h->nr_cpus; c++)
		kp_fmt_cpu(out, h->cpus[c]);
}

static int cmd_info_cpus(struct kp_session *s, int argc, char **argv,
			 struct kp_out *out)
{
	return each_host(s, argc, argv, out, NULL, host_cpus);
}

const struct kp_cmd kp_cmd_info_cpus = {
	.name = "info cpus",
	.aliases = NULL,
	.usage = "info cpus [HOST]",
	.summary = "what each CPU is doing: task, context, softirqs, runqueue",
	.help = "Four lines per CPU: the task it runs (comm[pid]) and in which\n"
		"context (task, softirq, hardirq), its virtual clock and\n"
		"whether it is halted in idle; preempt_count, the\n"
		"softirq_pending bits by name (NET_RX...), need_resched and\n"
		"the interrupt flag; the tasks waiting on its runqueue, in\n"
		"the order schedule() picks them; its context switches and\n"
		"the nanoseconds spent idle, in hardirq and in softirq.\n"
		"\n"
		"Example:\n"
		"  info cpus server\n",
	.group = "status",
	.flags = 0,
	.complete = complete_hosts,
	.handler = cmd_info_cpus,
};

/* ---- ps ---- */

static int cmd_ps(struct kp_session *s, int argc, char **argv,
		  struct kp_out *out)
{
	return each_host(s, argc, argv, out, kp_fmt_ps_header, kp_fmt_ps_host);
}

const struct kp_cmd kp_cmd_ps = {
	.name = "ps",
	.aliases = NULL,
	.usage = "ps [HOST]",
	.summary = "the tasks of every host, as ps shows them",
	.help = "One line per task (not the per-CPU idle tasks, pid 0, which\n"
		"ps does not show either): host, pid, the CPU it runs or last\n"
		"ran on (PSR), its state (R running or runnable, S sleeping,\n"
		"D uninterruptible), voluntary and involuntary context\n"
		"switches, CPU time in seconds, where it sleeps (WCHAN) and\n"
		"its name - in [brackets] for kernel threads.\n"
		"\n"
		"Example:\n"
		"  ps server\n",
	.group = "status",
	.flags = 0,
	.complete = complete_hosts,
	.handler = cmd_ps,
};

/* ---- info functions ---- */

static int cmd_info_functions(struct kp_session *s, int argc, char **argv,
			      struct kp_out *out)
{
	struct kp_world *w = s->world;
	const char *pattern = argc ? argv[0] : NULL;
	int name_w = 8, file_w = 4, n = 0;

	if (argc > 1)
		return KP_CMD_USAGE;
	for (int i = 0; i < KP_NR_PROBES; i++) {
		if (!kp_cmd_pattern_match(kp_probes[i].name, pattern))
			continue;
		int nl = (int)strlen(kp_probes[i].name);
		int fl = (int)strlen(kp_probes[i].file);
		name_w = nl > name_w ? nl : name_w;
		file_w = fl > file_w ? fl : file_w;
		n++;
	}
	if (!n) {
		kp_printf(out, "No function matches '%s'.\n", pattern);
		return 0;
	}
	kp_printf(out, "%-*s  %-*s  %-9s %6s  %s\n", name_w, "Function",
		  file_w, "File", "Layer", "Cost", "Description");
	for (int i = 0; i < KP_NR_PROBES; i++) {
		const struct kp_probe_info *p = &kp_probes[i];
		if (!kp_cmd_pattern_match(p->name, pattern))
			continue;
		kp_printf(out, "%-*s  %-*s  %-9s %4uns  %s\n", name_w, p->name,
			  file_w, p->file, kp_layer_name(p->layer),
			  w->probe_cost[i], p->desc);
	}
	kp_printf(out, "%d function%s.\n", n, n == 1 ? "" : "s");
	return 0;
}

static void complete_functions(struct kp_session *s, int argc, char **argv,
			       struct kp_completions *c)
{
	(void)s;
	(void)argv;
	if (argc == 0)
		kp_complete_functions(c);
}

const struct kp_cmd kp_cmd_info_functions = {
	.name = "info functions",
	.aliases = NULL,
	.usage = "info functions [PATTERN]",
	.summary = "the kernel functions you can step to and break on",
	.help = "Lists the probe catalogue: every emulated kernel function\n"
		"that is a step point, with the Linux source file it comes\n"
		"from, its layer, the virtual nanoseconds it costs a CPU, and\n"
		"what it does.  PATTERN keeps the names containing it, or\n"
		"matching it when it has * ? or [ ] (a shell glob).\n"
		"\n"
		"Example:\n"
		"  info functions softirq\n"
		"  info functions 'wake_up*'\n",
	.group = "status",
	.flags = KP_CMD_SETUP,
	.complete = complete_functions,
	.handler = cmd_info_functions,
};

/* ---- print ---- */

static int cmd_print(struct kp_session *s, int argc, char **argv,
		     struct kp_out *out)
{
	struct kp_value v;
	char err[256], buf[KP_VALUE_STR_MAX + 32];

	if (argc == 0)
		return KP_CMD_USAGE;
	for (int i = 0; i < argc; i++) {
		int ret = kp_value_resolve(s, argv[i], &v, err, sizeof(err));
		if (ret)
			return kp_cmd_error(s, out, "print: %s", err);
		kp_value_format(&v, buf, sizeof(buf));
		kp_printf(out, "%s = %s\n", argv[i], buf);
	}
	return 0;
}

static void complete_print(struct kp_session *s, int argc, char **argv,
			   struct kp_completions *c)
{
	char word[64];
	(void)argc;
	(void)argv;
	/* the first word of each pattern, hosts for HOST */
	for (size_t i = 0; i < kp_value_count; i++) {
		const char *p = kp_value_table[i].pattern;
		size_t len = strcspn(p, ".");
		if (len >= sizeof(word))
			continue;
		memcpy(word, p, len);
		word[len] = '\0';
		if (strcmp(word, "HOST") == 0)
			kp_complete_hosts(s, c);
		else
			kp_complete_add(c, word);
	}
}

const struct kp_cmd kp_cmd_print = {
	.name = "print",
	.aliases = KP_ALIASES("p"),
	.usage = "print VALUE...",
	.summary = "show named values, as expect reads them",
	.help = "Prints each value path with its value: the numbers and\n"
		"names 'expect' compares.  'help values' lists the paths.\n"
		"\n"
		"Example:\n"
		"  print server.cpu0.switches server.task.ksoftirqd/0.state\n"
		"  print time trace.seq\n",
	.group = "status",
	.flags = 0,
	.complete = complete_print,
	.handler = cmd_print,
};
