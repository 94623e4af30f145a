/*
 * cmd_step.c - running the world: step, next, finish, continue, until,
 * reboot.  Each run ends with the stop report (format_stop.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cmd.h"
#include "complete.h"
#include "duration.h"
#include "engine/probe.h"
#include "format_stack.h"
#include "session.h"

/* The optional repeat count of step and next. */
static int parse_count(struct kp_session *s, int argc, char **argv,
		       const char *name, uint64_t *count, struct kp_out *out)
{
	*count = 1;
	if (argc == 0)
		return 0;
	if (argc > 1)
		return KP_CMD_USAGE;
	char *end;
	unsigned long long n = strtoull(argv[0], &end, 10);
	if (*end || n == 0 || argv[0][0] == '-')
		return kp_cmd_error(s, out, "%s takes a positive count, e.g. "
					    "'%s 10'",
				    name, name);
	*count = n;
	return 0;
}

static int cmd_step(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	uint64_t n;
	int ret = parse_count(s, argc, argv, "step", &n, out);
	if (ret)
		return ret;
	kp_session_run(s, KP_RUN_STEP, n);
	kp_session_report_stop(s, out);
	return 0;
}

const struct kp_cmd kp_cmd_step = {
	.name = "step",
	.aliases = KP_ALIASES("s"),
	.usage = "step [N]",
	.summary = "run to the next step point, in any context",
	.help = "Runs until the next probe anywhere - any host, CPU, context\n"
		"or device - N times (default 1), then shows where it\n"
		"stopped: the function with its object, then host, CPU, task,\n"
		"context, virtual time and trace sequence number.  On a world\n"
		"that has not started, the first step stops at start_kernel.\n"
		"An empty line in the REPL repeats it.\n"
		"\n"
		"Example:\n"
		"  step\n"
		"  step 20\n",
	.group = "running",
	.flags = KP_CMD_RUNS | KP_CMD_REPEAT,
	.complete = NULL,
	.handler = cmd_step,
};

static int cmd_next(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	uint64_t n;
	int ret = parse_count(s, argc, argv, "next", &n, out);
	if (ret)
		return ret;
	for (uint64_t i = 0; i < n; i++) {
		/* a breakpoint or the end interrupts the count */
		if (kp_session_run(s, KP_RUN_NEXT, 0) != KP_STOP_STEP)
			break;
	}
	kp_session_report_stop(s, out);
	return 0;
}

const struct kp_cmd kp_cmd_next = {
	.name = "next",
	.aliases = KP_ALIASES("n"),
	.usage = "next [N]",
	.summary = "run to the next step point of this stack, over calls",
	.help = "Runs until the next probe on the same stack (the same task,\n"
		"with its interrupts) at the same call depth or shallower:\n"
		"the functions the current one calls run without stopping,\n"
		"and so does everything on other CPUs.  Repeats N times\n"
		"(default 1); a breakpoint ends the count early.  Not stopped\n"
		"in a function (before boot, after 'Nothing left to do'), it\n"
		"is a step.\n"
		"\n"
		"Example:\n"
		"  break do_one_initcall\n"
		"  continue\n"
		"  next\n",
	.group = "running",
	.flags = KP_CMD_RUNS | KP_CMD_REPEAT,
	.complete = NULL,
	.handler = cmd_next,
};

static int cmd_finish(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	const struct kp_stop_ctl *c = &s->world->stop_ctl;
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	if (!s->started || !c->at || !c->cpu) {
		kp_puts(out, "Not stopped in a function; stepping instead.\n");
	} else if (c->at->depth == 0) {
		return kp_cmd_error(s, out, "\"finish\" not meaningful at the "
					    "bottom of the stack; try 'step' "
					    "or 'continue'");
	} else {
		kp_puts(out, "Run till exit from ");
		kp_fmt_frame_line(out, 0, &c->at->frames[c->at->depth - 1]);
	}
	kp_session_run(s, KP_RUN_FINISH, 0);
	kp_session_report_stop(s, out);
	return 0;
}

const struct kp_cmd kp_cmd_finish = {
	.name = "finish",
	.aliases = KP_ALIASES("fin"),
	.usage = "finish",
	.summary = "run until the current function returns",
	.help = "Runs until the innermost function of the stopped stack\n"
		"returns, then shows the caller it returned to.  Other CPUs\n"
		"run meanwhile; a breakpoint stops earlier.  After a finish,\n"
		"another finish runs until that caller returns.\n"
		"\n"
		"Example:\n"
		"  break kthread_create_on_cpu\n"
		"  continue\n"
		"  finish\n",
	.group = "running",
	.flags = KP_CMD_RUNS | KP_CMD_REPEAT,
	.complete = NULL,
	.handler = cmd_finish,
};

static int cmd_continue(struct kp_session *s, int argc, char **argv,
			struct kp_out *out)
{
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	kp_session_run(s, KP_RUN_CONTINUE, 0);
	kp_session_report_stop(s, out);
	return 0;
}

const struct kp_cmd kp_cmd_continue = {
	.name = "continue",
	.aliases = KP_ALIASES("c"),
	.usage = "continue",
	.summary = "run until a breakpoint or until nothing is left to do",
	.help = "Runs every host, CPU and device until a breakpoint stops\n"
		"it, or until nothing is left to do (every CPU idle and no\n"
		"event pending).  On a world that has not started, this is\n"
		"the boot.  In the REPL, Ctrl-C stops a run at the next step\n"
		"point.\n"
		"\n"
		"Example:\n"
		"  break spawn_ksoftirqd\n"
		"  continue\n",
	.group = "running",
	.flags = KP_CMD_RUNS | KP_CMD_REPEAT,
	.complete = NULL,
	.handler = cmd_continue,
};

static int cmd_until(struct kp_session *s, int argc, char **argv,
		     struct kp_out *out)
{
	char now_buf[KP_TIME_BUF], t_buf[KP_TIME_BUF];
	uint64_t now = s->started ? kp_world_time(s->world) : 0;
	uint64_t t;

	if (argc != 1)
		return KP_CMD_USAGE;
	const char *text = argv[0];
	bool relative = text[0] == '+';
	if (kp_parse_duration(text + relative, &t))
		return kp_cmd_error(s, out, "'%s' is not a time; write a "
					    "number and a unit: 5ms, 300us, "
					    "1.5s, 1200ns, or +2ms from now",
				    text);
	if (relative)
		t += now;
	if (t <= now && s->started)
		return kp_cmd_error(s, out, "t=%ss is not after now (t=%ss); "
					    "give a later time or +DURATION",
				    kp_fmt_time(t_buf, t),
				    kp_fmt_time(now_buf, now));
	kp_session_run(s, KP_RUN_UNTIL, t);
	kp_session_report_stop(s, out);
	return 0;
}

const struct kp_cmd kp_cmd_until = {
	.name = "until",
	.aliases = NULL,
	.usage = "until TIME | until +DURATION",
	.summary = "run until a virtual time",
	.help = "Runs until virtual time TIME (from power-on), or for\n"
		"DURATION from now with a leading +.  Times take a unit: ns,\n"
		"us, ms or s (5ms, 300us, 1.5s, 1200ns).  A breakpoint stops\n"
		"earlier.  The run stops at the first step point at or after\n"
		"TIME, or at TIME itself when no CPU is busy then.\n"
		"\n"
		"Example:\n"
		"  until 5us\n"
		"  until +1ms\n",
	.group = "running",
	.flags = KP_CMD_RUNS,
	.complete = NULL,
	.handler = cmd_until,
};

static int cmd_reboot(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	int err = kp_session_reboot(s);
	if (err)
		return kp_cmd_error(s, out, "reboot: cannot build a new world "
					    "(out of memory)");
	kp_printf(out, "Rebooted: a new world at power-on (seed %" PRIu64
		       "), %d breakpoint%s kept.\n",
		  s->cfg.seed, s->world->nr_bps,
		  s->world->nr_bps == 1 ? "" : "s");
	return 0;
}

const struct kp_cmd kp_cmd_reboot = {
	.name = "reboot",
	.aliases = NULL,
	.usage = "reboot",
	.summary = "start over: a new world at power-on, same seed",
	.help = "Throws the world away and builds a new one at power-on with\n"
		"the same seed and settings (and the seed, CPU count and trace\n"
		"size set since), keeping the breakpoints with their numbers\n"
		"and conditions; their hit counts start again.  Like a fresh\n"
		"kpath, the new world boots at the next command that needs\n"
		"it, and a run command's run is the boot.  The same commands\n"
		"after a reboot give the same trace.\n"
		"\n"
		"Example:\n"
		"  reboot\n"
		"  step\n",
	.group = "running",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_reboot,
};
