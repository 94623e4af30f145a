/*
 * cmd_break.c - breakpoints: break, tbreak, delete, disable, enable,
 * info breakpoints.  Breakpoints live in the world (the engine checks
 * them at probes); conditions are parsed here (cond.h) and evaluated
 * through the session's debugger hooks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "cond.h"
#include "engine/probe.h"
#include "session.h"
#include "tokenize.h"

/* The probe called @name, or -1 after an error naming the closest. */
static int find_function(struct kp_session *s, const char *name,
			 struct kp_out *out)
{
	int probe = kp_probe_lookup(name);
	if (probe >= 0)
		return probe;
	const char *best = NULL;
	int best_d = 3;
	for (int i = 0; i < KP_NR_PROBES; i++) {
		int d = kp_edit_distance(name, kp_probes[i].name);
		if (d < best_d) {
			best_d = d;
			best = kp_probes[i].name;
		}
	}
	if (best)
		kp_cmd_error(s, out, "No function '%s' in kpath; try 'info "
				     "functions %s' (did you mean '%s'?)",
			     name, name, best);
	else
		kp_cmd_error(s, out, "No function '%s' in kpath; try 'info "
				     "functions %s'",
			     name, name);
	return -1;
}

static int add_breakpoint(struct kp_session *s, int argc, char **argv,
			  bool temporary, struct kp_out *out)
{
	struct kp_world *w = s->world;
	char *cond_text = NULL;
	struct kp_cond *cond = NULL;
	char err[256];

	if (argc < 1 || (argc > 1 && strcmp(argv[1], "if") != 0))
		return KP_CMD_USAGE;
	int probe = find_function(s, argv[0], out);
	if (probe < 0)
		return -ENOENT;
	if (argc > 1) {
		if (argc == 2)
			return kp_cmd_error(s, out, "'if' needs a condition, "
						    "e.g. 'break %s if cpu == "
						    "1'; see 'help conditions'",
					    argv[0]);
		cond_text = kp_args_join(argc - 2, argv + 2);
		if (!cond_text)
			return -ENOMEM;
		cond = kp_cond_parse(cond_text, err, sizeof(err));
		if (!cond) {
			free(cond_text);
			return kp_cmd_error(s, out, "bad condition: %s", err);
		}
	}
	int n = kp_break_add(w, probe, temporary, cond_text, cond);
	if (n < 0) {
		free(cond_text);
		kp_cond_free(cond);
		return kp_cmd_error(s, out, "too many breakpoints (%d); remove "
					    "some with 'delete N'",
				    KP_MAX_BREAKPOINTS);
	}
	kp_printf(out, "%s %d at %s (%s)%s%s\n",
		  temporary ? "Temporary breakpoint" : "Breakpoint", n,
		  kp_probes[probe].name, kp_probes[probe].file,
		  cond_text ? " if " : "", cond_text ? cond_text : "");
	return 0;
}

static void complete_break(struct kp_session *s, int argc, char **argv,
			   struct kp_completions *c)
{
	(void)s;
	if (argc == 0) {
		kp_complete_functions(c);
	} else if (argc == 1) {
		kp_complete_add(c, "if");
	} else if (strcmp(argv[1], "if") == 0) {
		/* after "FIELD OP" a value; a host name after "host ==" */
		if (kp_cmp_op_parse(argv[argc - 1]) >= 0) {
			if (!strcmp(argv[argc - 2], "host"))
				kp_complete_hosts(s, c);
			return;
		}
		for (size_t i = 0; i < kp_cond_field_count; i++)
			kp_complete_add(c, kp_cond_fields[i].name);
	}
}

static int cmd_break(struct kp_session *s, int argc, char **argv,
		     struct kp_out *out)
{
	return add_breakpoint(s, argc, argv, false, out);
}

#define BREAK_HELP_COMMON                                                     \
	"FUNCTION is a kernel function with a step point ('info\n"             \
	"functions' lists them).  With 'if CONDITION' it stops only\n"         \
	"when the condition holds at that moment: comparisons of the\n"        \
	"probe's fields (cpu, host, pid, comm, ctx, obj, arg, depth)\n"        \
	"joined with && and ||; see 'help conditions'.  Breakpoints\n"         \
	"survive 'reboot'.\n"

const struct kp_cmd kp_cmd_break = {
	.name = "break",
	.aliases = KP_ALIASES("b", "br"),
	.usage = "break FUNCTION [if CONDITION]",
	.summary = "stop when a kernel function is entered",
	.help = "Sets a breakpoint: any run (continue, next, ...) stops when\n"
		"FUNCTION is entered on any host, CPU or device.\n"
		BREAK_HELP_COMMON
		"\n"
		"Example:\n"
		"  break spawn_ksoftirqd\n"
		"  break kthread_create_on_cpu if host == server && arg == 1\n",
	.group = "breakpoints",
	.flags = KP_CMD_SETUP,
	.complete = complete_break,
	.handler = cmd_break,
};

static int cmd_tbreak(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	return add_breakpoint(s, argc, argv, true, out);
}

const struct kp_cmd kp_cmd_tbreak = {
	.name = "tbreak",
	.aliases = KP_ALIASES("tb"),
	.usage = "tbreak FUNCTION [if CONDITION]",
	.summary = "stop once when a kernel function is entered",
	.help = "As break, but the breakpoint deletes itself the first time\n"
		"it stops the run.\n"
		BREAK_HELP_COMMON
		"\n"
		"Example:\n"
		"  tbreak smpboot_thread_fn if host == client\n"
		"  continue\n",
	.group = "breakpoints",
	.flags = KP_CMD_SETUP,
	.complete = complete_break,
	.handler = cmd_tbreak,
};

/* ---- delete, disable, enable ---- */

static int parse_bp_number(struct kp_session *s, const char *text,
			   const char *cmd, struct kp_out *out)
{
	char *end;
	long n = strtol(text, &end, 10);
	if (*end || n <= 0)
		return kp_cmd_error(s, out, "%s takes breakpoint numbers, e.g. "
					    "'%s 1 2'; see 'info breakpoints'",
				    cmd, cmd);
	if (!kp_break_find(s->world, (int)n))
		return kp_cmd_error(s, out, "No breakpoint number %ld; see "
					    "'info breakpoints'",
				    n);
	return (int)n;
}

static int cmd_delete(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	struct kp_world *w = s->world;
	if (argc == 0) {
		int n = w->nr_bps;
		kp_break_delete_all(w);
		kp_printf(out, "Deleted %d breakpoint%s.\n", n,
			  n == 1 ? "" : "s");
		return 0;
	}
	/* check them all first: a typo deletes nothing */
	for (int i = 0; i < argc; i++) {
		int n = parse_bp_number(s, argv[i], "delete", out);
		if (n < 0)
			return n;
	}
	for (int i = 0; i < argc; i++)
		kp_break_delete(w, atoi(argv[i]));
	return 0;
}

static void complete_bp_numbers(struct kp_session *s, int argc, char **argv,
				struct kp_completions *c)
{
	(void)argc;
	(void)argv;
	kp_complete_breakpoints(s, c);
}

const struct kp_cmd kp_cmd_delete = {
	.name = "delete",
	.aliases = KP_ALIASES("d"),
	.usage = "delete [N...]",
	.summary = "delete breakpoints (all without arguments)",
	.help = "Deletes the breakpoints numbered N (as 'info breakpoints'\n"
		"shows them), or all of them.  Numbers are not reused.\n"
		"\n"
		"Example:\n"
		"  delete 2\n"
		"  delete\n",
	.group = "breakpoints",
	.flags = KP_CMD_SETUP,
	.complete = complete_bp_numbers,
	.handler = cmd_delete,
};

static int set_enabled(struct kp_session *s, int argc, char **argv,
		       bool enabled, const char *cmd, struct kp_out *out)
{
	struct kp_world *w = s->world;
	for (int i = 0; i < argc; i++) {
		int n = parse_bp_number(s, argv[i], cmd, out);
		if (n < 0)
			return n;
	}
	for (int i = 0; i < w->nr_bps; i++) {
		bool listed = argc == 0;
		for (int k = 0; k < argc; k++)
			listed |= atoi(argv[k]) == w->bps[i].number;
		if (listed)
			w->bps[i].enabled = enabled;
	}
	return 0;
}

static int cmd_disable(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	return set_enabled(s, argc, argv, false, "disable", out);
}

const struct kp_cmd kp_cmd_disable = {
	.name = "disable",
	.aliases = NULL,
	.usage = "disable [N...]",
	.summary = "keep breakpoints but stop stopping at them",
	.help = "Disables the breakpoints numbered N, or all of them: they\n"
		"stay in 'info breakpoints' (Enb n) but do not stop runs\n"
		"until 'enable'.\n"
		"\n"
		"Example:\n"
		"  disable 1\n",
	.group = "breakpoints",
	.flags = KP_CMD_SETUP,
	.complete = complete_bp_numbers,
	.handler = cmd_disable,
};

static int cmd_enable(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	return set_enabled(s, argc, argv, true, "enable", out);
}

const struct kp_cmd kp_cmd_enable = {
	.name = "enable",
	.aliases = NULL,
	.usage = "enable [N...]",
	.summary = "make disabled breakpoints stop runs again",
	.help = "Enables the breakpoints numbered N, or all of them.\n"
		"\n"
		"Example:\n"
		"  enable 1\n",
	.group = "breakpoints",
	.flags = KP_CMD_SETUP,
	.complete = complete_bp_numbers,
	.handler = cmd_enable,
};

/* ---- info breakpoints ---- */

static int cmd_info_breakpoints(struct kp_session *s, int argc, char **argv,
				struct kp_out *out)
{
	struct kp_world *w = s->world;
	char what[96];
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	if (w->nr_bps == 0) {
		kp_puts(out, "No breakpoints.\n");
		return 0;
	}
	kp_printf(out, "%-4s %-11s %-4s %-3s %-44s %5s  %s\n", "Num", "Type",
		  "Disp", "Enb", "What", "Hits", "Cond");
	for (int i = 0; i < w->nr_bps; i++) {
		const struct kp_breakpoint *bp = &w->bps[i];
		snprintf(what, sizeof(what), "%s at %s",
			 kp_probes[bp->probe].name, kp_probes[bp->probe].file);
		kp_printf(out, "%-4d %-11s %-4s %-3s %-44s %5" PRIu64 "%s%s\n",
			  bp->number, "breakpoint",
			  bp->temporary ? "del" : "keep",
			  bp->enabled ? "y" : "n", what, bp->hits,
			  bp->cond_text ? "  " : "",
			  bp->cond_text ? bp->cond_text : "");
	}
	return 0;
}

const struct kp_cmd kp_cmd_info_breakpoints = {
	.name = "info breakpoints",
	.aliases = KP_ALIASES("i b"),
	.usage = "info breakpoints",
	.summary = "list the breakpoints",
	.help = "One line per breakpoint, as gdb: its number, type, what\n"
		"happens when it stops a run (Disp: keep, or del for\n"
		"tbreak), whether it is enabled, the function and its kernel\n"
		"file, how many times it stopped a run, and its condition.\n"
		"\n"
		"Example:\n"
		"  info breakpoints\n",
	.group = "breakpoints",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_info_breakpoints,
};
