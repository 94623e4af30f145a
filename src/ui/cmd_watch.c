/*
 * cmd_watch.c - watchpoints and displays, gdb style: `watch EXPR` stops
 * the run at the step point where a value changes (or a comparison
 * becomes true), `display EXPR` prints values after each stop; `info
 * watchpoints`, `info display`, `undisplay`, `delete watch`.
 *
 * EXPR is a value path of `print`/`expect` (help values), or PATH OP
 * VALUE with OP one of == != < <= > >=.  The engine asks at every probe
 * while a watch is set (KP_CHECK_WATCH, struct kp_debug_ops.watch_check):
 * a software watchpoint, so runs with watches are slower.  The same hook
 * carries the replay limit of reexec.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "debugger.h"
#include "expect.h"
#include "session.h"
#include "tokenize.h"

/* ---- evaluation ---- */

/* The watch's value now (a change watch) or its condition (1/0). */
static int watch_eval(struct kp_session *s, struct kp_watch *wp,
		      struct kp_value *v, char *err, size_t errlen)
{
	if (wp->op < 0)
		return kp_value_resolve(s, wp->path, v, err, errlen);
	struct kp_args args;
	if (kp_tokenize(wp->expr, &args, err, errlen))
		return -EINVAL;
	int r = kp_expect_eval(s, args.argc, args.argv, err, errlen);
	kp_args_free(&args);
	if (r < 0)
		return r;
	kp_value_int(v, r);
	return 0;
}

static bool value_same(const struct kp_value *a, const struct kp_value *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == KP_VAL_STR)
		return strcmp(a->s, b->s) == 0;
	if (a->type == KP_VAL_OBJ)
		return a->kind == b->kind && a->i == b->i;
	return a->i == b->i;
}

void kp_watch_refresh(struct kp_session *s)
{
	struct kp_dbg *d = s->dbg;
	char err[128];
	if (!d)
		return;
	for (int i = 0; i < d->nr_watches; i++) {
		struct kp_watch *wp = &d->watches[i];
		if (watch_eval(s, wp, &wp->old, err, sizeof(err)))
			wp->old.type = KP_VAL_NONE;
		wp->cond_was_true = wp->op >= 0 &&
				    wp->old.type == KP_VAL_INT && wp->old.i;
	}
}

void kp_dbg_arm(struct kp_session *s)
{
	struct kp_dbg *d = s->dbg;
	if (d && (d->nr_watches || d->limit_seq != UINT64_MAX))
		s->world->stop_ctl.probe_check |= KP_CHECK_WATCH;
}

bool kp_dbg_watch_check(struct kp_session *s)
{
	struct kp_dbg *d = s->dbg;
	struct kp_world *w = s->world;
	char err[128], a[KP_VALUE_STR_MAX + 8], b[KP_VALUE_STR_MAX + 8];

	if (!d)
		return false;
	if (d->limit_seq != UINT64_MAX && w->trace.seq > d->limit_seq) {
		d->limit_hit = true;
		return true;
	}
	if (d->replaying || d->advancing)
		return false;
	for (int i = 0; i < d->nr_watches; i++) {
		struct kp_watch *wp = &d->watches[i];
		struct kp_value v;
		if (watch_eval(s, wp, &v, err, sizeof(err)))
			v.type = KP_VAL_NONE;
		if (wp->op >= 0) {
			bool now = v.type == KP_VAL_INT && v.i;
			bool fire = now && !wp->cond_was_true;
			wp->cond_was_true = now;
			if (!fire)
				continue;
			snprintf(d->trigger_msg, sizeof(d->trigger_msg),
				 "Watchpoint %d: %s\n", wp->number, wp->expr);
		} else {
			if (value_same(&v, &wp->old))
				continue;
			kp_value_format(&wp->old, a, sizeof(a));
			kp_value_format(&v, b, sizeof(b));
			snprintf(d->trigger_msg, sizeof(d->trigger_msg),
				 "Watchpoint %d: %s\n\nOld value = %s\nNew "
				 "value = %s\n",
				 wp->number, wp->expr,
				 wp->old.type == KP_VAL_NONE ? "<unavailable>"
							     : a,
				 v.type == KP_VAL_NONE ? "<unavailable>" : b);
			wp->old = v;
		}
		wp->hits++;
		d->triggered = wp->number;
		return true;
	}
	return false;
}

void kp_dbg_report_before(struct kp_session *s, struct kp_out *out)
{
	struct kp_dbg *d = s->dbg;
	if (!d || !d->triggered)
		return;
	kp_puts(out, "\n");
	kp_puts(out, d->trigger_msg);
	d->triggered = 0;
	/* the stop itself reads as a step to that record */
	struct kp_stop_ctl *c = &s->world->stop_ctl;
	if (c->reason == KP_STOP_REQUEST && !c->message)
		c->reason = KP_STOP_STEP;
}

void kp_dbg_report_after(struct kp_session *s, struct kp_out *out)
{
	struct kp_dbg *d = s->dbg;
	char err[128], buf[KP_VALUE_STR_MAX + 8];
	if (!d)
		return;
	for (int i = 0; i < d->nr_displays; i++) {
		struct kp_display *dp = &d->displays[i];
		struct kp_value v;
		if (kp_value_resolve(s, dp->expr, &v, err, sizeof(err))) {
			kp_printf(out, "%d: %s = <%s>\n", dp->number, dp->expr,
				  err);
			continue;
		}
		kp_value_format(&v, buf, sizeof(buf));
		kp_printf(out, "%d: %s = %s\n", dp->number, dp->expr, buf);
	}
}

/* ---- watch ---- */

static int cmd_watch(struct kp_session *s, int argc, char **argv,
		     struct kp_out *out)
{
	char err[256];
	if (argc != 1 && argc != 3)
		return KP_CMD_USAGE;
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	if (d->nr_watches >= KP_WATCH_MAX)
		return kp_cmd_error(s, out, "too many watchpoints (%d); "
					    "'delete watch N' removes one",
				    KP_WATCH_MAX);
	struct kp_watch wp;
	memset(&wp, 0, sizeof(wp));
	wp.op = -1;
	if (argc == 3) {
		wp.op = kp_cmp_op_parse(argv[1]);
		if (wp.op < 0)
			return kp_cmd_error(s, out, "'%s' is not a comparison; "
						    "use == != < <= > >=",
					    argv[1]);
	}
	wp.path = strdup(argv[0]);
	wp.expr = kp_args_join(argc, argv);
	if (!wp.path || !wp.expr) {
		free(wp.path);
		free(wp.expr);
		return kp_cmd_error(s, out, "out of memory");
	}
	/* check it reads now, and take the starting value */
	if (watch_eval(s, &wp, &wp.old, err, sizeof(err))) {
		free(wp.path);
		free(wp.expr);
		return kp_cmd_error(s, out, "watch: %s ('help values' lists "
					    "the paths)",
				    err);
	}
	wp.cond_was_true = wp.op >= 0 && wp.old.i;
	wp.number = s->world->next_bp_number++;
	d->watches[d->nr_watches++] = wp;
	kp_printf(out, "Watchpoint %d: %s\n", wp.number, wp.expr);
	return 0;
}

const struct kp_cmd kp_cmd_watch = {
	.name = "watch",
	.aliases = NULL,
	.usage = "watch VALUE | watch VALUE OP NUMBER",
	.summary = "stop when a value changes, or a comparison becomes true",
	.help = "Sets a watchpoint on a value path of 'print' ('help values'\n"
		"lists them): every run then stops at the step point where\n"
		"the value changed, printing the old and the new value; with\n"
		"a comparison (== != < <= > >=) it stops where the comparison\n"
		"becomes true.  Watchpoints are checked at every step point,\n"
		"so runs are slower while one is set.  Numbers are shared\n"
		"with breakpoints; 'delete watch N' removes one.\n"
		"\n"
		"Example:\n"
		"  watch server.nstat.UdpInDatagrams\n"
		"  watch server.ring.eth0.rx0.free < 10\n",
	.group = "breakpoints",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_watch,
};

static int cmd_delete_watch(struct kp_session *s, int argc, char **argv,
			    struct kp_out *out)
{
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	if (argc == 0) {
		for (int i = 0; i < d->nr_watches; i++) {
			free(d->watches[i].expr);
			free(d->watches[i].path);
		}
		d->nr_watches = 0;
		return 0;
	}
	for (int a = 0; a < argc; a++) {
		int n = atoi(argv[a]);
		int i;
		for (i = 0; i < d->nr_watches; i++)
			if (d->watches[i].number == n)
				break;
		if (i == d->nr_watches)
			return kp_cmd_error(s, out, "no watchpoint number %s; "
						    "'info watchpoints' lists "
						    "them",
					    argv[a]);
		free(d->watches[i].expr);
		free(d->watches[i].path);
		memmove(&d->watches[i], &d->watches[i + 1],
			(size_t)(d->nr_watches - i - 1) *
				sizeof(d->watches[0]));
		d->nr_watches--;
	}
	return 0;
}

const struct kp_cmd kp_cmd_delete_watch = {
	.name = "delete watch",
	.aliases = NULL,
	.usage = "delete watch [N...]",
	.summary = "delete watchpoints (all without a number)",
	.help = "Deletes the watchpoints numbered N, or all of them.\n"
		"\n"
		"Example:\n"
		"  delete watch 2\n",
	.group = "breakpoints",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_delete_watch,
};

static int cmd_info_watchpoints(struct kp_session *s, int argc, char **argv,
				struct kp_out *out)
{
	char buf[KP_VALUE_STR_MAX + 8];
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d || !d->nr_watches) {
		kp_puts(out, "No watchpoints.\n");
		return 0;
	}
	kp_puts(out, "Num     Type           Hits  Value      What\n");
	for (int i = 0; i < d->nr_watches; i++) {
		const struct kp_watch *wp = &d->watches[i];
		if (wp->op >= 0)
			snprintf(buf, sizeof(buf), "%s",
				 wp->cond_was_true ? "true" : "false");
		else
			kp_value_format(&wp->old, buf, sizeof(buf));
		kp_printf(out, "%-7d %-14s %4" PRIu64 "  %-10s %s\n",
			  wp->number, "watchpoint", wp->hits, buf, wp->expr);
	}
	return 0;
}

const struct kp_cmd kp_cmd_info_watchpoints = {
	.name = "info watchpoints",
	.aliases = NULL,
	.usage = "info watchpoints",
	.summary = "list the watchpoints with their values and hits",
	.help = "Lists each watchpoint: number, hits, the value it last saw\n"
		"(true/false for a comparison) and the expression.\n"
		"\n"
		"Example:\n"
		"  info watchpoints\n",
	.group = "breakpoints",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_info_watchpoints,
};

/* ---- display ---- */

static int cmd_display(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	char err[256], buf[KP_VALUE_STR_MAX + 8];
	struct kp_value v;
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	if (argc == 0) {
		kp_dbg_report_after(s, out);
		return 0;
	}
	for (int a = 0; a < argc; a++) {
		if (kp_value_resolve(s, argv[a], &v, err, sizeof(err)))
			return kp_cmd_error(s, out, "display: %s ('help "
						    "values' lists the paths)",
					    err);
		if (d->nr_displays >= KP_DISPLAY_MAX)
			return kp_cmd_error(s, out, "too many displays; "
						    "'undisplay N' removes "
						    "one");
		struct kp_display *dp = &d->displays[d->nr_displays];
		dp->expr = strdup(argv[a]);
		if (!dp->expr)
			return kp_cmd_error(s, out, "out of memory");
		dp->number = d->next_display++;
		d->nr_displays++;
		kp_value_format(&v, buf, sizeof(buf));
		kp_printf(out, "%d: %s = %s\n", dp->number, dp->expr, buf);
	}
	return 0;
}

const struct kp_cmd kp_cmd_display = {
	.name = "display",
	.aliases = NULL,
	.usage = "display [VALUE...]",
	.summary = "print values after every stop",
	.help = "Adds value paths (see 'help values') to print after each\n"
		"stop, numbered; without arguments prints them now.\n"
		"'undisplay N' removes one, 'info display' lists them.\n"
		"\n"
		"Example:\n"
		"  display server.ring.eth0.rx0.free server.softnet.cpu0."
		"processed\n",
	.group = "status",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_display,
};

static int cmd_undisplay(struct kp_session *s, int argc, char **argv,
			 struct kp_out *out)
{
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	if (argc == 0) {
		for (int i = 0; i < d->nr_displays; i++)
			free(d->displays[i].expr);
		d->nr_displays = 0;
		return 0;
	}
	for (int a = 0; a < argc; a++) {
		int n = atoi(argv[a]), i;
		for (i = 0; i < d->nr_displays; i++)
			if (d->displays[i].number == n)
				break;
		if (i == d->nr_displays)
			return kp_cmd_error(s, out, "no display number %s; "
						    "'info display' lists them",
					    argv[a]);
		free(d->displays[i].expr);
		memmove(&d->displays[i], &d->displays[i + 1],
			(size_t)(d->nr_displays - i - 1) *
				sizeof(d->displays[0]));
		d->nr_displays--;
	}
	return 0;
}

const struct kp_cmd kp_cmd_undisplay = {
	.name = "undisplay",
	.aliases = NULL,
	.usage = "undisplay [N...]",
	.summary = "stop printing displays (all without a number)",
	.help = "Removes the displays numbered N, or all of them.\n"
		"\n"
		"Example:\n"
		"  undisplay 1\n",
	.group = "status",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_undisplay,
};

static int cmd_info_display(struct kp_session *s, int argc, char **argv,
			    struct kp_out *out)
{
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d || !d->nr_displays) {
		kp_puts(out, "There are no auto-display expressions now.\n");
		return 0;
	}
	kp_puts(out, "Auto-display expressions now in effect:\nNum Expression\n");
	for (int i = 0; i < d->nr_displays; i++)
		kp_printf(out, "%-3d %s\n", d->displays[i].number,
			  d->displays[i].expr);
	return 0;
}

const struct kp_cmd kp_cmd_info_display = {
	.name = "info display",
	.aliases = NULL,
	.usage = "info display",
	.summary = "list the values printed after each stop",
	.help = "Lists the displays set with 'display', with their numbers.\n"
		"\n"
		"Example:\n"
		"  info display\n",
	.group = "status",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_info_display,
};
